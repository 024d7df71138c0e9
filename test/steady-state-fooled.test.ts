// Series that fooled the steady-state detector (issue 22, defect 7), with the
// default rule: 4 windows, 15% tolerance. A steady state must hold to the end of
// the series watched, and a series that still moves is not steady however little
// it scatters.

import { steadyFrom } from '../harness/measure/steady-state';
import { normal, seeded } from './support/random';

const rule = { windows: 4, tolerance: 0.15 };

it('a series still rising 4.5% a window never settles', () => {
  const series = Array.from({ length: 50 }, (_, i) => 1000 * 1.045 ** i);
  expect(steadyFrom(series, rule)).toBeNull();
});

it('a slow ±20% oscillation (period 24 windows) is not steady', () => {
  const series = Array.from({ length: 60 }, (_, i) => 1000 * (1 + 0.2 * Math.sin((2 * Math.PI * i) / 24)));
  expect(steadyFrom(series, rule)).toBeNull();
});

it('a late drop [..., 1000, 1010, 990, 1000, 400, 410] is not steady from window 2: nothing before the drop counts', () => {
  expect(steadyFrom([500, 800, 1000, 1010, 990, 1000, 400, 410], rule)).toBeNull();
  // Once the new level has lasted a full run of windows, it is steady from the drop.
  expect(steadyFrom([500, 800, 1000, 1010, 990, 1000, 400, 410, 405, 395], rule)).toBe(6);
});

it('a level series with 5% window-to-window noise is steady (seeded)', () => {
  const random = seeded(7);
  const series = Array.from({ length: 20 }, () => normal(random, 1000, 50));
  expect(steadyFrom(series, rule)).not.toBeNull();
});
