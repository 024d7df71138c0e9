// The table printed when a run ends, and the one line on the precision it
// reached: pure text from results.

import type { RunResults } from './schema/results';
import { relativeHalfWidth, Estimate } from './measure/statistics';
import { textTable } from './table';
import { cellVerdict } from './measure/verdict';
import { cellPrecision, precisionLine, precisionTarget, runPrecision } from './measure/precision-reached';
import { hostPace, hostPaceLine, hostWakeupsUs } from './measure/host-pace';

/** "52,300 ±2.1%" */
export function withInterval(estimate: Estimate | null | undefined, scale = 1, digits = 0): string {
  if (!estimate) return '';
  const value = (estimate.mean * scale).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const width = relativeHalfWidth(estimate);
  return estimate.method === 'none' || !Number.isFinite(width) ? value : `${value} ±${(width * 100).toFixed(1)}%`;
}

export function summaryTable(results: RunResults): string {
  const header = ['strategy', 'clients', 'tx/s (95% CI)', 'p50 µs', 'p99 µs', 'worst client done ms', 'precision', 'fairness', 'threads', 'problems'];
  const rows = results.cells.map((cell) => {
    const verdict = cellVerdict(cell);
    const s = cell.summary;
    if (!s) return [cell.strategy, String(cell.clients), 'FAILED', '', '', '', '', '', '', (verdict.reason ?? '').slice(0, 60)];
    const precision = cellPrecision(s);
    return [
      cell.strategy,
      String(cell.clients),
      withInterval(s.steady?.throughputTps),
      withInterval(s.steady?.p50Ns, 1e-3, 1),
      withInterval(s.steady?.p99Ns, 1e-3, 1),
      withInterval(s.script?.worstDoneMs, 1, 1),
      precision === null ? '' : `±${(precision * 100).toFixed(1)}%`,
      (s.steady?.fairness.mean ?? s.script?.fairness.mean ?? NaN).toFixed(3),
      s.peakThreads === null ? '' : String(s.peakThreads),
      verdict.problemCount > 0 ? `${verdict.problemCount} errors` : s.warnings.length > 0 ? `${s.warnings.length} warnings` : '',
    ];
  });
  const reached = runPrecision(results.cells.map((cell) => cell.summary), precisionTarget(results.parameters));
  const pace = hostPace(hostWakeupsUs(results));
  return [textTable(header, rows), ...(reached ? [precisionLine(reached)] : []), ...(pace ? [hostPaceLine(pace)] : [])].join('\n');
}
