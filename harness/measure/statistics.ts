// Statistics as small pure functions: means, Student's t and F distributions,
// confidence intervals over a cell's own trials, two-sample comparisons, a
// family-wise correction, and Jain's fairness index. Nothing here
// knows about servers or clients; everything is tested on inputs with known answers.

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** NaN for no values (0 / 0). */
export function mean(values: readonly number[]): number {
  return sum(values) / values.length;
}

/** Sample variance (n - 1 in the denominator); NaN below two values. */
export function variance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) * (v - m);
  return squares / (n - 1);
}

/** NaN for no values. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Jain's fairness index: (sum x)^2 / (n * sum x^2); 1 when every share is equal (or there is none), 1/n when one gets everything. */
export function jainIndex(shares: readonly number[]): number {
  let total = 0;
  let squares = 0;
  for (const x of shares) {
    total += x;
    squares += x * x;
  }
  return squares === 0 ? 1 : (total * total) / (shares.length * squares);
}

// ln Γ(x), Lanczos approximation (g = 7, n = 9): ~15 significant digits for x >= 0.5,
// the only arguments it gets (halves of degrees of freedom, each at least 1).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
function logGamma(x: number): number {
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - (logGamma(a) + logGamma(b) - logGamma(a + b))) / a;
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let numerator = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    numerator = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return front * f;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The density of Student's t with `df` degrees of freedom. */
function studentTDensity(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log(1 + (t * t) / df));
}

