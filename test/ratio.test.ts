// The ratio of two means with its interval (delta method), on answers computed by
// hand: r = a / b, se(r) = r * sqrt((se_a / a)^2 + (se_b / b)^2), Welch–Satterthwaite's
// degrees of freedom, and Student's t quantiles from the tables.

import { ratioOfMeans } from '../harness/measure/ratio';
import type { Estimate } from '../harness/measure/statistics';

const estimate = (mean: number, standardError: number | null, df: number): Estimate => ({ mean, low: mean, high: mean, standardError, df, method: 'pooled', samples: [] });

it('two means each known to 5%, 4 degrees of freedom each: 2.00 ± 0.33 on 8 df', () => {
  // relative variances 0.0025 + 0.0025; se(r) = 2 * sqrt(0.005) = 0.141421; df = 0.005^2 / (2 * 0.0025^2 / 4) = 8; t(0.975, 8) = 2.306004.
  const r = ratioOfMeans(estimate(200, 10, 4), estimate(100, 5, 4))!;
  expect(r.ratio).toBe(2);
  expect(r.df).toBeCloseTo(8, 10);
  expect(r.halfWidth).toBeCloseTo(2.306004 * 0.1414214, 5);
});

it('an exact denominator leaves the numerator its own interval and degrees of freedom', () => {
  // se(r) = 3 * 0.1 = 0.3 on the numerator's 2 df; t(0.975, 2) = 4.302653.
  const r = ratioOfMeans(estimate(300, 30, 2), estimate(100, 0, 10))!;
  expect(r.ratio).toBe(3);
  expect(r.df).toBeCloseTo(2, 10);
  expect(r.halfWidth).toBeCloseTo(4.302653 * 0.3, 5);
});

it('a ratio below 1 scales its interval with it', () => {
  // 50 / 100: relative variances 0.01 (se 5 of 50) and 0.0004 (se 2 of 100) on 10 df each;
  // df = 0.0104^2 / (0.01^2 / 10 + 0.0004^2 / 10) = 10.8000...; se(r) = 0.5 * sqrt(0.0104) = 0.0509902.
  const r = ratioOfMeans(estimate(50, 5, 10), estimate(100, 2, 10))!;
  expect(r.ratio).toBe(0.5);
  expect(r.df).toBeCloseTo(0.0104 ** 2 / (0.01 ** 2 / 10 + 0.0004 ** 2 / 10), 10);
  // t(0.975, 10.79) lies between t(0.975, 11) = 2.200985 and t(0.975, 10) = 2.228139.
  expect(r.halfWidth).toBeGreaterThan(2.200985 * 0.0509902);
  expect(r.halfWidth).toBeLessThan(2.228139 * 0.0509902);
});

it('has no interval without standard errors, and no ratio over a mean that is not positive', () => {
  expect(ratioOfMeans(estimate(200, null, 0), estimate(100, 5, 4))).toBeNull();
  expect(ratioOfMeans(estimate(200, 10, 4), estimate(100, null, 0))).toBeNull();
  expect(ratioOfMeans(estimate(200, 10, 4), estimate(0, 5, 4))).toBeNull();
  expect(ratioOfMeans(estimate(200, 0, 4), estimate(100, 0, 4))).toEqual({ ratio: 2, halfWidth: 0, df: 8 });
});

it("takes a 'log' estimate's standard error as that of its logarithm: the geometric mean's relative error", () => {
  // Turnaround percentiles are geometric means ('log'): standardError is that of ln(mean), ~ se/mean to first order.
  // Two geometric means each known to 5% on 4 df: the same 2.00 ± 2.306004 * 2 * sqrt(0.005) as on the linear scale.
  const log = (mean: number, standardError: number, df: number): Estimate => ({ ...estimate(mean, standardError, df), method: 'log' });
  const r = ratioOfMeans(log(200_000, 0.05, 4), log(100_000, 0.05, 4))!;
  expect(r.ratio).toBe(2);
  expect(r.df).toBeCloseTo(8, 10);
  expect(r.halfWidth).toBeCloseTo(2.306004 * 0.1414214, 5);
  // One of each: 0.05 relative either way.
  expect(ratioOfMeans(log(200_000, 0.05, 4), estimate(100_000, 5_000, 4))!.halfWidth).toBeCloseTo(2.306004 * 0.1414214, 5);
});
