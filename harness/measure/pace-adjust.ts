// Throughput, p50, the script's completions and server CPU per transaction adjusted for the host's pace (the wake-up round trip timed
// between trials, processes/host-pace.ts): analysis of covariance, as CUPED
// adjusts an experiment's metric by a covariate no treatment moves. The pace is
// measured while no process of a trial runs (just before and just after it), so
// no server can move it, and the shuffled order hands every server the same
// phases of the host on average: the adjustment takes out noise, not a
// difference between servers.
//
// On the log scale, within each cell, a trial's figure follows the pace with a
// slope common to the cells whose clients are served alike (the same number at
// once: a one-at-a-time server's cells go with the 1-client cells). The slope is
// fitted on the deviations of trials from their own cell's means (pooled within
// cells, so no cell's level moves it), and used only when it is significant, one-sided, the way a slower host moves the figure (a
// slope fitted on noise would add noise). Each trial's figure is then moved to
// the run's mean pace: value × (run's mean pace / its pace)^slope. On the project
// machine (2026-12-04) the within-cell correlation of log throughput with log
// pace was -0.72 to -0.91 by client count, so 52-83% of the trials' variance was
// the host's. Pure.

import { measuredTrials, type Cell, type CellSummary, type MeasuredTrial, type RunResults, type Trial } from '../schema/results';
import { servesOneClientAtATime } from '../../strategies/types';
import { geometricMean, mean, median, studentTCdf, ALPHA, Estimate } from './statistics';

/** Each figure's slope (null where it does not apply), as a cell's record holds them. */
export type Slopes = Omit<NonNullable<CellSummary['paceAdjustment']>, 'referenceUs'>;

/** The server's CPU time (user and system) per transaction of the measured phase; null without a reading or a transaction. */
export function serverCpuUsPerTransaction(t: MeasuredTrial): number | null {
  const steady = t.steady;
  if (!steady?.serverCost || !(steady.transactions > 0)) return null;
  return (steady.serverCost.cpuUserUs + steady.serverCost.cpuSystemUs) / steady.transactions;
}

/**
 * The figures adjusted for the host's pace: a trial's value, the name of its slope in a cell's record, and which
 * way a slower host moves it (less throughput; longer turnaround; later clients). The script's completions too
 * (the worst client's and the mean client's, each with its own slope, so the chart that draws both keeps them in
 * order): over the 16 default runs of 2026-12-04/05 the worst client's varied 14.6-19.3% within cells (log sd, by
 * clients served at once) and 10.8-16.2% after the pace (the mean client's 14.2-17.0% and 10.6-14.3%), as
 * throughput's 9.5-15.1% became 6.9-9.3%; in one run sequential's last client at 20 clients was done after 531 ms in
 * both trials run at 18 µs, 926 and 929 ms in those at 26 and 28 µs. And the server's CPU time per transaction: a slower
 * host spends more of it on each (slopes 0.3-1.9, median about 0.7, significant in all but one run of each client
 * count); over the 18 default sets of 2026-12-04/05 its within-cell spread fell from 10.0-12.1% (log sd, by clients
 * served at once) to 6.7-8.6%. Unadjusted, completion-routines' CPU per transaction at 20 clients, about half
 * overlapped's in every run, was "no significant difference" in one run of one set and two of another (there a trial at
 * 12.9 µs among 6.2 and 6.8, run at 30.2 µs against 20.5 and 19.1); adjusted, that claim agreed in all three runs of
 * all 18 sets.
 */
export const PACED_FIGURES = {
  throughputTps: { label: 'throughput', value: (t: MeasuredTrial) => t.steady?.throughputTps ?? null, slope: 'throughputSlope', slowerHost: -1 },
  p50Ns: { label: 'p50', value: (t: MeasuredTrial) => t.steady?.latency.p50Ns ?? null, slope: 'p50Slope', slowerHost: 1 },
  worstDoneMs: { label: "worst client's completion", value: (t: MeasuredTrial) => t.script?.worstDoneMs ?? null, slope: 'worstDoneSlope', slowerHost: 1 },
  meanDoneMs: { label: "mean client's", value: (t: MeasuredTrial) => t.script?.meanDoneMs ?? null, slope: 'meanDoneSlope', slowerHost: 1 },
  serverCpuUsPerTransaction: { label: 'server CPU per transaction', value: serverCpuUsPerTransaction, slope: 'serverCpuSlope', slowerHost: 1 },
} as const satisfies Record<string, { label: string; value: (t: MeasuredTrial) => number | null; slope: keyof Slopes; slowerHost: -1 | 1 }>;
export type PacedFigure = keyof typeof PACED_FIGURES;

/** The cells whose trials share a pace slope: those serving as many clients at once (a one-at-a-time server serves one). */
export function paceGroup(cell: Pick<Cell, 'strategy' | 'external' | 'clients'>): number {
  return !cell.external && servesOneClientAtATime(cell.strategy) ? 1 : cell.clients;
}

