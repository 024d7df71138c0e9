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
  // 3% a window: across 4 windows the fitted line rises about 9% of the mean, more than the 5% allowed.
  const series = Array.from({ length: 40 }, (_, i) => 100 * 1.03 ** i);
  expect(steadyFrom(series, rule)).toBeNull();
});

it('a series that scatters more than the tolerance never settles', () => {
  const series = Array.from({ length: 40 }, (_, i) => (i % 2 ? 80 : 120));
  expect(steadyFrom(series, rule)).toBeNull();
});

it('skips the minimum warm-up: a run inside it does not count', () => {
  const series = [100, 100, 100, 100, 60, 100, 100, 100, 100];
  expect(steadyFrom(series, rule, 0)).toBe(0);
  expect(steadyFrom(series, rule, 2)).toBe(5);
});

it('a series shorter than the run cannot be steady yet; an empty or zero one neither', () => {
  expect(steadyFrom([100, 100, 100], rule)).toBeNull();
  expect(steadyFrom([], rule)).toBeNull();
  expect(steadyFrom([0, 0, 0, 0], rule)).toBeNull();
});
