// Seeded simulated runs for compare's simulations: 24 cells (6 servers x 4 client
// counts), each with throughput, p50 and p99 estimates over its trials as
// summarize makes them, and only what compare reads.

import { logTrialEstimate, trialEstimate } from '../../harness/measure/statistics';
import type { RunResults } from '../../harness/schema/results';
import { normal } from './random';

export const STRATEGIES = ['a', 'b', 'c', 'd', 'e', 'f'];
export const CLIENTS = [1, 4, 8, 16];

export interface Table {
  trials: number;
  /** Launch-to-launch noise: the trials' standard deviation over their mean. */
  noise: number;
  /** Instead of one noise: the cells' noise spread evenly from `low` (the first cell) to `high` (the last). */
  spread?: { low: number; high: number };
  /** A cell with its own noise (the case that makes pooling dangerous). */
  noisy?: { strategy: string; clients: number; noise: number };
  /** A cell slowed by this share: throughput x (1 - share), p50 and p99 x (1 + share). */
  slowed?: { strategy: string; clients: number; share: number };
}

export function simulatedRun(random: () => number, table: Table): RunResults {
  const at = (cell: { strategy: string; clients: number } | undefined, strategy: string, clients: number) => cell?.strategy === strategy && cell.clients === clients;
  return {
    cells: STRATEGIES.flatMap((strategy, s) =>
      CLIENTS.map((clients, c) => {
        const slow = at(table.slowed, strategy, clients) ? table.slowed!.share : 0;
        const spread = table.spread ? table.spread.low + ((table.spread.high - table.spread.low) * (s * CLIENTS.length + c)) / (STRATEGIES.length * CLIENTS.length - 1) : table.noise;
        const noise = at(table.noisy, strategy, clients) ? table.noisy!.noise : spread;
        const tps = 1000 * (1 - slow);
        const p50Ns = 20_000 * (1 + slow);
        const throughputs = Array.from({ length: table.trials }, () => normal(random, tps, tps * noise));
        const p50s = Array.from({ length: table.trials }, () => normal(random, p50Ns, p50Ns * noise));
        const steady = { throughputTps: trialEstimate(throughputs), p50Ns: logTrialEstimate(p50s), p99Ns: logTrialEstimate(p50s.map((v) => v * 3)) };
        return { strategy, clients, summary: { steady } };
      }),
    ),
  } as unknown as RunResults;
}