/** The t with P(T <= t) = p, for 0 < p < 1: Newton's method on the CDF, kept inside a shrinking bracket (exact to ~1e-12). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) high *= 2;
  let t = (low + high) / 2;
  for (let i = 0; i < 100; i++) {
    const error = studentTCdf(t, df) - p;
    if (error < 0) low = t;
    else high = t;
    if (Math.abs(error) < 1e-14 || high - low < 1e-12 * high) break;
    const step = t - error / studentTDensity(t, df);
    t = step > low && step < high ? step : (low + high) / 2;
  }
  return t;
}

/** P(F >= f) for Snedecor's F with (d1, d2) degrees of freedom. */
export function fUpperTail(f: number, d1: number, d2: number): number {
  if (f <= 0) return 1;
  return incompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** A figure measured in several trials (fresh processes), with its 95% confidence interval. */
export interface Estimate {
  /** The point estimate: the mean of the trials ('own'), or their geometric mean ('log'). */
  mean: number;
  low: number;
  high: number;
  /** Standard error of the mean (of the logarithms for 'log'; null for one value), and the degrees of freedom of its t interval. */
  standardError: number | null;
  df: number;
  /**
   * How the interval was computed: 'own' (Student's t over this cell's own trial
   * values), 'log' (Student's t over the logarithms of its trial values: a
   * geometric mean with an interval that stays positive, for turnaround
   * percentiles), 'none' (one trial: no interval, and nothing to compare).
   * 'pooled' and 'windows' are read from older results files only.
   */
  method: 'own' | 'log' | 'pooled' | 'windows' | 'none';
  /** The values it was computed from: one per trial. */
  samples: number[];
}

export const CONFIDENCE = 0.95;

/** Relative variances pooled across groups (each: the variance of its values over their mean squared). */
export interface PooledVariance {
  relativeVariance: number;
  df: number;
}

/** Pools the relative between-trial variance of every group of two or more positive values. */
export function poolRelativeVariance(groups: readonly (readonly number[])[]): PooledVariance | null {
  let weighted = 0;
  let df = 0;
  for (const values of groups) {
    const m = mean(values);
    if (values.length < 2 || !(m > 0)) continue;
    weighted += (values.length - 1) * (variance(values) / (m * m));
    df += values.length - 1;
  }
  return df === 0 ? null : { relativeVariance: weighted / df, df };
}

/**
 * One-sided F test: do these values vary, relative to their mean, more than the
 * pooled noise says? The p value (null when there is nothing to test).
 */
export function noisierThan(values: readonly number[], noise: PooledVariance | null): number | null {
  const m = mean(values);
  if (noise === null || values.length < 2 || !(m > 0) || !(noise.relativeVariance > 0)) return null;
  return fUpperTail(variance(values) / (m * m) / noise.relativeVariance, values.length - 1, noise.df);
}

/**
 * The index of the value farthest, on the log scale, from the mean of the others (the first such); null with fewer
 * than three positive values, where no value stands out from the others.
 */
export function mostOutlying(values: readonly number[]): number | null {
  if (values.length < 3 || values.some((v) => !(v > 0))) return null;
  const total = sum(values);
  let index: number | null = null;
  let farthest = -1;
  values.forEach((v, i) => {
    const distance = Math.abs(Math.log(v / ((total - v) / (values.length - 1))));
    if (distance > farthest) [index, farthest] = [i, distance];
  });
  return index;
}

function one(value: number, samples: number[]): Estimate {
  return { mean: value, low: value, high: value, standardError: null, df: 0, method: 'none', samples };
}

/**
 * The 95% interval of the mean of a cell's own trial values (Student's t, n - 1
 * degrees of freedom). Nothing is borrowed from other cells: a noisy peer can
 * neither widen nor narrow it, and it covers the true mean 95% of the time
 * whatever its peers do. One value has no interval.
 */
export function trialEstimate(trialValues: readonly number[]): Estimate {
  const n = trialValues.length;
  const samples = [...trialValues];
  if (n === 0) throw new RangeError('an estimate needs at least one value');
  const m = mean(trialValues);
  if (n === 1) return one(m, samples);
  const standardError = Math.sqrt(variance(trialValues) / n);
  const half = tCritical(n - 1) * standardError;
  return { mean: m, low: m - half, high: m + half, standardError, df: n - 1, method: 'own', samples };
}

/**
 * For positive, skewed figures (turnaround percentiles): Student's t over the
 * logarithms of the trial values, back-transformed. The point is the geometric
 * mean, the interval is multiplicative and never reaches zero. A value that is
 * not positive leaves the arithmetic estimate.
 */
export function logTrialEstimate(trialValues: readonly number[]): Estimate {
  if (trialValues.length < 2 || trialValues.some((v) => !(v > 0))) return trialEstimate(trialValues);
  const logs = trialValues.map(Math.log);
  const n = logs.length;
  const m = mean(logs);
  const standardError = Math.sqrt(variance(logs) / n);
  const half = tCritical(n - 1) * standardError;
  return { mean: Math.exp(m), low: Math.exp(m - half), high: Math.exp(m + half), standardError, df: n - 1, method: 'log', samples: [...trialValues] };
}

/** The geometric mean (the point of logTrialEstimate), or the mean when a value is not positive. */
export function geometricMean(values: readonly number[]): number {
  return values.length > 0 && values.every((v) => v > 0) ? Math.exp(mean(values.map(Math.log))) : mean(values);
}

function tCritical(df: number): number {
  return studentTQuantile(1 - (1 - CONFIDENCE) / 2, df);
}

/** Half the interval's width over its point: 0.05 is "±5 %". */
export function relativeHalfWidth(estimate: Estimate): number {
  return estimate.mean !== 0 ? (estimate.high - estimate.low) / 2 / Math.abs(estimate.mean) : NaN;
}

export const ALPHA = 0.05;

export interface Comparison {
  /** new - base, with its 95% interval. */
  difference: number;
  low: number;
  high: number;
  /** (new - base) / base, with its 95% interval. */
  relative: number;
  relativeLow: number;
  relativeHigh: number;
  /** Two-sided p-value of "no difference" (Welch's t with Satterthwaite's degrees of freedom). */
  pValue: number;
  significant: boolean;
}

/** Estimates that can be compared: trials of independent launches, at least two on each side. */
export function comparable(estimate: Estimate): boolean {
  return estimate.standardError !== null && estimate.df >= 1 && estimate.method !== 'windows' && estimate.method !== 'none';
}

/**
 * Compares two estimates (Welch's t test on their standard errors and degrees of
 * freedom): on their values, or on their logarithms when both are 'log' (the
 * relative change is then exp(difference) - 1). Null when either cannot be
 * compared (one trial, or windows of one launch: nothing independent to test).
 */
export function compareEstimates(base: Estimate, next: Estimate): Comparison | null {
  if (!comparable(base) || !comparable(next)) return null;
  const logScale = base.method === 'log' && next.method === 'log';
  if (logScale !== (base.method === 'log' || next.method === 'log')) return null;
  const v1 = base.standardError! ** 2;
  const v2 = next.standardError! ** 2;
  const difference = next.mean - base.mean;
  const onScale = logScale ? Math.log(next.mean) - Math.log(base.mean) : difference;
  const se = Math.sqrt(v1 + v2);
  const toRelative = (d: number) => (logScale ? Math.exp(d) - 1 : d / base.mean);
  if (se === 0) {
    const relative = toRelative(onScale);
    return { difference, low: difference, high: difference, relative, relativeLow: relative, relativeHigh: relative, pValue: onScale === 0 ? 1 : 0, significant: onScale !== 0 };
  }
  const df = (v1 + v2) ** 2 / (v1 ** 2 / base.df + v2 ** 2 / next.df);
  const pValue = 2 * (1 - studentTCdf(Math.abs(onScale / se), df));
  const half = studentTQuantile(1 - ALPHA / 2, df) * se;
  const relativeLow = toRelative(onScale - half);
  const relativeHigh = toRelative(onScale + half);
  return {
    difference,
    low: relativeLow * base.mean,
    high: relativeHigh * base.mean,
    relative: toRelative(onScale),
    relativeLow,
    relativeHigh,
    pValue,
    significant: pValue < ALPHA,
  };
}

/**
 * Holm's step-down correction: which of a family of tests to call significant so
 * that the chance of any false call stays under `alpha`. The k-th smallest p
 * value (from 0) is tested at alpha / (m - k), stopping at the first that fails.
 * Null p values (no test) are never significant and do not count in m.
 */
export function holmSignificant(pValues: Array<number | null>, alpha = ALPHA): boolean[] {
  const tested = pValues.flatMap((p, i) => (p === null ? [] : [{ p, i }])).sort((a, b) => a.p - b.p);
  const significant = pValues.map(() => false);
  for (let k = 0; k < tested.length; k++) {
    if (tested[k].p >= alpha / (tested.length - k)) break;
    significant[tested[k].i] = true;
  }
  return significant;
}

