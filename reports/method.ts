// "How these figures were computed": said once per report, from the run's own
// parameters, for the phases that ran.

import { DEFAULT_NOISE_THRESHOLD } from '../harness/measure/compare';
import { formatPercent, rankThreshold } from './headline';
import { clientCpuUsPerTransaction } from '../harness/measure/client-cost';
import { ALPHA, CONFIDENCE, Estimate } from '../harness/measure/statistics';
import { SATURATED_CPU_SHARE } from '../harness/measure/warnings';
import { DRIFT_ALPHA, MAX_REMEASURES } from '../harness/measure/steady-state';
import { clientsText, RunView } from './run-view';
import { PACE_CHANGED_BEYOND, PACED_FIGURES, paceGroup } from '../harness/measure/pace-adjust';
import { measuredTrials } from '../harness/schema/results';
import { HOST_EXPLAINS } from '../harness/measure/summarize';
import { PRECISION_MIN_TRIALS, REPORT_RESERVE_MS } from '../contract/knobs';
import { IDLE_PROBES } from '../harness/run/idle-machine';

/** What each interval method means, for the tables' footnotes. */
export const METHOD_MEANINGS: Record<Estimate['method'], string> = {
  own: "Student's t over the cell's own trial values",
  log: "Student's t over the logarithms of the cell's trial values: their geometric mean, with an interval that stays positive",
  pooled: "(an older results file) Student's t over the cell's trial means, with the launch-to-launch variance pooled across the run's cells",
  windows: "(an older results file) one launch: Student's t over its measuring windows, which misses launch-to-launch variance (the interval is too narrow)",
  none: 'one trial: no interval, and nothing to compare it with',
};

/** How many trials each cell got, and why (--precision, --max-time). */
function precisionText(view: RunView): string {
  const { precision, maxTimeMs, repeat } = view.results.parameters;
  if (precision === null || precision === undefined) return `Trials: exactly ${repeat} per cell (no precision target).`;
  const counts = view.results.cells.flatMap((c) => (c.summary ? [c.summary.measuredTrials] : []));
  const range = counts.length ? ` Cells got ${Math.min(...counts)} to ${Math.max(...counts)} measured trials.` : '';
  return (
    `Trials: ${repeat} shuffled rounds of every cell, then shuffled rounds of only the cells whose throughput or p50 interval was wider than ±${(precision * 100).toFixed(1)}% of the mean ` +
    `or that had run fewer than ${PRECISION_MIN_TRIALS} trials (a few trials that happen to agree are not taken as precision; those missing the target first in each round), ` +
    `until every cell reached it or the next trial (with the median gap between trials, and ${REPORT_RESERVE_MS / 1000} s kept for the report) would have ended after the budget of ${maxTimeMs === null ? 'none' : `${Math.round(maxTimeMs / 1000)} s, counted from the command's start`}` +
    `${view.results.ended === 'budget' ? ' (the budget ended this run)' : view.results.ended === 'reached' ? ' (every cell reached it)' : ''}.${range}`
  );
}

/** How throughput, p50, the script's completions and server CPU per transaction were adjusted for the host's pace, from the cells' own record. */
function paceText(view: RunView): string {
  const adjusted = view.results.cells.flatMap((c) => (c.summary?.paceAdjustment ? [{ clients: c.clients, strategy: c.strategy, external: c.external, ...c.summary.paceAdjustment }] : []));
  const timed =
    "Host pace: between trials, while none of their processes runs, the harness times wake-up round trips between two of its own threads (the median of its batches; results.json: hostWakeupUs before a trial, hostWakeupAfterUs after it). " +
    "On a virtual machine it moves in phases the code has nothing to do with, and throughput with it; compare says when two runs' hosts differed (significant, beyond 5%). " +
    `A trial whose readings before and after differ by more than ${PACE_CHANGED_BEYOND}× (the two readings of one trial agree within 1.45× in 99% of trials) has no pace to be adjusted by: ` +
    "the host changed pace during it, or one reading was a misreading (a stall, or a reading taken with both threads on one CPU) that its retake repeated. " +
    "It is set aside from the cell's figures (its errors still count; the notes name it) and, where the budget allows, another trial is run in its place. ";
  if (adjusted.length === 0) return timed + "Not adjusted for: a trial of the run has no pace, so the figures are the trials' own.";
  const slope = (value: number | null) => (value === null ? 'none (not significant)' : value.toFixed(2));
  const groups = new Map<number, string>();
  for (const a of adjusted) groups.set(paceGroup(a), Object.values(PACED_FIGURES).map((figure) => `${figure.label} ${slope(a[figure.slope])}`).join(', '));
  return (
    timed +
    `Throughput, p50, the script's completions (the worst and the mean client's) and the server's CPU per transaction (a slower host spends more CPU time on each) are adjusted to the run's mean host pace (${adjusted[0].referenceUs.toFixed(1)} µs a wake-up round trip, the geometric mean over its trials) ` +
    "by analysis of covariance, as CUPED adjusts an experiment's metric by a covariate no treatment moves: a trial's pace is the geometric mean of the readings just before its processes start " +
    'and just after they have ended, which bracket it (over 1,530 trials of 21 runs, 2026-12-04, the change from one reading to the next did not depend on the cell run between them: ' +
    '−1.1% to +1.2% by client count, each within 1.7 standard errors of none), ' +
    'and the shuffled order gives every server the same phases of the host on average. On the log scale, a trial\'s figure follows the pace with a slope common to the cells that serve ' +
    'as many clients at once (a one-at-a-time server with the 1-client cells), fitted on the trials\' deviations from their own cell\'s means and used only where significant ' +
    `in the direction a slower host moves the figure (one-sided, p < ${ALPHA}); each trial's figure is then value × (mean pace / its pace)^slope, and the cell's interval is Student's t over those values. ` +
    `Slopes in this run, by clients served at once: ${[...groups.entries()].sort(([a], [b]) => a - b).map(([clients, text]) => `${clients}: ${text}`).join('; ')}. The trials' own figures are in results.json; p99 and the other figures are not adjusted. ` +
    "When runs are compared (compare, bench-stability), each is moved from its mean pace to their common pace with slopes fitted the same way on the trials of every run compared, not each run's own: how a figure follows the pace is the host's, and one run's trials can fit an extreme slope where its paces lay close together."
  );
}

