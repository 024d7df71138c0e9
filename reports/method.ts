// "How these figures were computed": said once per report, from the run's own
// parameters, for the phases that ran.

import { ALPHA, CONFIDENCE, Estimate } from '../harness/measure/statistics';
import type { RunView } from './run-view';

/** What each interval method means, for the tables' footnotes. */
export const METHOD_MEANINGS: Record<Estimate['method'], string> = {
  pooled: "Student's t over the cell's trial means, with the launch-to-launch variance (relative to the mean) pooled across the run's cells",
  own: "Student's t over the cell's own trial means: they varied significantly more than the pool (one-sided F test at α = 0.05)",
  windows: "one launch: Student's t over its measuring windows, which misses launch-to-launch variance (the interval is too narrow)",
  none: 'one value: no interval',
};

export function methodText(view: RunView): string[] {
  const { measurement, repeat, seed, workload } = view.results.parameters;
  const confidence = `${Math.round(CONFIDENCE * 100)}%`;
  const window = `${measurement.windowMs} ms`;
  const paragraphs = [
    `Every figure is a mean over a cell's trials with its ${confidence} interval. Each trial ran in a fresh set of processes (server, clients, probe); ` +
      `the run made ${repeat} trial${repeat === 1 ? '' : 's'} of each cell and shuffled all of them (seed ${seed}). ` +
      `The interval is Student's t over the trial means, with the launch-to-launch variance pooled across the run's cells ('pooled'), ` +
      `or the cell's own variance when it varied significantly more than the pool (F test at α = ${ALPHA}: 'own'), ` +
      `or, for a cell measured in one launch, over that launch's windows ('windows': this misses launch-to-launch variance). ` +
      `Tables mark every interval that is not 'pooled'.`,
    `Two servers differ significantly when Welch's t test on their means, standard errors and degrees of freedom gives p < ${ALPHA}. ` +
      'The headline names a best server only then, and otherwise says there is no significant difference.',
    `Warm-up: each trial ran its clients in windows of ${window} for at least ${measurement.warmupMinMs} ms until the throughput of the last ${measurement.steadyWindows} windows ` +
      `neither trended nor scattered by more than ${Math.round(measurement.steadyTolerance * 100)}% of their mean (steady state), ` +
      `or until ${measurement.warmupMaxMs} ms had passed (then flagged "no steady state" and measured anyway).`,
  ];
  if (measurement.mode !== 'script') {
    paragraphs.push(
      `Steady phase: ${measurement.measureWindows} windows of ${window} with every client running. Throughput counts the transactions that ended inside the phase; ` +
        "turnaround percentiles come from the same transactions. Fairness is Jain's index over the transactions each client completed in the phase " +
        '(1 = equal shares, 1/n = one client served). Server CPU (user + system) is read from outside the server process at the two edges of the measured phase, ' +
        'and given per transaction; peak threads and memory are sampled throughout the trial. ' +
        'Machine responsiveness: a probe process sleeps briefly over and over; its lateness is compared with the idle machine before the first cell.',
    );
  }
  if (measurement.mode !== 'steady') {
    const length = workload.workload === 'transactions' ? `${workload.transactions} transactions` : `${workload.batches} batches of ${workload.batchSize}`;
    paragraphs.push(
      `Script: every client runs its fixed script (${length}) from one common start. A client's completion is when its script was done, counted from that start, ` +
        "waiting to be served included; the worst client is the last one done. Script fairness is Jain's index over the transactions each client had done when the first client finished.",
    );
  }
  return paragraphs;
}