/** A trial's pace (µs per wake-up round trip) and one of its figures; null when it has none. */
export interface PacePoint {
  paceUs: number | null;
  value: number | null;
}

export interface PaceFit {
  /** d log(figure) / d log(pace), pooled within cells. */
  slope: number;
  correlation: number;
  /** Two-sided, of "no slope" (t on the correlation). */
  pValue: number;
  df: number;
}

// Fewer residual degrees of freedom than this and the slope is not fitted.
const MIN_DF = 3;

const usable = (p: PacePoint): p is { paceUs: number; value: number } => p.paceUs !== null && p.paceUs > 0 && p.value !== null && p.value > 0;

/** The common within-cell slope of log(value) on log(pace); null when too few trials or no spread of pace. */
export function commonSlope(cells: ReadonlyArray<readonly PacePoint[]>): PaceFit | null {
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let df = -1; // the slope itself
  for (const points of cells) {
    const used = points.filter(usable);
    if (used.length < 2) continue;
    const xs = used.map((p) => Math.log(p.paceUs));
    const ys = used.map((p) => Math.log(p.value));
    const mx = mean(xs);
    const my = mean(ys);
    xs.forEach((x, i) => {
      sxy += (x - mx) * (ys[i] - my);
      sxx += (x - mx) ** 2;
      syy += (ys[i] - my) ** 2;
    });
    df += used.length - 1;
  }
  if (df < MIN_DF || !(sxx > 0) || !(syy > 0)) return null;
  const correlation = sxy / Math.sqrt(sxx * syy);
  const t = Math.abs(correlation) >= 1 ? Infinity : correlation * Math.sqrt(df / (1 - correlation * correlation));
  const pValue = Number.isFinite(t) ? 2 * (1 - studentTCdf(Math.abs(t), df)) : 0;
  return { slope: sxy / sxx, correlation, pValue, df };
}

/**
 * Whether a fit is used: significant at ALPHA one-sided, in the direction a slower host moves the figure
 * (`sign`: -1 for throughput, +1 for turnaround). A slope the other way is noise, however small its p: one
 * such (p50 falling as the host slowed, fitted on a trial of 111 µs at the run's fastest pace) halved a cell's p50.
 */
export function applies(fit: PaceFit | null, sign: -1 | 1): fit is PaceFit {
  return fit !== null && Math.sign(fit.slope) === sign && fit.pValue / 2 < ALPHA;
}

/** Each figure moved to the reference pace: value × (referenceUs / paceUs)^slope (one that is not positive, or has no pace, as it is). */
export function adjustToPace(points: readonly PacePoint[], slope: number, referenceUs: number): number[] {
  return points.flatMap((p) => (p.value === null || !Number.isFinite(p.value) ? [] : [usable(p) ? p.value * Math.pow(referenceUs / p.paceUs, slope) : p.value]));
}

// How far from the run's median pace (a factor, either way) a reading counts as it is.
const HELD_WITHIN = 2;

/**
 * The paces as the fit and the adjustment use them: each held within HELD_WITHIN of the run's median (the
 * median of the logs). A reading taken while the host stalled (86 and 91 µs among 20-30) had pulled a slope
 * fitted on 70 trials to nothing; least squares is not robust. The host's own phases stay as read: on the
 * project machine it runs at 17-19 µs or at 24-31 µs for minutes at a time, and a run that spans both has a
 * median in one of them. Held within 3 scaled median absolute deviations instead (until 2026-12-05), 23 and 33
 * of one set's runs' ~80 readings were held (to 22.9-26.1 and 17.8-22.0 µs, a run's other phase pressed into
 * its own), its 1-client throughput slopes steepened to -3.05 and -2.25 from -1.08 and -1.30, where the three
 * runs' cells moved -1.12 with their mean paces, and moved to a common pace a run's cells came out 22-39% apart.
 * Over the 22 stored stability sets (66 runs) that rule held 540 of 5,578 readings, this one 28; re-read with it,
 * 256 of 448 cells agreed within ±5% on throughput in all three runs (255), 201 on both figures (193), the
 * compare pairs passed as before (57 of 66), the runs warned 33 times (37) and 118 of 149 claims agreed (120).
 */
export function heldPaces(pacesUs: readonly number[]): number[] {
  if (pacesUs.length === 0) return [];
  const middle = Math.exp(median(pacesUs.map(Math.log)));
  return pacesUs.map((p) => Math.min(middle * HELD_WITHIN, Math.max(middle / HELD_WITHIN, p)));
}

