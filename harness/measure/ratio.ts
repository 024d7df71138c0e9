// The ratio of two means with its 95% interval, for claims like "1.8× ± 0.2"
// (hyperfine prints its ratios the same way). The delta method (first-order
// error propagation): the ratio's relative variance is the sum of the two means'
// relative variances, its degrees of freedom Welch–Satterthwaite's over them.
// Fieller's theorem would give an asymmetric interval; at the precision a claim
// needs (the two means already differ significantly) the two agree closely, and
// a symmetric "±" is what a reader can compare. A geometric mean ('log', the
// turnaround percentiles) carries the standard error of its logarithm, which is
// its relative standard error to the same first order. Pure.

import { CONFIDENCE, Estimate, studentTQuantile } from './statistics';

export interface Ratio {
  ratio: number;
  /** Half the 95% interval's width, in the ratio's units (0.2 in "1.8× ± 0.2"). */
  halfWidth: number;
  df: number;
}

function relativeVariance(e: Estimate): number {
  return e.method === 'log' ? e.standardError! ** 2 : (e.standardError! / e.mean) ** 2;
}

/** numerator.mean / denominator.mean with its interval; null when either has no standard error or the denominator is not positive. */
export function ratioOfMeans(numerator: Estimate, denominator: Estimate): Ratio | null {
  const { standardError: seA, df: dfA, mean: a } = numerator;
  const { standardError: seB, df: dfB, mean: b } = denominator;
  if (seA === null || seB === null || dfA < 1 || dfB < 1 || !(b > 0) || a === 0) return null;
  const ratio = a / b;
  const relA = relativeVariance(numerator);
  const relB = relativeVariance(denominator);
  const relative = relA + relB;
  if (relative === 0) return { ratio, halfWidth: 0, df: dfA + dfB };
  const df = relative ** 2 / (relA ** 2 / dfA + relB ** 2 / dfB);
  return { ratio, halfWidth: studentTQuantile(1 - (1 - CONFIDENCE) / 2, df) * Math.abs(ratio) * Math.sqrt(relative), df };
}
