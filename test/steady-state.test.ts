// Steady state is detected, never assumed: a series that settles is found where
// it settles, one that keeps trending or scattering never is.

import { drift, steadyFrom } from '../harness/measure/steady-state';

const rule = { windows: 4, tolerance: 0.05 };

it('a flat series has no trend and no scatter', () => {
  expect(drift([50, 50, 50, 50])).toEqual({ trend: 0, scatter: 0 });
});

it('measures trend as the fitted change across the run, and scatter as the standard deviation, over the mean', () => {
  // 10, 20, 30: slope 10, change across the run 20, mean 20 -> trend 1; sd 10 -> scatter 0.5.
  expect(drift([10, 20, 30])).toEqual({ trend: 1, scatter: 0.5 });
});

it('finds the first window of a run that neither trends nor scatters', () => {
  // A JIT-like climb (30, 60, 90) into a plateau around 100 from index 3.
  const series = [30, 60, 90, 100, 101, 99, 100, 102, 98];
  expect(steadyFrom(series, rule)).toBe(3);
});

it('a series that keeps climbing never settles', () => {
  // 3% a window: across 4 windows the fitted line rises about 9% of the mean, more than the 5% / 3 allowed.
  const series = Array.from({ length: 40 }, (_, i) => 100 * 1.03 ** i);
  expect(steadyFrom(series, rule)).toBeNull();
});

it('a series that scatters more than the tolerance never settles', () => {
  const series = Array.from({ length: 40 }, (_, i) => (i % 2 ? 80 : 120));
  expect(steadyFrom(series, rule)).toBeNull();
});

it('skips the minimum warm-up: a run inside it does not count; a dip after a level run ends it', () => {
  const series = [100, 100, 100, 100, 60, 100, 100, 100, 100];
  expect(steadyFrom(series, rule, 0)).toBe(5);
  expect(steadyFrom([100, 100, 100, 100, 100, 100], rule, 0)).toBe(0);
  expect(steadyFrom([100, 100, 100, 100, 100, 100], rule, 2)).toBe(2);
});

it('a series shorter than the run cannot be steady yet; an empty or zero one neither', () => {
  expect(steadyFrom([100, 100, 100], rule)).toBeNull();
  expect(steadyFrom([], rule)).toBeNull();
  expect(steadyFrom([0, 0, 0, 0], rule)).toBeNull();
});

it('two windows already have a trend and a scatter; one window, or a series whose mean is not positive, has neither', () => {
  // 10, 20: slope 10, change across the run 10, mean 15 -> trend 2/3; sd sqrt(50) -> scatter sqrt(50)/15.
  const two = drift([10, 20]);
  expect(two.trend).toBeCloseTo(2 / 3, 12);
  expect(two.scatter).toBeCloseTo(Math.sqrt(50) / 15, 12);
  expect(drift([5])).toEqual({ trend: Infinity, scatter: Infinity });
  expect(drift([])).toEqual({ trend: Infinity, scatter: Infinity });
  expect(drift([0, 0, 0])).toEqual({ trend: Infinity, scatter: Infinity });
  expect(drift([-5, -5, -5])).toEqual({ trend: Infinity, scatter: Infinity });
});

it('a run exactly at the tolerance counts as steady, for the trend and for the scatter', () => {
  // trend exactly 1, scatter 0.5 (worked above): the trend may be a third of the tolerance
  expect(steadyFrom([10, 20, 30], { windows: 3, tolerance: 3 })).toBe(0);
  expect(steadyFrom([10, 20, 30], { windows: 3, tolerance: 2.99 })).toBeNull();
  // 9, 11, 10, 11, 9: mean 10, no trend (symmetric), squares 4 over 4 -> sd 1 -> scatter exactly 0.1
  expect(drift([9, 11, 10, 11, 9])).toEqual({ trend: 0, scatter: 0.1 });
  expect(steadyFrom([9, 11, 10, 11, 9], { windows: 5, tolerance: 0.1 })).toBe(0);
  expect(steadyFrom([9, 11, 10, 11, 9], { windows: 5, tolerance: 0.099 })).toBeNull();
});