/**
 * A trial's pace: the geometric mean of the readings just before and just after it, which bracket it (the
 * measured phase lies in its second half); the reading before alone in files without the one after. Null
 * without a reading. Over 21 default runs (2026-12-04) the within-cell spread of adjusted throughput fell from
 * 9.7% with the reading before alone to 9.2%, and the three runs of a set moved 6.2% from each other, not 6.5%.
 */
export function trialPaceUs(trial: { hostWakeupUs: number | null; hostWakeupAfterUs: number | null }): number | null {
  const { hostWakeupUs: beforeUs, hostWakeupAfterUs: afterUs } = trial;
  if (beforeUs === null) return null;
  return afterUs === null ? beforeUs : Math.sqrt(beforeUs * afterUs);
}

/**
 * Readings before and after one trial this far apart (a factor, either way): no pace stands for the trial. Over the
 * 2,861 trials of the default runs of 2026-12-04/05 the two readings agreed within 1.16× in 95% of trials and within
 * 1.45× in 99% (28 trials beyond 1.5×, 1.0%). Either the host changed pace during the trial (its phases, 17-19 and
 * 24-31 µs, lie 1.3-1.8× apart) or one reading was a misreading that its retake repeated: in 24 of the 34 such trials
 * of the 16 sets of 2026-12-04/05 (12 readings, each shared by two trials) the reading lay beyond 1.5× of the readings
 * on either side of it, which agreed (a stall, 42-76 µs, or a one-CPU reading, 12-18 µs). Either way the trial's own
 * readings cannot say which pace it ran at. Letting such a lone reading give way to each trial's other reading (tried
 * 2026-12-05 over 18 default sets) made the sets agree less: throughput 276 of 432 cells against 277, both figures 214
 * against 217, compare 47 of 54 pairs against 49; the trials beside it are set aside too. As a bound, 1.3×, 1.4× and
 * 1.6× gave 267, 274 and 277 cells, 211, 214 and 216, 47, 48 and 49 pairs.
 */
export const PACE_CHANGED_BEYOND = 1.5;

/** Whether the trial's readings before and after lie beyond PACE_CHANGED_BEYOND of each other; false without both. */
export function paceChangedDuring(trial: { hostWakeupUs: number | null; hostWakeupAfterUs: number | null }): boolean {
  const { hostWakeupUs: beforeUs, hostWakeupAfterUs: afterUs } = trial;
  if (beforeUs === null || afterUs === null || !(beforeUs > 0) || !(afterUs > 0)) return false;
  return Math.abs(Math.log(afterUs / beforeUs)) > Math.log(PACE_CHANGED_BEYOND);
}

/**
 * The trials a cell's figures are estimated from: its measured trials less those with no pace to be adjusted by
 * (paceChangedDuring: set aside, kept in results.json, said in the report, and another trial run in their place
 * where the budget allows). Over the 12 stored default sets of
 * 2026-12-04/05, setting them aside put 191 of 288 cells within ±5% on throughput in all three runs (183), 142 on
 * throughput and p50 (135), passed compare in 32 of 36 pairs (29) and warned 12 times (16), with no trial in
 * their place. When every measured trial of a cell would be set aside, all are kept: a figure whose pace is
 * uncertain is more than none.
 */
export function estimatedTrials(trials: readonly Trial[]): MeasuredTrial[] {
  const measured = measuredTrials(trials);
  const steady = measured.filter((t) => !paceChangedDuring(t));
  return steady.length > 0 ? steady : measured;
}

/** Each of a run's measured trials with its pace as the adjustment uses it (heldPaces); null when one has none. */
export function runPaces(trials: readonly MeasuredTrial[]): Map<MeasuredTrial, number> | null {
  const paces = trials.map(trialPaceUs);
  if (trials.length === 0 || paces.some((p) => p === null)) return null;
  const held = heldPaces(paces as number[]);
  return new Map(trials.map((t, i) => [t, held[i]]));
}

/**
 * Per pace group, each figure's common slope fitted on the cells given (of one run, or of every run compared, each
 * trial with its own run's pace), null where it does not apply.
 */
export function groupSlopes(cells: ReadonlyArray<{ cell: Pick<Cell, 'strategy' | 'external' | 'clients'>; trials: readonly MeasuredTrial[] }>, paces: ReadonlyMap<MeasuredTrial, number>): Map<number, Slopes> {
  const slopes = new Map<number, Slopes>();
  for (const group of new Set(cells.map(({ cell }) => paceGroup(cell)))) {
    const members = cells.filter(({ cell }) => paceGroup(cell) === group);
    const slope = ({ value, slowerHost }: (typeof PACED_FIGURES)[PacedFigure]) => {
      const fit = commonSlope(members.map(({ trials }) => trials.map((t) => ({ paceUs: paces.get(t) ?? null, value: value(t) }))));
      return applies(fit, slowerHost) ? fit.slope : null;
    };
    slopes.set(group, {
      throughputSlope: slope(PACED_FIGURES.throughputTps),
      p50Slope: slope(PACED_FIGURES.p50Ns),
      worstDoneSlope: slope(PACED_FIGURES.worstDoneMs),
      meanDoneSlope: slope(PACED_FIGURES.meanDoneMs),
      serverCpuSlope: slope(PACED_FIGURES.serverCpuUsPerTransaction),
    });
  }
  return slopes;
}

