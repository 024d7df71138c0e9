// Statistics with known answers: table values of Student's t and F, Jain's index
// on hand-computed vectors, and the coverage of the intervals over many seeded draws.

import {
  compareEstimates,
  fUpperTail,
  holmSignificant,
  incompleteBeta,
  jainIndex,
  mean,
  median,
  mostOutlying,
  noisierThan,
  poolRelativeVariance,
  relativeHalfWidth,
  studentTCdf,
  studentTQuantile,
  trialEstimate,
  variance,
} from '../harness/measure/statistics';
import { normal, seeded } from './support/random';

describe('basic figures', () => {
  it('mean, sample variance and median of literals', () => {
    expect(mean([2, 4, 9])).toBe(5);
    expect(variance([2, 4, 9])).toBeCloseTo(13, 12); // ((-3)^2 + (-1)^2 + 4^2) / 2
    expect(variance([7])).toBeNaN();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("Jain's index: equal shares 1, one client served 1/n, and a hand-computed vector", () => {
    expect(jainIndex([7, 7, 7, 7])).toBe(1);
    expect(jainIndex([100, 0, 0, 0, 0])).toBe(1 / 5);
    expect(jainIndex([1, 2, 3, 4])).toBeCloseTo(100 / 120, 12); // (1+2+3+4)^2 / (4 (1+4+9+16))
    expect(jainIndex([])).toBe(1);
    expect(jainIndex([0, 0])).toBe(1);
  });
});

describe('distributions against their tables', () => {
  it("Student's t two-sided 95% quantiles", () => {
    const table: Array<[number, number]> = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [10, 2.228],
      [30, 2.042],
      [100, 1.984],
    ];
    for (const [df, t] of table) expect([df, studentTQuantile(0.975, df)]).toEqual([df, expect.closeTo(t, 3)]);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228, 3);
    expect(studentTQuantile(0.5, 4)).toBeCloseTo(0, 9);
    expect(studentTCdf(-1, 3)).toBeCloseTo(0.1955, 4);
  });

  it('the regularized incomplete beta on closed forms', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12); // uniform
    expect(incompleteBeta(0.5, 4, 4)).toBeCloseTo(0.5, 12); // symmetric
    expect(incompleteBeta(0.2, 2, 1)).toBeCloseTo(0.04, 12); // x^2
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });

  it('F upper tails at table critical values', () => {
    expect(fUpperTail(3.19, 2, 48)).toBeCloseTo(0.05, 3);
    expect(fUpperTail(4.96, 1, 10)).toBeCloseTo(0.05, 3);
    expect(fUpperTail(0, 3, 3)).toBe(1);
  });
});

describe('intervals', () => {
  it("one value has no interval; two or more get Student's t over their own values", () => {
    expect(trialEstimate([42])).toMatchObject({ mean: 42, low: 42, high: 42, method: 'none', standardError: null });
    // 4 trials of mean 200, variance 50 over 3 df: SE sqrt(50 / 4); t 97.5% at 3 df is 3.182446 (tables).
    const estimate = trialEstimate([190, 200, 205, 205]);
    expect(estimate.method).toBe('own');
    expect(estimate.df).toBe(3);
    expect(estimate.mean).toBe(200);
    expect(estimate.standardError).toBeCloseTo(Math.sqrt(50 / 4), 12);
    expect(estimate.high - estimate.mean).toBeCloseTo(3.182446 * Math.sqrt(50 / 4), 4);
    expect(relativeHalfWidth(estimate)).toBeCloseTo((estimate.high - estimate.mean) / 200, 12);
  });

  it('a cell that varies far more than the run is told by the F test against the pooled noise', () => {
    // [100, 160, 40]: relative variance 3600 / 100^2 = 0.36 against 0.0001 over 60 df: F = 3600, p tiny.
    expect(noisierThan([100, 160, 40], { relativeVariance: 0.0001, df: 60 })!).toBeLessThan(1e-12);
    // As noisy as the pool: F = 1, p = P(F(2, 60) >= 1) = 0.3737 (F tables, by hand: (1 + 2/60)^-30).
    expect(noisierThan([99, 100, 101], { relativeVariance: 1e-4, df: 60 })!).toBeCloseTo((1 + 2 / 60) ** -30, 6);
    expect(noisierThan([100], { relativeVariance: 1e-4, df: 60 })).toBeNull();
    expect(noisierThan([99, 101], null)).toBeNull();
  });

  it('pools relative variances weighted by degrees of freedom, skipping single trials', () => {
    // [9, 11]: variance 2, mean 10 -> 0.02; [18, 20, 22]: variance 4, mean 20 -> 0.01.
    const pooled = poolRelativeVariance([[9, 11], [18, 20, 22], [5]])!;
    expect(pooled.df).toBe(3);
    expect(pooled.relativeVariance).toBeCloseTo((1 * 0.02 + 2 * 0.01) / 3, 12);
    expect(poolRelativeVariance([[1], [2]])).toBeNull();
  });

  it('covers the true mean about 95% of the time with 3 trials of 4% noise', () => {
    const random = seeded(20261123);
    const draws = 1500;
    let covered = 0;
    for (let d = 0; d < draws; d++) {
      const own = trialEstimate(Array.from({ length: 3 }, () => normal(random, 1000, 40)));
      if (own.low <= 1000 && 1000 <= own.high) covered++;
    }
    expect(covered / draws).toBeGreaterThan(0.93);
    expect(covered / draws).toBeLessThan(0.97);
  });
});

