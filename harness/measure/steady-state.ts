// Steady state, detected rather than assumed (Barrett et al. 2017: many VMs never
// settle). A series of per-window throughputs is steady from the first run of
// `windows` consecutive windows that neither trend nor scatter: the least-squares
// line through them changes by at most `tolerance` of their mean across the run,
// and their standard deviation is at most `tolerance` of their mean.

import { mean } from './statistics';

export interface SteadyRule {
  /** Consecutive windows that must agree. */
  windows: number;
  /** Largest trend across those windows, and largest standard deviation, as a share of their mean. */
  tolerance: number;
}

/** How a run of windows trends and scatters, each as a share of its mean. */
export function drift(values: readonly number[]): { trend: number; scatter: number } {
  const n = values.length;
  const m = mean(values);
  if (n < 2 || !(m > 0)) return { trend: Infinity, scatter: Infinity };
  const xMean = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let residuals = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - xMean) * (values[i] - m);
    sxx += (i - xMean) * (i - xMean);
  }
  const slope = sxy / sxx;
  for (let i = 0; i < n; i++) residuals += (values[i] - m) ** 2;
  return { trend: Math.abs(slope * (n - 1)) / m, scatter: Math.sqrt(residuals / (n - 1)) / m };
}

/**
 * The index of the first window from which the series is steady (the first run of
 * `rule.windows` windows that neither trends nor scatters), ignoring the first
 * `skipWindows` (the minimum warm-up); null when it never is.
 */
export function steadyFrom(series: readonly number[], rule: SteadyRule, skipWindows = 0): number | null {
  for (let start = skipWindows; start + rule.windows <= series.length; start++) {
    const { trend, scatter } = drift(series.slice(start, start + rule.windows));
    if (trend <= rule.tolerance && scatter <= rule.tolerance) return start;
  }
  return null;
}