/** The run's reference pace: the geometric mean of its trials' paces. */
export function referencePace(pacesUs: readonly number[]): number {
  return geometricMean(pacesUs);
}

/**
 * The pace runs are compared at: the geometric mean of all their trials' paces. Null when a measured cell of
 * any run was not adjusted (a run from before the pace was measured): those are compared as they are.
 */
export function commonPace(runs: readonly RunResults[]): number | null {
  const cells = runs.flatMap((run) => run.cells.filter((c) => c.summary !== null));
  if (cells.length === 0 || cells.some((c) => !c.summary!.paceAdjustment)) return null;
  return referencePace(
    cells.flatMap((c) =>
      estimatedTrials(c.trials).flatMap((t) => {
        const paceUs = trialPaceUs(t);
        return paceUs === null ? [] : [paceUs];
      }),
    ),
  );
}

function scaled(estimate: Estimate, factor: number): Estimate {
  return {
    ...estimate,
    mean: estimate.mean * factor,
    low: estimate.low * factor,
    high: estimate.high * factor,
    // A 'log' estimate's standard error is of the logarithms: a factor only shifts them.
    standardError: estimate.standardError === null || estimate.method === 'log' ? estimate.standardError : estimate.standardError * factor,
    samples: estimate.samples.map((v) => v * factor),
  };
}

/**
 * Runs made comparable across time: each cell's adjusted throughput, p50, script completions and server CPU per transaction moved from its
 * run's mean pace to `paceUs` with its pace group's `slopes` (a figure without a slope stays). A cell that was not
 * adjusted stays as it is; its record keeps the slopes its run's adjustment used.
 */
export function atPace(run: RunResults, paceUs: number, slopes: ReadonlyMap<number, Slopes>): RunResults {
  return {
    ...run,
    cells: run.cells.map((cell) => {
      const adjustment = cell.summary?.paceAdjustment;
      if (!cell.summary || !adjustment) return cell;
      const moveBy = slopes.get(paceGroup(cell));
      if (!moveBy) throw new Error(`no pace slopes for ${cell.strategy} x ${cell.clients}`);
      const factor = (slope: number | null) => (slope === null ? 1 : Math.pow(paceUs / adjustment.referenceUs, slope));
      const { steady, script } = cell.summary;
      return {
        ...cell,
        summary: {
          ...cell.summary,
          paceAdjustment: { ...adjustment, referenceUs: paceUs },
          steady: steady && {
            ...steady,
            throughputTps: scaled(steady.throughputTps, factor(moveBy.throughputSlope)),
            p50Ns: scaled(steady.p50Ns, factor(moveBy.p50Slope)),
            serverCpuUsPerTransaction: steady.serverCpuUsPerTransaction && scaled(steady.serverCpuUsPerTransaction, factor(moveBy.serverCpuSlope)),
          },
          script: script && {
            ...script,
            worstDoneMs: scaled(script.worstDoneMs, factor(moveBy.worstDoneSlope)),
            meanDoneMs: scaled(script.meanDoneMs, factor(moveBy.meanDoneSlope)),
          },
        },
      };
    }),
  };
}

/**
 * Every run at the runs' common pace (commonPace), or all as they are. The move uses slopes fitted on the trials of
 * every run compared (groupSlopes, each trial at its own run's pace): how a figure follows the pace is the host's,
 * and one run's few trials can fit an extreme slope where its paces lay close together (+6.37 for p50 at 5 clients
 * in one run of 2026-12-05, which moved that run's p50 by a third on the way to a pace 7% away). Over the 21
 * stored stability sets of 2026-11-29 to 12-05, moving with the slopes fitted on the three runs' trials rather than
 * each run's own put 250 of 424 cells within ±5% on throughput in all three runs (219 with each run's own) and
 * 191 on throughput and p50 (173); compare passed 55 of 63 pairs of unchanged code (54).
 */
export function atCommonPace(runs: readonly RunResults[]): RunResults[] {
  const paceUs = commonPace(runs);
  if (paceUs === null) return [...runs];
  const perRun = runs.map((run) => run.cells.map((cell) => ({ cell, trials: estimatedTrials(cell.trials) })));
  // Each run's paces are held against its own median, as its summary held them.
  const paces = new Map(perRun.flatMap((cells) => [...(runPaces(cells.flatMap(({ trials }) => trials)) ?? [])]));
  const slopes = groupSlopes(perRun.flat(), paces);
  return runs.map((run) => atPace(run, paceUs, slopes));
}
