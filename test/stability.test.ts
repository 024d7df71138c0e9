// The stability benchmark's arithmetic on made-up runs: which cells stayed within
// ±5%, which moved and whether they were flagged, and which claims agreed.

import { summarizeCells } from '../harness/measure/summarize';
import { cellStability, claimAgreement, stabilityText } from '../harness/measure/stability';
import { cellOf, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

function runWith(throughputs: [number, number]) {
  return resultsOf(
    summarizeCells(
      [
        cellOf('a', 1, [1, 2, 3].map((n) => trial({ trial: n, throughputTps: throughputs[0] }))),
        cellOf('b', 4, [trial({ trial: 1, throughputTps: throughputs[1] * 0.7 }), trial({ trial: 2, throughputTps: throughputs[1] }), trial({ trial: 3, throughputTps: throughputs[1] * 1.3 })]),
      ],
      PARAMETERS,
      2,
    ),
  );
}

it('finds the cells within ±5% in every run, and whether a cell that moved was flagged', () => {
  const cells = cellStability([runWith([1000, 500]), runWith([1030, 600]), runWith([990, 450])]);
  const [a, b] = cells;
  expect([a.cell, b.cell]).toEqual(['a x 1', 'b x 4']);
  expect(a.throughputTps).toEqual([1000, 1030, 990]);
  // mean 1006.67: the largest deviation is 1030 / 1006.67 - 1 = 2.3%.
  expect(a.throughputDeviation).toBeCloseTo(1030 / (3020 / 3) - 1, 12);
  expect(a.stable).toBe(true);
  expect(a.flaggedInRuns).toBe(0);
  expect(b.stable).toBe(false);
  // b's trials scatter ±30%: every run flags it unstable.
  expect(b.flaggedInRuns).toBe(3);
});

it('claims agree only when every run says the same', () => {
  const agreement = claimAgreement([
    [
      { key: 'Throughput at 20 clients', verdict: 'iocp' },
      { key: 'p99 at 20 clients', verdict: 'no significant difference' },
    ],
    [
      { key: 'Throughput at 20 clients', verdict: 'iocp' },
      { key: 'p99 at 20 clients', verdict: 'overlapped' },
    ],
  ]);
  expect(agreement).toEqual([
    { key: 'Throughput at 20 clients', verdicts: ['iocp', 'iocp'], agree: true },
    { key: 'p99 at 20 clients', verdicts: ['no significant difference', 'overlapped'], agree: false },
  ]);
  expect(claimAgreement([[{ key: 'x', verdict: 'a' }], []])[0]).toEqual({ key: 'x', verdicts: ['a', '(not claimed)'], agree: false });
});

it('prints per cell the runs, the largest deviation and the flags, then the verdicts', () => {
  const runs = [runWith([1000, 500]), runWith([1030, 600]), runWith([990, 450])];
  const claims = claimAgreement([[{ key: 'k', verdict: 'a' }], [{ key: 'k', verdict: 'a' }], [{ key: 'k', verdict: 'b' }]]);
  const lines = stabilityText(cellStability(runs), claims, runs, [61_000, 59_400, 60_600]).split('\n');
  expect(lines[0].split(/\s{2,}/)).toEqual(['cell', 'tx/s per run', 'max deviation', 'p50 µs per run', 'max deviation', 'within ±5.0%', 'flagged unstable']);
  // a: 1030 against the mean 1006.67 is +2.3%; b: 600 against 516.67 is +16.1%.
  expect(lines.find((l) => l.startsWith('a x 1'))!.split(/\s{2,}/)).toEqual(['a x 1', '1,000 / 1,030 / 990', '±2.3%', expect.any(String), expect.any(String), 'yes', '0 of 3']);
  expect(lines.find((l) => l.startsWith('b x 4'))!.split(/\s{2,}/)).toEqual(['b x 4', '500 / 600 / 450', '±16.1%', expect.any(String), expect.any(String), 'no', '3 of 3']);
  expect(lines).toContain('1 of 2 cells (50.0%) within ±5.0% on throughput and p50 in all 3 runs.');
  expect(lines).toContain('Every cell that moved was flagged unstable in at least one run.');
  expect(lines).toContain('0 of 1 claims of the reports agreed in every run.');
  expect(lines).toContain('  disagreed: k: a | a | b');
  expect(lines.find((l) => l.startsWith('Warnings per run:'))).toMatch(/Run durations: 61 s, 59 s, 61 s\.$/);
});
