// --repeat: trials interleaved in a seeded shuffle; medians and 95% intervals per cell.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResults } from '../harness/results';
import { median } from '../harness/stats';
import { spread, trialOrder } from '../harness/trials';
import { killAll, pipebench } from './support/spawned';

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

describe('spread', () => {
  it('gives the median, and the mean with its Student-t 95% interval', () => {
    const s = spread([10, 20, 30]);
    expect(s.median).toBe(20);
    expect(s.mean).toBe(20);
    // sd 10, n 3: half width 4.303 * 10 / sqrt(3)
    expect(s.ci95High - s.mean).toBeCloseTo((4.303 * 10) / Math.sqrt(3), 6);
    expect(s.mean - s.ci95Low).toBeCloseTo((4.303 * 10) / Math.sqrt(3), 6);
    expect(s.relativeSpread).toBe(1);
  });
});

it('runs every cell --repeat times in the seeded order and reports medians', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-trials-')), 'out');
  const finished = await pipebench(['run', '--strategy', 'node-net', '--clients', '1,2', '--transactions', '150', '--repeat', '3', '--seed', '5', '--idle-probe-ms', '0', '--out', out]).finished;
  expect(finished.code).toBe(0);
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  expect(results.parameters.repeat).toBe(3);
  expect(results.parameters.seed).toBe(5);
  expect(results.cells).toHaveLength(2);
  const order = trialOrder(2, 3, 5);
  for (const [index, cell] of results.cells.entries()) {
    if (cell.outcome !== 'measured') throw new Error(`cell failed: ${cell.reason}`);
    expect(cell.trials.map((t) => t.trial)).toEqual([1, 2, 3]);
    // Each trial ran where the seeded order put it.
    for (const trial of cell.trials) expect(order[trial.runPosition - 1]).toEqual({ cell: index, trial: trial.trial });
    expect(cell.throughputTps).toBe(median(cell.trials.map((t) => t.throughputTps)));
    expect(cell.latency.p99Ns).toBe(median(cell.trials.map((t) => t.latency!.p99Ns)));
    expect(cell.transactions).toBe(cell.trials.reduce((sum, t) => sum + t.transactions, 0));
    const stats = cell.trialStats!;
    expect(stats.measuredTrials).toBe(3);
    expect(stats.throughputTps.median).toBe(cell.throughputTps);
    expect(stats.throughputTps.ci95Low).toBeLessThanOrEqual(stats.throughputTps.mean);
    expect(stats.throughputTps.ci95High).toBeGreaterThanOrEqual(stats.throughputTps.mean);
    const disagree = stats.throughputTps.relativeSpread > 0.1;
    expect(cell.warnings.some((w) => w.startsWith('trials disagree on throughput'))).toBe(disagree);
  }
});
