// The table printed when a run ends: a precision column per cell, a problems
// column that counts errors and warnings (never a wide interval), and one line
// on the precision the run reached.

import { summarizeCells } from '../harness/measure/summarize';
import { summaryTable } from '../harness/summary';
import { cellOf, failedTrial, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

const columns = (line: string) => line.trim().split(/\s{2,}/);

it('gives each cell its precision and the run one line on it; a wide interval is no problem', () => {
  const cells = summarizeCells(
    [
      cellOf('a', 1, [trial({ trial: 1, throughputTps: 990 }), trial({ trial: 2, throughputTps: 1000 }), trial({ trial: 3, throughputTps: 1010 })]),
      // b has two trials 1% from their mean, as noisy as a's: t(0.975, 1) = 12.7 makes that ±13%, a wide interval and nothing else wrong.
      // (Trials that scatter more than the run's other cells' would be a problem: a 'noisy-cell' warning.)
      cellOf('b', 1, [trial({ trial: 1, throughputTps: 1980 }), trial({ trial: 2, throughputTps: 2020 })]),
      cellOf('c', 1, [failedTrial(1, 'server exited with code 1')]),
    ],
    PARAMETERS,
    2,
  );
  const lines = summaryTable(resultsOf(cells)).split('\n');
  expect(columns(lines[0])).toEqual(['strategy', 'clients', 'tx/s (95% CI)', 'p50 µs', 'p99 µs', 'worst client done ms', 'precision', 'fairness', 'threads', 'problems']);
  // Each cell's precision from its own intervals: p50 is the same in every trial, so throughput's half-width decides.
  const precision = (index: number) => {
    const e = cells[index].summary!.steady!.throughputTps;
    return `±${(((e.high - e.low) / 2 / e.mean) * 100).toFixed(1)}%`;
  };
  expect(cells[0].summary!.steady!.p50Ns.high).toBe(cells[0].summary!.steady!.p50Ns.low);
  const row = (name: string) => columns(lines.find((l) => l.startsWith(`${name} `))!);
  expect(row('a')[6]).toBe(precision(0));
  expect(row('b')[6]).toBe(precision(1));
  // By hand: a's 990, 1000, 1010: 4.302653 x 10 / sqrt(3) / 1000 = 2.5%; b's: 12.706205 x 20 / sqrt(2) / 2000 = 12.7%.
  expect([row('a')[6], row('b')[6]]).toEqual(['±2.5%', '±12.7%']);
  // b is wide but has no problem; c failed.
  expect(row('b')).toHaveLength(9); // the problems column is empty (trimmed)
  expect(row('c')).toEqual(['c', '1', 'FAILED', 'server exited with code 1']);
  // Below 10%, one decimal; from 10% on, whole percents. The median of two cells is their mean.
  const shares = [0, 1].map((i) => {
    const e = cells[i].summary!.steady!.throughputTps;
    return (e.high - e.low) / 2 / e.mean;
  });
  const percent = (share: number) => (share * 100).toFixed(share < 0.1 ? 1 : 0);
  const [low, high] = [Math.min(...shares), Math.max(...shares)];
  const within = shares.filter((share) => share <= 0.05).length;
  expect(lines[lines.length - 1]).toBe(
    `Precision reached: ±${percent(low)}–${percent(high)}% (median ${percent((low + high) / 2)}%) of the mean at 95% confidence (throughput and p50, the wider of the two per cell); ` +
      `${within} of 2 cells within ±5.0%. For tighter intervals: ${within === 2 ? 'a --precision below 5.0, with a longer --max-time' : '--precision 5 --max-time 15m'}.`,
  );
});