/** Which processes a trial started afresh, and which the run kept. */
function processesText(clientWarmupMs: number): string {
  if (clientWarmupMs === 0) return 'Each trial ran in a fresh set of processes (server, clients, probe);';
  return (
    `Each trial started its server and probe afresh; the clients, the load generator, were kept from trial to trial (a client that failed was replaced), ` +
    `after running ${clientWarmupMs} ms against a server before the first trial, unrecorded, so that their load loops were compiled before any trial began;`
  );
}

export function methodText(view: RunView): string[] {
  const { measurement, repeat, seed, workload } = view.results.parameters;
  const confidence = `${Math.round(CONFIDENCE * 100)}%`;
  const window = `${measurement.windowMs} ms`;
  const paragraphs = [
    `Every figure is a mean over a cell's trials with its ${confidence} interval. ${processesText(measurement.clientWarmupMs)} ` +
      `the run made ${repeat} trial${repeat === 1 ? '' : 's'} of each cell and shuffled all of them (seed ${seed}). ` +
      `The interval is Student's t over the cell's own trial values ('own'): the launch-to-launch variance is estimated from the cell's own launches, ` +
      `never pooled with other cells', so a noisy cell can neither widen nor narrow its peers' intervals (pooling did; with 3 trials an F test ` +
      `cannot tell which cells to keep apart); the price is a wide t with few trials, paid with more trials where the noise is. ` +
      `Turnaround percentiles: each trial's p50 and p99 are percentiles of the histogram of all its measured transactions; across trials, their ` +
      `geometric mean with Student's t over their logarithms ('log': positive, as turnaround is, and a stalled launch moves it less than a mean). ` +
      `The percentile chart uses the same estimator at every percentile. Server CPU per transaction is estimated the same way ('log'): its spread grows ` +
      `with its level, and servers are compared by its ratio (on the raw scale, 17.3, 25.1 and 16.9 µs against 8.5, 10.2 and 11.3 µs read as no significant difference, p = 0.06). ` +
      `A cell measured in one trial has no interval and is never ranked or compared ` +
      `('1 trial: not comparable'): its windows come from one launch and are not independent samples. ` +
      `A cell whose trials varied significantly more than the run's other cells (one-sided F test against their pooled relative variance, Holm over the cells) is flagged, ` +
      `unless it did so by one trial whose clients' own CPU per transaction moved against its throughput at least ${HOST_EXPLAINS}× as far (on the log scale) (the host ran slower or faster during it: ` +
      `the clients do the same work against every server) and its other trials do not: the notes name that trial.`,
    `Two servers differ significantly when Welch's t test on their means, standard errors and degrees of freedom gives p < ${ALPHA}. ` +
      `The headline names a best server only then, and only when the whole ${Math.round((1 - ALPHA) * 100)}% interval of their relative difference lies beyond ${formatPercent(rankThreshold(view.results.parameters))}% ` +
      `(the run's precision target, and at least compare's ${Math.round(DEFAULT_NOISE_THRESHOLD * 100)}% noise threshold: a run does not rank servers by a lead finer than it was measured to); ` +
      'otherwise it says there is no significant difference, or no difference beyond that threshold.',
    `Warm-up: each trial ran its clients in windows of ${window} for at least ${measurement.warmupMinMs} ms` +
      `${measurement.warmupMinTransactions > 0 ? ` and until every client had completed ${measurement.warmupMinTransactions} transactions in the trial (the JIT of its server thread; a server that serves one client at a time was not waited on for the clients it kept waiting)` : ''}, then until every window from some point to the latest ` +
      `(at least ${measurement.steadyWindows}) scattered by at most ${Math.round(measurement.steadyTolerance * 100)}% of their mean and trended by at most a third of that, ` +
      `scatter beyond that third being independent noise rather than a slow swing (lag-1 autocorrelation at most 0.5) (steady state), ` +
      `or until ${measurement.warmupMaxMs} ms had passed (then flagged "no steady state" and measured anyway). ` +
      `The measured windows were checked against the steady windows as soon as they ended (from the clients' per-window progress): a phase that drifted ` +
      `(a mean more than the tolerance from the steady windows, or a trend beyond a third of it, each significant at p < ${DRIFT_ALPHA}) was warmed up again until steady and measured again, ` +
      `at most ${MAX_REMEASURES} times and within the same ${measurement.warmupMaxMs} ms cap (results.json: warmup.remeasured); a phase whose mean still moved more than a third of the tolerance from the steady level is flagged "drift in the measured windows", with why it was not measured again; ` +
        `one that only trended, its mean within that third, wandered around the steady state: its figure is the steady state's, and the cell's observations say so.`,
    precisionText(view),
    paceText(view),
  ];
  if (measurement.mode !== 'script') {
    paragraphs.push(
      `Steady phase: ${measurement.measureWindows} windows of ${window} with every client running. Throughput counts the transactions that ended inside the phase; ` +
        "turnaround percentiles come from the same transactions. Fairness is Jain's index over the transactions each client completed in the phase " +
        '(1 = equal shares, 1/n = one client served). Server CPU (user + system) is read from outside the server process at the two edges of the measured phase, ' +
        'and given per transaction; peak threads and memory are sampled throughout the trial. ' +
        'Machine responsiveness: a probe process sleeps briefly over and over; its lateness is compared with the idle machine before the first cell.',
    );
    const cost = clientCost(view);
    if (cost) paragraphs.push(cost);
  }
  if (measurement.mode !== 'steady') {
    const length = workload.workload === 'transactions' ? `${workload.transactions} transactions` : `${workload.batches} batches of ${workload.batchSize}`;
    paragraphs.push(
      `Script: every client runs its fixed script (${length}) from one common start. A client's completion is when its script was done, counted from that start, ` +
        "waiting to be served included; the worst client is the last one done. Script fairness is Jain's index over the transactions each client had done when the first client finished.",
    );
  }
  paragraphs.push(
    'A ratio in the headline ("2.1× ± 0.2", "12.0% ± 3.0% lower") carries the half-width of its 95% interval, by the delta method: ' +
      "the ratio's relative variance is the sum of the two means' relative variances (a geometric mean's (turnaround) is the squared standard error of its logarithm), " +
      "with Welch–Satterthwaite's degrees of freedom. " +
      'Turnaround is ranked only among servers that served every client in the measured phase; ' +
      "a server that served fewer (one at a time) has those clients' turnaround, stated on its own line.",
    'Warnings mean a problem with a figure: errors, records left in the store, no steady state, drift in the measured windows, ' +
      `a cell whose trials varied significantly more than the run's other cells, a machine busy before the run (in each of up to ${IDLE_PROBES} idle probes), clients saturating the CPUs, ` +
      'clients a concurrent server starved, client processes that ended in the client warm-up before the first trial. A wide interval is not one: the tables show each interval and its precision (half-width over the mean), ' +
      "and the run says once what precision it reached. The load average during a cell counts the run's own processes and is never quoted as evidence.",
  );
  return paragraphs;
}

