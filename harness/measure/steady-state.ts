// Steady state, detected rather than assumed (Barrett et al. 2017: many VMs never
// settle). A series of per-window throughputs is steady from window s when every
// window from s to the last one seen (at least `windows` of them) neither trends
// nor scatters: their standard deviation is at most `tolerance` of their mean, and
// the least-squares line through them changes by at most a third of that across
// them (a series may scatter by chance; one that still moves is not steady, and a
// 4.5 %-a-window climb moves 13 % over 4 windows); scatter beyond that third must
// look like independent noise, not a slow swing (lag-1 autocorrelation at most
// 0.5: a ±20 % oscillation has ~0.97 and scatters 14 %). The steady part must reach the
// end: a run of good windows followed by a drop is not a steady state. After the
// measured phase its windows are checked again (measuredDrift), since a slow
// oscillation can look level for a few windows.

import { compareEstimates, mean, studentTCdf, trialEstimate } from './statistics';

export interface SteadyRule {
  /** Consecutive windows that must agree. */
  windows: number;
  /** Largest trend across those windows, and largest standard deviation, as a share of their mean. */
  tolerance: number;
}

/** The least-squares line through values at x = 0, 1, …: its slope, the values' mean and the x deviations' sum of squares. */
function lineFit(values: readonly number[]): { mean: number; slope: number; xMean: number; sxx: number } {
  const n = values.length;
  const m = mean(values);
  const xMean = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - xMean) * (values[i] - m);
    sxx += (i - xMean) * (i - xMean);
  }
  return { mean: m, slope: sxy / sxx, xMean, sxx };
}

/** How a run of windows trends and scatters, each as a share of its mean. */
export function drift(values: readonly number[]): { trend: number; scatter: number } {
  const n = values.length;
  const { mean: m, slope } = lineFit(values);
  if (n < 2 || !(m > 0)) return { trend: Infinity, scatter: Infinity };
  let residuals = 0;
  for (let i = 0; i < n; i++) residuals += (values[i] - m) ** 2;
  return { trend: Math.abs(slope * (n - 1)) / m, scatter: Math.sqrt(residuals / (n - 1)) / m };
}

/** The trend allowed across the windows checked, as a share of the scatter tolerance. */
export const TREND_SHARE_OF_TOLERANCE = 1 / 3;

/** Above this lag-1 autocorrelation, windows scattering more than the trend allowance swing together: a slow oscillation, not noise. */
export const OSCILLATION_AUTOCORRELATION = 0.5;

/** Lag-1 autocorrelation of the values' deviations from their least-squares line (0 for fewer than 3 values or no scatter). */
export function autocorrelation(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  const { mean: m, slope, xMean } = lineFit(values);
  const residual = values.map((v, i) => v - m - slope * (i - xMean));
  let lagged = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    squares += residual[i] * residual[i];
    if (i > 0) lagged += residual[i] * residual[i - 1];
  }
  return squares === 0 ? 0 : lagged / squares;
}

function level(values: readonly number[], tolerance: number): boolean {
  const { trend, scatter } = drift(values);
  const allowance = tolerance * TREND_SHARE_OF_TOLERANCE;
  // Scatter beyond the trend allowance is accepted as noise only when it does not swing slowly (independent windows).
  return trend <= allowance && scatter <= tolerance && (scatter <= allowance || autocorrelation(values) <= OSCILLATION_AUTOCORRELATION);
}

/**
 * The index of the first window from which the series is steady to its end (at
 * least `rule.windows` windows that neither trend nor scatter), ignoring the
 * first `skipWindows` (the minimum warm-up); null when it is not.
 */
export function steadyFrom(series: readonly number[], rule: SteadyRule, skipWindows = 0): number | null {
  for (let start = skipWindows; start + rule.windows <= series.length; start++) {
    if (level(series.slice(start), rule.tolerance)) return start;
  }
  return null;
}

/**
 * The first window from which the clients count as warmed up: every client had
 * completed at least `transactions` of them by its start. With `everyClient` false
 * (a server that serves one client at a time, as `sequential` keeps all but one
 * waiting, or one we do not know) a client that has not transacted is not waited
 * for, but one must have. `perClient[c][w]`: client c's transactions in warm-up
 * window w. Null while some client it waits for, or every client, is short of it.
 */
