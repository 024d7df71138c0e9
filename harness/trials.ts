// Repeated trials: the seeded, interleaved order they run in and the statistics
// across them.

import type { Spread } from './results';
import { median } from './stats';

/** mulberry32: a small seeded generator, so an order can be run again with --seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlannedTrial {
  /** Index into the cell list. */
  cell: number;
  /** 1-based trial number of that cell. */
  trial: number;
}

/**
 * `repeat` rounds, each a shuffled permutation of every cell (Fisher-Yates), so a
 * cell's trials are spread over the run and drift in the machine hits all cells alike.
 * One trial per cell keeps the natural order.
 */
export function trialOrder(cells: number, repeat: number, seed: number): PlannedTrial[] {
  const order: PlannedTrial[] = [];
  const random = seededRandom(seed);
  for (let trial = 1; trial <= repeat; trial++) {
    const round = Array.from({ length: cells }, (_, cell) => cell);
    if (repeat > 1) {
      for (let i = round.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [round[i], round[j]] = [round[j], round[i]];
      }
    }
    for (const cell of round) order.push({ cell, trial });
  }
  return order;
}

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074,
  2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Median, mean with its 95% confidence interval, and relative spread of at least two values. */
export function spread(values: number[]): Spread {
  const n = values.length;
  if (n < 2) throw new Error('spread needs at least two trials');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const t = n - 1 <= T975.length ? T975[n - 2] : 1.96;
  const half = t * Math.sqrt(variance / n);
  const mid = median(values);
  return {
    median: mid,
    mean,
    ci95Low: mean - half,
    ci95High: mean + half,
    relativeSpread: mid > 0 ? (Math.max(...values) - Math.min(...values)) / mid : 0,
  };
}