/** "The clients cost 19.4–21.0 µs of CPU per transaction at 1 client …", from this run's measured phases. */
function clientCost(view: RunView): string | null {
  const at = (clients: number) =>
    view.cells.flatMap((cell) => {
      if (cell.cell.clients !== clients || !cell.cell.summary?.steady) return [];
      const perTransaction = clientCpuUsPerTransaction(measuredTrials(cell.cell.trials));
      return perTransaction === null ? [] : [{ perTransaction, share: cell.cell.summary.steady.clientCpuShare.mean, server: cell.cell.summary.steady.serverCpuShare?.mean ?? null }];
    });
  const range = (values: number[], digits: number) => {
    const [low, high] = [Math.min(...values), Math.max(...values)].map((v) => v.toFixed(digits));
    return low === high ? low : `${low}–${high}`;
  };
  const counts = [...new Set([view.clientCounts[0], view.largestClients])].filter((c): c is number => c !== null && c !== undefined && at(c).length > 0);
  if (counts.length === 0) return null;
  const perCount = counts.map((clients) => {
    const cells = at(clients);
    const servers = cells.flatMap((c) => (c.server === null ? [] : [c.server * 100]));
    return (
      `at ${clientsText(clients)}, ${range(cells.map((c) => c.perTransaction), 1)} µs of CPU per transaction, ` +
      `${range(cells.map((c) => c.share * 100), 0)}% of the machine${servers.length ? ` (the server: ${range(servers, 0)}%)` : ''}`
    );
  });
  return (
    `What the clients cost in this run (every client's CPU over the measured phase, read from outside like the server's; the range over the servers): ${perCount.join('; ')}. ` +
    (view.results.environment.clientTransport ? `Each client talked to its server by ${view.results.environment.clientTransport}. ` : '') +
    `The clients are said to have saturated the CPUs when clients and server together used at least ${Math.round(SATURATED_CPU_SHARE * 100)}% of the machine ` +
    'and the clients the larger part: then the clients, not the server, set the pace.'
  );
}