describe('significance', () => {
  const estimate = (values: number[]) => trialEstimate(values);

  it("Holm's step-down correction on hand-checked families", () => {
    // Sorted 0.01 < 0.05/3; then 0.03 >= 0.05/2 stops: only the first.
    expect(holmSignificant([0.01, 0.04, 0.03])).toEqual([true, false, false]);
    // 0.01 < 0.05/3, 0.02 < 0.05/2, 0.04 < 0.05/1: all three.
    expect(holmSignificant([0.04, 0.01, 0.02])).toEqual([true, true, true]);
    // The smallest fails its test: nothing after it can pass, even 0.02 < 0.05.
    expect(holmSignificant([0.02, 0.02, 0.02])).toEqual([false, false, false]);
    // A missing test neither counts nor passes: a family of two, 0.02 < 0.05/2, 0.03 < 0.05.
    expect(holmSignificant([null, 0.03, 0.02])).toEqual([false, true, true]);
    expect(holmSignificant([0.02], 0.01)).toEqual([false]);
    expect(holmSignificant([])).toEqual([]);
  });

  it('Welch t on hand-checked values', () => {
    // Means 10 and 14, variances 1 and 1, n = 3 each: t = 4 / sqrt(2/3) = 4.899, df = 4, two-sided p = 0.008.
    const comparison = compareEstimates(estimate([9, 10, 11]), estimate([13, 14, 15]))!;
    expect(comparison.difference).toBe(4);
    expect(comparison.pValue).toBeCloseTo(0.008, 3);
    expect(comparison.significant).toBe(true);
    expect(comparison.low).toBeCloseTo(4 - 2.776 * Math.sqrt(2 / 3), 3);
    expect(compareEstimates(estimate([9, 10, 11]), estimate([9.5, 10.5, 11.5]))!.significant).toBe(false);
    expect(compareEstimates(trialEstimate([5]), estimate([1, 2, 3]))).toBeNull();
  });

  it('says "different" about 5% of the time when nothing differs, and nearly always for a real 10% difference', () => {
    const random = seeded(7);
    let falseAlarms = 0;
    let found = 0;
    const draws = 1000;
    for (let d = 0; d < draws; d++) {
      const draw = (m: number) => estimate(Array.from({ length: 5 }, () => normal(random, m, 3)));
      if (compareEstimates(draw(100), draw(100))!.significant) falseAlarms++;
      if (compareEstimates(draw(100), draw(110))!.significant) found++;
    }
    expect(falseAlarms / draws).toBeGreaterThan(0.03);
    expect(falseAlarms / draws).toBeLessThan(0.07);
    expect(found / draws).toBeGreaterThan(0.95);
  });
});

describe('mostOutlying', () => {
  it('picks the value farthest from the mean of the others on the log scale', () => {
    expect(mostOutlying([1000, 1010, 600])).toBe(2);
    // 600 against 1,200: ln 2 = 0.69; 1,400 against 800: ln 1.75 = 0.56.
    expect(mostOutlying([600, 1400, 1000])).toBe(0);
    // 500 against 1,333 (ln 2.67 = 0.98) lies farther than 2,000 against 833 (ln 2.4 = 0.88).
    expect(mostOutlying([1000, 2000, 500, 1000])).toBe(2);
  });
  it('has none with fewer than three values or a value that is not positive, and the first of a tie', () => {
    expect(mostOutlying([600, 1400])).toBeNull();
    expect(mostOutlying([0, 1000, 1010])).toBeNull();
    expect(mostOutlying([1000, 1000, 1000])).toBe(0);
  });
});
