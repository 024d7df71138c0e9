// The noise threshold and --fail-on-regression are tested on the interval's
// bound nearest zero, not on the point estimate (criterion.rs; issue 22, defect 3).

import { compareRuns, regressionsBeyond } from '../harness/measure/compare';
import type { Estimate } from '../harness/measure/statistics';
import type { RunResults } from '../harness/schema/results';
import { twoCellRun } from './support/synthetic-trials';

// Many degrees of freedom: t(0.975) is 1.959964; a base of 1000 with a negligible error.
const Z = 1.959963984540054;
const DF = 1e7;
function exact(mean: number, halfWidth: number): Estimate {
  const standardError = halfWidth / Z;
  return { mean, low: mean - halfWidth, high: mean + halfWidth, standardError, df: DF, method: 'own', samples: [mean, mean, mean] };
}
function withThroughput(mean: number, halfWidth: number): RunResults {
  const run = twoCellRun([1000, 1000, 1000], [1000, 1000, 1000]);
  for (const cell of run.cells) cell.summary!.steady!.throughputTps = exact(mean, halfWidth);
  return run;
}
const base = withThroughput(1000, 1e-6);

it('+2.5% with interval [+1.8%, +3.2%] is "~" under a 2% noise threshold: the interval reaches inside it', () => {
  const change = compareRuns(base, withThroughput(1025, 7), 0.02)[0].changes[0]!;
  expect(change.relative).toBeCloseTo(0.025, 9);
  expect(change.low).toBeCloseTo(0.018, 4);
  expect(change.high).toBeCloseTo(0.032, 4);
  expect(change.changed).toBe(false);
});

it('+2.5% with interval [+2.2%, +2.8%] is a change under a 2% threshold: the whole interval is beyond it', () => {
  expect(compareRuns(base, withThroughput(1025, 3), 0.02)[0].changes[0]!.changed).toBe(true);
});

it('-11% with interval [-16.5%, -5.5%] is a regression, but not one beyond 10%: --fail-on-regression 10 passes', () => {
  const rows = compareRuns(base, withThroughput(890, 55), 0.02);
  expect(rows[0].changes[0]!.regression).toBe(true);
  expect(regressionsBeyond(rows, 10)).toEqual([]);
  expect(regressionsBeyond(rows, 5).map((r) => r.figure.name)).toEqual(['throughput', 'throughput']);
});
