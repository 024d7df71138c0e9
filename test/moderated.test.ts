// The empirical-Bayes moderation of compare (harness/measure/moderated.ts): the
// polygamma functions at points whose values are known (closed forms, or mpmath
// at 30 digits), the prior fitted on constructed variances whose d0 and s0² follow
// in closed form, the shrinkage, and the log-scale Welch test.

import { digamma, fitPrior, logComparison, logSide, moderate, pooledSides, tetragamma, trigamma, trigammaInverse } from '../harness/measure/moderated';
import { trialEstimate, logTrialEstimate } from '../harness/measure/statistics';

const EULER = 0.5772156649015329;

describe('polygamma functions', () => {
  it('digamma: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(2) = 1 − γ; ψ(3.7) and ψ(25.3) from mpmath', () => {
    expect(digamma(1)).toBeCloseTo(-EULER, 13);
    expect(digamma(0.5)).toBeCloseTo(-EULER - 2 * Math.LN2, 13);
    expect(digamma(2)).toBeCloseTo(1 - EULER, 13);
    expect(digamma(3.7)).toBeCloseTo(1.16715353936151144, 13);
    expect(digamma(25.3)).toBeCloseTo(3.21091138018253588, 13);
  });

  it('trigamma: ψ\'(1) = π²/6, ψ\'(1/2) = π²/2, ψ\'(2) = π²/6 − 1; ψ\'(3.7), ψ\'(0.1), ψ\'(25.3) from mpmath', () => {
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 13);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 13);
    expect(trigamma(2)).toBeCloseTo(Math.PI ** 2 / 6 - 1, 13);
    expect(trigamma(3.7)).toBeCloseTo(0.310037857670038302, 13);
    expect(trigamma(0.1)).toBeCloseTo(101.433299150792748, 11);
    expect(trigamma(25.3)).toBeCloseTo(0.0403171203412564960, 14);
  });

  it('tetragamma: ψ\'\'(1) = −2ζ(3), ψ\'\'(1/2) = −14ζ(3); ψ\'\'(3.7) from mpmath', () => {
    expect(tetragamma(1)).toBeCloseTo(-2.40411380631918857, 12);
    expect(tetragamma(0.5)).toBeCloseTo(-16.8287966442343200, 11);
    expect(tetragamma(3.7)).toBeCloseTo(-0.0953953087285540335, 13);
  });

  it('trigammaInverse undoes trigamma: π²/6 → 1, π²/6 − 1 → 2, π²/2 → 1/2, ψ\'(25.3) → 25.3; NaN for a value that is not positive', () => {
    expect(trigammaInverse(Math.PI ** 2 / 6)).toBeCloseTo(1, 10);
    expect(trigammaInverse(Math.PI ** 2 / 6 - 1)).toBeCloseTo(2, 10);
    expect(trigammaInverse(Math.PI ** 2 / 2)).toBeCloseTo(0.5, 10);
    expect(trigammaInverse(0.0403171203412564960)).toBeCloseTo(25.3, 8);
    expect(trigammaInverse(0)).toBeNaN();
    expect(trigammaInverse(-1)).toBeNaN();
  });
});

describe('the prior of a run\'s variances (Smyth 2004, moments of log variances)', () => {
  it('four variances on 2 df each, e = ln s² + γ = ±a with 4a²/3 − π²/6 = π²/6 − 1 = ψ\'(2): d0 = 2·2 = 4, s0² = exp(ψ(2) − ln 2) = exp(1 − γ − ln 2)', () => {
    const a = Math.sqrt(((Math.PI ** 2 / 3 - 1) * 3) / 4);
    const variances = [a, -a, a, -a].map((e) => Math.exp(e - EULER));
    const prior = fitPrior(variances, [2, 2, 2, 2])!;
    expect(prior.df).toBeCloseTo(4, 8);
    expect(prior.variance).toBeCloseTo(Math.exp(1 - EULER - Math.LN2), 10);
  });

  it('identical variances vary less than chance allows: d0 = ∞ and s0² = s²·e^γ (the mean of ln s² on 2 df is ln σ² − γ)', () => {
    const prior = fitPrior([3, 3, 3], [2, 2, 2])!;
    expect(prior.df).toBe(Infinity);
    expect(prior.variance).toBeCloseTo(3 * Math.exp(EULER), 12);
  });

  it('a variance of zero is offset to 1e-5 of the median (limma): [0, 1, 1] fits as [1e-5, 1, 1], d0 = 0.3116, s0² = 2.840e-4 (mpmath)', () => {
    const prior = fitPrior([0, 1, 1], [2, 2, 2])!;
    expect(prior.df).toBeCloseTo(0.311582781393262586, 10);
    expect(prior.variance).toBeCloseTo(0.000283984665029527872, 14);
  });

  it('no prior from fewer than two variances', () => {
    expect(fitPrior([1], [2])).toBeNull();
    expect(fitPrior([], [])).toBeNull();
  });
});

