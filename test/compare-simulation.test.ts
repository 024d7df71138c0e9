// compare on seeded simulated runs (issue 22, defect 2 and its power): 200 compares
// of 24 cells, 10% launch-to-launch noise on throughput and p50, 3 trials a side.
// Same code on both sides: `--fail-on-regression 10` must fail in at most 5% of
// compares. One cell slowed by 30% (throughput x 0.7, p50 and p99 x 1.3) must be
// caught in at least 80%. Welch on each cell's own 2 degrees of freedom caught it
// in 10 of 200 (5%); the empirical-Bayes moderated t (moderated.ts) with the
// one-sided question gets, with seed 22: 7 of 200 false failures (3.5%), 162 of
// 200 caught (81%); over 2,000 compares (seed 7): 2.0% and 86.0%. With one cell
// 3x noisier than the rest (30%): seed 22, 8 of 200 (4%); 2,000 compares, 3.6%
// (without the rule that such a cell keeps its own variance: 9.8%). 7 trials,
// seed 22: 2 of 200 false failures, 200 of 200 caught. The cells' noise spread
// evenly from 3% to 20%: 7 of 200 (18 when each run's sides were moderated apart,
// before each cell's two sides were pooled; 1,000 compares: 3.7% and 8.9%).

import { compareRuns, regressionsBeyond } from '../harness/measure/compare';
import { seeded } from './support/random';
import { simulatedRun, Table } from './support/simulated-runs';

const COMPARES = 200;
const SLOWED = { strategy: 'a', clients: 4, share: 0.3 };

function simulate(table: Table, seed: number): { sameFailed: number; slowCaught: number } {
  const random = seeded(seed);
  let sameFailed = 0;
  let slowCaught = 0;
  for (let k = 0; k < COMPARES; k++) {
    const base = simulatedRun(random, table);
    if (regressionsBeyond(compareRuns(base, simulatedRun(random, table)), 10).length > 0) sameFailed++;
    const caught = regressionsBeyond(compareRuns(base, simulatedRun(random, { ...table, slowed: SLOWED })), 10);
    if (caught.some(({ row }) => row.strategy === SLOWED.strategy && row.clients === SLOWED.clients)) slowCaught++;
  }
  return { sameFailed, slowCaught };
}

it('3 trials: unchanged code fails --fail-on-regression 10 in at most 5% of 200 compares, and a 30% slowdown is caught in at least 80%', () => {
  const { sameFailed, slowCaught } = simulate({ trials: 3, noise: 0.1 }, 22);
  expect(sameFailed).toBeLessThanOrEqual(10);
  expect(slowCaught).toBeGreaterThanOrEqual(160);
});

it('3 trials with one cell 3x noisier than the rest: still at most 5% false failures (the noisy cell keeps its own variance)', () => {
  const { sameFailed } = simulate({ trials: 3, noise: 0.1, noisy: { strategy: 'b', clients: 8, noise: 0.3 } }, 22);
  expect(sameFailed).toBeLessThanOrEqual(10);
});

it('3 trials, the cells\' noise spread evenly from 3% to 20%: at most 5% false failures (each cell\'s two sides pooled before moderating)', () => {
  const { sameFailed } = simulate({ trials: 3, noise: 0.1, spread: { low: 0.03, high: 0.2 } }, 22);
  expect(sameFailed).toBeLessThanOrEqual(10);
});

it('7 trials: still at most 5% false failures, and the 30% slowdown caught in at least 95%', () => {
  const { sameFailed, slowCaught } = simulate({ trials: 7, noise: 0.1 }, 22);
  expect(sameFailed).toBeLessThanOrEqual(10);
  expect(slowCaught).toBeGreaterThanOrEqual(190);
});
