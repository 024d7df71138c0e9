// The summary table printed when a run ends: pure text from results.

import type { RunResults } from './results';
import { textTable } from './table';

export function summaryTable(results: RunResults): string {
  const header = ['strategy', 'clients', 'tps', 'mean us', 'p50 us', 'p99 us', 'max us', 'makespan ms', 'last done ms', 'fairness', 'errors'];
  const rows = results.cells.map((cell) => {
    if (cell.outcome === 'failed') return [cell.strategy, String(cell.clients), 'FAILED', '', '', '', '', '', '', '', cell.reason.slice(0, 60)];
    const errors = cell.errors.unexpectedStatus + cell.errors.mismatches + cell.errors.failedClients;
    return [
      cell.strategy,
      String(cell.clients),
      Math.round(cell.throughputTps).toLocaleString('en-US'),
      us(cell.latency.meanNs),
      us(cell.latency.p50Ns),
      us(cell.latency.p99Ns),
      us(cell.latency.maxNs),
      cell.makespanMs.toFixed(1),
      Math.max(0, ...cell.clientDetails.map((c) => c.endMs)).toFixed(1),
      cell.fairness.toFixed(3),
      String(errors),
    ];
  });
  return textTable(header, rows);
}

function us(ns: number): string {
  return (ns / 1000).toFixed(1);
}
