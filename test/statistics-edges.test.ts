// The statistics' edges, with answers worked by hand: empty and single inputs,
// two-trial cells, intervals pooled with a cell of one trial, and a Holm threshold hit exactly.

import {
  compareEstimates,
  Estimate,
  fUpperTail,
  holmSignificant,
  incompleteBeta,
  jainIndex,
  mean,
  median,
  poolRelativeVariance,
  relativeHalfWidth,
  studentTQuantile,
  trialEstimate,
  variance,
  windowEstimate,
} from '../harness/measure/statistics';

// Student's t 97.5% quantiles (tables): 5 df 2.570581836, 6 df 2.446911851.
const T975_5 = 2.570581836;
const T975_6 = 2.446911851;

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

it('gives one window or one lone trial an interval of zero width, and refuses no values', () => {
  const one: Estimate = { mean: 5, low: 5, high: 5, standardError: null, df: 0, method: 'none', samples: [5] };
  expect(windowEstimate([5])).toEqual(one);
  expect(trialEstimate([5], null)).toEqual(one);
  expect(() => windowEstimate([])).toThrow(new RangeError('an estimate needs at least one value'));
  expect(() => trialEstimate([], null)).toThrow(new RangeError('an estimate needs at least one value'));
  expect(windowEstimate([1, 2, 3]).samples).toEqual([1, 2, 3]);
  expect(trialEstimate([1, 2, 3], null).samples).toEqual([1, 2, 3]);
});

it('pools a cell of two trials with its peers: 90 and 110 against a pool of relative variance 0.02 over 4 df', () => {
  // Own relative variance 200 / 100^2 = 0.02, as the pool's: pooled over 5 df, SE = sqrt(0.02 * 100^2 / 2) = 10.
  const estimate = trialEstimate([90, 110], { relativeVariance: 0.02, df: 4 });
  expect(estimate.method).toBe('pooled');
  expect(estimate.df).toBe(5);
  expect(estimate.standardError).toBeCloseTo(10, 10);
  expect(estimate.low).toBeCloseTo(100 - 10 * T975_5, 6);
  expect(estimate.high).toBeCloseTo(100 + 10 * T975_5, 6);
});

it('gives a cell of one trial the interval of its peers', () => {
  // Pool 0.01 over 6 df: SE = sqrt(0.01 * 100^2 / 1) = 10.
  const estimate = trialEstimate([100], { relativeVariance: 0.01, df: 6 });
  expect(estimate).toMatchObject({ method: 'pooled', df: 6, samples: [100] });
  expect(estimate.high).toBeCloseTo(100 + 10 * T975_6, 6);
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
    expect(compareEstimates(estimate(3, 0, 2), estimate(3, 0, 2))).toEqual({ difference: 0, low: 0, high: 0, pValue: 1, significant: false });
    expect(compareEstimates(estimate(3, 0, 2), estimate(5, 0, 2))).toEqual({ difference: 2, low: 2, high: 2, pValue: 0, significant: true });
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

it('gives two windows a t interval with 1 degree of freedom', () => {
  // 10 and 20: mean 15, sd sqrt(50), standard error 5; t 97.5% at 1 df is 12.7062047 (tables).
  const two = windowEstimate([10, 20]);
  expect(two).toMatchObject({ mean: 15, standardError: 5, df: 1, method: 'windows' });
  expect(two.low).toBeCloseTo(15 - 12.7062047 * 5, 5);
  expect(two.high).toBeCloseTo(15 + 12.7062047 * 5, 5);
});

it('pools with peers that never varied: their zero variance is no reason to call this cell noisier', () => {
  // Peers: relative variance 0 over 4 df. This cell: 900, 1000, 1100 (relative variance 0.01, 2 df).
  const estimate = trialEstimate([900, 1000, 1100], { relativeVariance: 0, df: 4 });
  expect(estimate.method).toBe('pooled');
  expect(estimate.df).toBe(6);
  // Pooled relative variance (4 x 0 + 2 x 0.01) / 6 = 1/300; standard error sqrt(1/300 x 1000^2 / 3).
  expect(estimate.standardError).toBeCloseTo(Math.sqrt(1e6 / 900), 9);
  expect(estimate.high - estimate.mean).toBeCloseTo(T975_6 * Math.sqrt(1e6 / 900), 5);
});
