// The few sentences a reader wants first: who won each comparison at the largest
// client count, and by how much. Pure text from results.

import type { MeasuredCell, RunResults } from '../harness/results';
import { clientsText, doneAfterReleaseMs, largestClientCount, measuredAt, seriesNames, totalErrors } from './model';

export interface Verdict {
  /** What was compared, e.g. "Throughput at 20 clients". */
  comparison: string;
  winner: string;
  /** The winner's figure and its margin over the runner-up, in words. */
  detail: string;
}

interface Metric {
  name: string;
  better: 'higher' | 'lower';
  value: (cell: MeasuredCell) => number;
  format: (value: number) => string;
  /** How the margin is said: a ratio (2.1x) or a difference (0.12 higher). */
  margin: 'ratio' | 'difference';
}

const METRICS: Metric[] = [
  { name: 'Throughput', better: 'higher', value: (c) => c.throughputTps, format: (v) => `${formatNumber(v, 0)} transactions/s`, margin: 'ratio' },
  { name: 'p99 turnaround', better: 'lower', value: (c) => c.latency.p99Ns / 1000, format: (v) => `${formatNumber(v, 1)} µs`, margin: 'ratio' },
  { name: 'Worst-client completion (done after release)', better: 'lower', value: (c) => doneAfterReleaseMs(c)?.maxMs ?? Infinity, format: (v) => `${formatNumber(v, 1)} ms`, margin: 'ratio' },
  { name: 'Fairness (Jain index, 1 = equal shares)', better: 'higher', value: (c) => c.fairness, format: (v) => v.toFixed(3), margin: 'difference' },
];

/** Verdicts over the error-free measured cells at the largest client count; none when fewer than two servers qualify. */
export function headline(results: RunResults): Verdict[] {
  const clients = largestClientCount(results);
  if (clients === null) return [];
  const cells = seriesNames(results)
    .map((name) => measuredAt(results, name, clients))
    .filter((cell): cell is MeasuredCell => cell !== null && totalErrors(cell) === 0);
  if (cells.length < 2) return [];
  return METRICS.map((metric) => {
    const sign = metric.better === 'higher' ? -1 : 1;
    const ranked = [...cells].sort((a, b) => sign * (metric.value(a) - metric.value(b)));
    const [best, second] = ranked;
    const a = metric.value(best);
    const b = metric.value(second);
    let margin: string;
    if (a === b) margin = `tied with ${second.strategy}`;
    else if (metric.margin === 'difference') margin = `${Math.abs(a - b).toFixed(3)} ${metric.better} than ${second.strategy} (${metric.format(b)})`;
    else {
      // Small margins read better as percentages: "3.1% lower", large ones as ratios: "7.7x lower".
      const ratio = metric.better === 'higher' ? a / b : b / a;
      const amount = ratio < 1.5 ? `${(Math.abs(a - b) / b * 100).toFixed(1)}%` : `${ratio.toFixed(ratio < 10 ? 1 : 0)}x`;
      margin = `${amount} ${metric.better} than ${second.strategy} (${metric.format(b)})`;
    }
    return { comparison: `${metric.name} at ${clientsText(clients)}`, winner: best.strategy, detail: `${metric.format(a)}, ${margin}` };
  });
}

export function formatNumber(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