export function warmedUpFrom(perClient: readonly (readonly number[])[], transactions: number, everyClient: boolean): number | null {
  if (transactions <= 0) return 0;
  let from = -1;
  for (const counts of perClient) {
    let total = 0;
    let reached = -1;
    for (let w = 0; w < counts.length && reached < 0; w++) {
      total += counts[w];
      if (total >= transactions) reached = w + 1;
    }
    if (reached < 0 && (total > 0 || everyClient)) return null;
    from = Math.max(from, reached);
  }
  return from < 0 ? null : from;
}

/** How the measured windows moved: from the warm-up's steady level, and across themselves, each as a share. */
export interface MeasuredDrift {
  levelShift: number;
  trend: number;
}

/**
 * A measured phase that drifted from the steady state the warm-up found is run again after
 * more warm-up, while the warm-up cap allows, at most this many times (harness/run/cell.ts).
 * A server that was still climbing (thread-per-client's threads at 5-20 clients, 2026-12-04:
 * +15% to +24%) is then measured once it has settled, rather than flagged and kept.
 */
export const MAX_REMEASURES = 2;

/** A drift must be unlikely as window-to-window noise: its test at this level (windows of a busy machine scatter 10-20%). */
export const DRIFT_ALPHA = 0.01;

/** Two-sided p value of the least-squares slope through the values (t with n - 2 df); 1 below 3 values, 0 for a perfect line that moves. */
function slopePValue(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 1;
  const { mean: m, slope, xMean, sxx } = lineFit(values);
  let residuals = 0;
  for (let i = 0; i < n; i++) residuals += (values[i] - m - slope * (i - xMean)) ** 2;
  const se = Math.sqrt(residuals / (n - 2) / sxx);
  if (se === 0) return slope === 0 ? 1 : 0;
  return 2 * (1 - studentTCdf(Math.abs(slope / se), n - 2));
}

/**
 * Whether a drifted phase only wandered: its windows trended, but their mean stayed within the trend allowance (a
 * third of the tolerance) of the steady level, so the trial's figure is the steady state's. Thread-per-client at 5-20
 * clients did this through both re-measures in about one run of three (2026-12-05, 5 clients: windows from 48.7k to
 * 62.0k tx/s, a trend of 20.5% across 600 ms, their mean 3.4% above the steady level): its throughput wanders over
 * hundreds of milliseconds on 2 CPUs, and the cell's spread between trials carries that. A phase whose mean moved
 * further is drift: its figure is not the steady state's.
 */
export function onlyWandered(drifted: MeasuredDrift, tolerance: number): boolean {
  return Math.abs(drifted.levelShift) <= tolerance * TREND_SHARE_OF_TOLERANCE;
}

/** A measured phase against the steady state the warm-up found: it held, only wandered (a note), or drifted (a warning). */
export type MeasuredPhase = { kind: 'held' } | { kind: 'wandered' | 'drifted'; drift: MeasuredDrift };

export function classifyMeasuredPhase(steadyWindows: readonly number[], measured: readonly number[], tolerance: number): MeasuredPhase {
  const drift = measuredDrift(steadyWindows, measured, tolerance);
  if (drift === null) return { kind: 'held' };
  return { kind: onlyWandered(drift, tolerance) ? 'wandered' : 'drifted', drift };
}

/**
 * The measured windows re-checked after the fact: drifted when their mean moved
 * more than `tolerance` from the warm-up's steady windows, or when they trend more
 * than the detector allows (a third of it), each also significant at DRIFT_ALPHA
 * (Welch's t between the two sets of windows; the t test of the slope), so that
 * noisy windows alone do not cry drift. Null when they held.
 */
export function measuredDrift(steadyWindows: readonly number[], measured: readonly number[], tolerance: number): MeasuredDrift | null {
  const before = mean(steadyWindows);
  const after = mean(measured);
  if (!(before > 0) || measured.length < 2) return null;
  const levelShift = after / before - 1;
  // A phase with no transaction at all has no trend to measure: its level says it all (-100%).
  const trend = after > 0 ? drift(measured).trend : 0;
  const levelTest = steadyWindows.length >= 2 ? compareEstimates(trialEstimate(steadyWindows), trialEstimate(measured)) : null;
  const shifted = Math.abs(levelShift) > tolerance && (levelTest === null || levelTest.pValue < DRIFT_ALPHA);
  const trended = trend > tolerance * TREND_SHARE_OF_TOLERANCE && slopePValue(measured) < DRIFT_ALPHA;
  return shifted || trended ? { levelShift, trend } : null;
}