describe('moderate: a cell\'s posterior variance', () => {
  it('(d0 s0² + d s²) / (d0 + d) on d0 + d degrees of freedom: prior 2 on 4, own 5 on 2 → 3 on 6', () => {
    expect(moderate(5, 2, { variance: 2, df: 4 }, 100)).toEqual({ variance: 3, df: 6 });
  });

  it('the degrees of freedom stop at those of the whole fit; an infinite d0 gives s0² itself', () => {
    expect(moderate(1, 2, { variance: 2, df: 400 }, 48).df).toBe(48);
    expect(moderate(1, 2, { variance: 2, df: Infinity }, 48)).toEqual({ variance: 2, df: 48 });
  });

  it('a variance the prior makes improbable keeps its own: s²/s0² = 20 on (2, 10) has P = 3.2e-4 (scipy f.sf(20, 2, 10))', () => {
    expect(moderate(20, 2, { variance: 1, df: 10 }, 100)).toEqual({ variance: 20, df: 2 });
    // s²/s0² = 3 on (2, 10): P = 0.095, drawn from the prior, so shrunk.
    expect(moderate(3, 2, { variance: 1, df: 10 }, 100)).toEqual({ variance: 16 / 12, df: 12 });
  });

  it('no prior: its own', () => {
    expect(moderate(5, 2, null, 2)).toEqual({ variance: 5, df: 2 });
  });
});

describe('the log scale', () => {
  it('throughput (own): the mean\'s log and the relative variance s²/mean² (delta method)', () => {
    expect(logSide(trialEstimate([1000, 1010, 990]))).toEqual({ logMean: Math.log(1000), variance: expect.closeTo(1e-4, 15), df: 2, trials: 3 });
  });

  it('turnaround (log): the geometric mean\'s log and the variance of the logs', () => {
    const side = logSide(logTrialEstimate([Math.E, Math.E ** 2, Math.E ** 3]))!;
    expect(side.logMean).toBeCloseTo(2, 14);
    expect(side.variance).toBeCloseTo(1, 14);
    expect(side.df).toBe(2);
  });

  it('one trial, or a value that is not positive, has no log-scale side', () => {
    expect(logSide(trialEstimate([1000]))).toBeNull();
    expect(logSide(trialEstimate([1000, -5, 990]))).toBeNull();
  });

  it('both sides pooled: (2·1 + 4·4) / 6 = 3 on 6 degrees of freedom', () => {
    expect(pooledSides({ logMean: 0, variance: 1, df: 2, trials: 3 }, { logMean: 0, variance: 4, df: 4, trials: 5 })).toEqual({ variance: 3, df: 6 });
  });

  it('Student on logs: 1000 → 800 with a variance of 1e-4·e^γ on 8 df, 3 trials a side: −20% [−21.99%, −17.96%], p = 3.38e-8 (scipy, t on 8 df)', () => {
    const variance = 1e-4 * Math.exp(EULER);
    const change = logComparison(
      { logMean: Math.log(1000), variance: 1, df: 2, trials: 3 },
      { logMean: Math.log(800), variance: 1, df: 2, trials: 3 },
      { variance, df: 8 },
      1000,
    );
    expect(change.relative).toBeCloseTo(-0.2, 14);
    expect(change.relativeLow).toBeCloseTo(-0.21985181465421766, 10);
    expect(change.relativeHigh).toBeCloseTo(-0.17964303189869613, 10);
    expect(change.low).toBeCloseTo(-219.85181465421766, 7);
    expect(change.pValue).toBeCloseTo(3.383409838669715e-8, 15);
    expect(change.significant).toBe(true);
  });

  it('no spread at all: the change is exact, p = 1 when nothing moved and 0 otherwise', () => {
    const side = { logMean: Math.log(10), variance: 0, df: 2, trials: 3 };
    const none = { variance: 0, df: 4 };
    expect(logComparison(side, side, none, 10)).toMatchObject({ relative: 0, relativeLow: 0, relativeHigh: 0, pValue: 1, significant: false });
    expect(logComparison(side, { ...side, logMean: Math.log(11) }, none, 10)).toMatchObject({ pValue: 0, significant: true });
  });
});
