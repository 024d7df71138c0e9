// What the load itself cost: the clients' CPU per transaction over the measured
// phase of a cell's trials (all clients' CPU over all their transactions, so a
// trial with more transactions weighs more), read from outside like the
// server's. Said in every report's method section, beside the clients' share of
// the machine, because clients that cost much hold every server down. Pure.

import type { MeasuredTrial } from '../schema/results';

/** Null when no trial has a measured phase with a transaction. */
export function clientCpuUsPerTransaction(trials: readonly MeasuredTrial[]): number | null {
  let cpuUs = 0;
  let transactions = 0;
  for (const trial of trials) {
    if (!trial.steady || trial.steady.transactions === 0) continue;
    cpuUs += trial.steady.clientCpuUs;
    transactions += trial.steady.transactions;
  }
  return transactions > 0 ? cpuUs / transactions : null;
}
