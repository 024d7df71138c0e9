// --repeat: trials interleaved in a seeded shuffle; medians and 95% intervals per cell.

import { trialOrder } from '../harness/run/trials';
import { killAll } from './support/spawned';
import { measured, quickRun } from './support/runs';

afterEach(killAll);

describe('trial order', () => {
  it('is one shuffled permutation of every cell per round, the same for the same seed', () => {
    const order = trialOrder(5, 4, 42);
    expect(order).toHaveLength(20);
    for (let round = 0; round < 4; round++) {
      const cells = order.slice(round * 5, round * 5 + 5);
      expect(cells.every((t) => t.trial === round + 1)).toBe(true);
      expect(cells.map((t) => t.cell).sort()).toEqual([0, 1, 2, 3, 4]);
    }
    expect(trialOrder(5, 4, 42)).toEqual(order);
    const natural = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4];
    expect(order.map((t) => t.cell)).not.toEqual(natural);
    const seeds = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(trialOrder(5, 4, seed)));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('keeps the natural order for one trial', () => {
    expect(trialOrder(3, 1, 99).map((t) => t.cell)).toEqual([0, 1, 2]);
  });
});

it('runs every cell --repeat times in the seeded order, each trial in fresh processes, and summarizes them', async () => {
  const { finished, results } = await quickRun(['--strategy', 'node-net', '--clients', '1,2', '--transactions', '150', '--repeat', '3', '--seed', '5']);
  expect(finished.code).toBe(0);
  expect(results.parameters.repeat).toBe(3);
  expect(results.parameters.seed).toBe(5);
  expect(results.cells).toHaveLength(2);
  const order = trialOrder(2, 3, 5);
  for (const [index, cell] of results.cells.entries()) {
    expect(cell.trials.map((t) => t.trial)).toEqual([1, 2, 3]);
    // Each trial ran where the seeded order put it.
    for (const trial of cell.trials) expect(order[trial.runPosition - 1]).toEqual({ cell: index, trial: trial.trial });
    const summary = cell.summary!;
    // A trial the host changed pace during (its readings before and after 1.5x apart) is set aside from the figures, and
    // said so: the host's doing, which a test cannot rule out (one in 105 suites of a CI run on a noisy night).
    const all = cell.trials.map((_, i) => measured(cell, i));
    const changed = all.filter((t) => Math.max(t.hostWakeupUs!, t.hostWakeupAfterUs!) / Math.min(t.hostWakeupUs!, t.hostWakeupAfterUs!) > 1.5);
    const expectedAside = changed.length === all.length ? [] : changed.map((t) => t.trial); // all changed: none has a pace, all kept
    const setAside = summary.observations.flatMap((o) => (o.kind === 'pace-changed' ? [o.trial] : []));
    expect(setAside).toEqual(expectedAside);
    const trials = all.filter((t) => !expectedAside.includes(t.trial));
    expect(summary.measuredTrials).toBe(3 - expectedAside.length);
    // The cell's figure is the mean of its trials' figures, which are its samples.
    const throughputs = trials.map((t) => t.steady!.throughputTps);
    expect(summary.steady!.throughputTps.samples).toEqual(throughputs);
    expect(summary.steady!.throughputTps.mean).toBeCloseTo(throughputs.reduce((a, b) => a + b, 0) / throughputs.length, 6);
    expect(summary.steady!.throughputTps.low).toBeLessThanOrEqual(summary.steady!.throughputTps.mean);
    expect(summary.steady!.throughputTps.high).toBeGreaterThanOrEqual(summary.steady!.throughputTps.mean);
    expect(summary.script!.worstDoneMs.samples).toEqual(trials.map((t) => t.script!.worstDoneMs));
    // Errors summed over the trials (all zero here).
    expect(summary.errors).toEqual({ unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 });
  }
});
