// The statistics' edges, with answers worked by hand: empty and single inputs,
// two-trial cells, log-scale percentile estimates, and a Holm threshold hit exactly.

import {
  compareEstimates,
  Estimate,
  fUpperTail,
  geometricMean,
  holmSignificant,
  incompleteBeta,
  jainIndex,
  logTrialEstimate,
  mean,
  median,
  poolRelativeVariance,
  relativeHalfWidth,
  studentTQuantile,
  trialEstimate,
  variance,
} from '../harness/measure/statistics';

// Student's t 97.5% quantile (tables): 5 df 2.570581836.
const T975_5 = 2.570581836;

it('has no mean, variance or median of nothing, and no variance of one value', () => {
  expect(mean([])).toBeNaN();
  expect(median([])).toBeNaN();
  expect(variance([3])).toBeNaN();
  expect(variance([])).toBeNaN();
  expect(variance([3, 5])).toBe(2);
});

it("calls no shares, or shares of nothing, fair (Jain's index 1)", () => {
  expect(jainIndex([])).toBe(1);
  expect(jainIndex([0, 0, 0])).toBe(1);
});

it('gives one lone trial an interval of zero width, and refuses no values', () => {
  const one: Estimate = { mean: 5, low: 5, high: 5, standardError: null, df: 0, method: 'none', samples: [5] };
  expect(trialEstimate([5])).toEqual(one);
  expect(logTrialEstimate([5])).toEqual(one);
  expect(() => trialEstimate([])).toThrow(new RangeError('an estimate needs at least one value'));
  expect(trialEstimate([1, 2, 3]).samples).toEqual([1, 2, 3]);
});

it("gives a cell of two trials Student's t with 1 degree of freedom: 90 and 110", () => {
  // Mean 100, sd sqrt(200), SE 10; t 97.5% at 1 df is 12.7062047 (tables).
  const estimate = trialEstimate([90, 110]);
  expect(estimate).toMatchObject({ method: 'own', df: 1 });
  expect(estimate.standardError).toBeCloseTo(10, 10);
  expect(estimate.low).toBeCloseTo(100 - 10 * 12.7062047, 5);
  expect(estimate.high).toBeCloseTo(100 + 10 * 12.7062047, 5);
});

it('a percentile estimate on the log scale: 100 and 400 give their geometric mean 200, and x/÷ a positive factor', () => {
  // logs differ by ln 4: sd ln4 / sqrt 2, SE ln4 / 2 = ln 2; half-width 12.7062047 ln 2.
  const estimate = logTrialEstimate([100, 400]);
  expect(estimate).toMatchObject({ method: 'log', df: 1 });
  expect(estimate.mean).toBeCloseTo(200, 10);
  expect(estimate.standardError).toBeCloseTo(Math.LN2, 12);
  expect(estimate.low).toBeCloseTo(200 / 2 ** 12.7062047, 6);
  expect(estimate.high).toBeCloseTo(200 * 2 ** 12.7062047, -3);
  // A value that is not positive leaves the arithmetic estimate.
  expect(logTrialEstimate([0, 10]).method).toBe('own');
  expect(geometricMean([1, 100])).toBeCloseTo(10, 12);
  expect(geometricMean([0, 100])).toBe(50);
});

it('pools only groups of two or more values with a positive mean', () => {
  expect(poolRelativeVariance([[1, -1], [90, 110], [7]])).toEqual({ relativeVariance: 0.02, df: 1 });
  expect(poolRelativeVariance([[7], [0, 0]])).toBeNull();
});

it('has no relative width around a mean of zero', () => {
  expect(relativeHalfWidth({ mean: 0, low: -1, high: 1, standardError: 1, df: 3, method: 'own', samples: [] })).toBeNaN();
  expect(relativeHalfWidth({ mean: -10, low: -11, high: -9, standardError: 1, df: 3, method: 'own', samples: [] })).toBeCloseTo(0.1, 12);
});

describe('comparing two estimates', () => {
  const estimate = (m: number, standardError: number | null, df: number): Estimate => ({ mean: m, low: m, high: m, standardError, df, method: 'own', samples: [] });

  it('cannot compare an estimate without a standard error or degrees of freedom', () => {
    expect(compareEstimates(estimate(1, null, 0), estimate(2, 1, 3))).toBeNull();
    expect(compareEstimates(estimate(1, 1, 3), estimate(2, null, 0))).toBeNull();
    expect(compareEstimates(estimate(1, 1, 0), estimate(2, 1, 3))).toBeNull();
    expect(compareEstimates(estimate(1, 1, 3), estimate(2, 1, 0))).toBeNull();
    expect(compareEstimates(estimate(1, 1, 1), estimate(2, 1, 1))).not.toBeNull();
  });

  it('treats two exact values as different exactly when they differ', () => {
    expect(compareEstimates(estimate(3, 0, 2), estimate(3, 0, 2))).toEqual({ difference: 0, low: 0, high: 0, relative: 0, relativeLow: 0, relativeHigh: 0, pValue: 1, significant: false });
    expect(compareEstimates(estimate(4, 0, 2), estimate(5, 0, 2))).toEqual({ difference: 1, low: 1, high: 1, relative: 0.25, relativeLow: 0.25, relativeHigh: 0.25, pValue: 0, significant: true });
  });

  it('compares log estimates on the log scale: a doubling is +100%, its interval multiplicative', () => {
    const log = (m: number): Estimate => ({ mean: m, low: m, high: m, standardError: 0.1, df: 1e7, method: 'log', samples: [] });
    const comparison = compareEstimates(log(100), log(200))!;
    const half = 1.959963984540054 * Math.sqrt(0.02);
    expect(comparison.relative).toBeCloseTo(1, 12);
    expect(comparison.relativeLow).toBeCloseTo(2 * Math.exp(-half) - 1, 6);
    expect(comparison.relativeHigh).toBeCloseTo(2 * Math.exp(half) - 1, 6);
    // A log estimate against a linear one, or windows of one launch, cannot be compared.
    expect(compareEstimates(log(100), estimate(100, 1, 3))).toBeNull();
    expect(compareEstimates({ ...estimate(100, 1, 9), method: 'windows' }, estimate(100, 1, 3))).toBeNull();
  });
});

it('Holm: a p value exactly at its threshold is not significant', () => {
  // Two tests at α = 0.05: the smaller p is held to 0.05 / 2 = 0.025.
  expect(holmSignificant([0.025, 0.5])).toEqual([false, false]);
  expect(holmSignificant([0.0249, 0.05])).toEqual([true, false]);
  expect(holmSignificant([0.0249, 0.0499])).toEqual([true, true]);
  expect(holmSignificant([null, 0.01])).toEqual([false, true]);
});

it('the distributions at their edges', () => {
  expect(incompleteBeta(0, 2, 3)).toBe(0);
  expect(incompleteBeta(1, 2, 3)).toBe(1);
  expect(incompleteBeta(-0.5, 2, 3)).toBe(0);
  expect(fUpperTail(0, 3, 4)).toBe(1);
  expect(fUpperTail(-1, 3, 4)).toBe(1);
  expect(studentTQuantile(0, 5)).toBeNaN();
  expect(studentTQuantile(1, 5)).toBeNaN();
  expect(studentTQuantile(0.975, 0)).toBeNaN();
  expect(studentTQuantile(0.975, 5)).toBeCloseTo(T975_5, 8);
});
