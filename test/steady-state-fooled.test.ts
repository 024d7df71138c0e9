// Series that fooled the steady-state detector (issue 22, defect 7), with the
// default rule: 4 windows, 15% tolerance. A steady state must hold to the end of
// the series watched, and a series that still moves is not steady however little
// it scatters.

import { measuredDrift, steadyFrom } from '../harness/measure/steady-state';
import { normal, seeded } from './support/random';

const rule = { windows: 4, tolerance: 0.15 };

it('a series still rising 4.5% a window never settles', () => {
  const series = Array.from({ length: 50 }, (_, i) => 1000 * 1.045 ** i);
  expect(steadyFrom(series, rule)).toBeNull();
});

it('a slow ±20% oscillation (period 24 windows) is never steady across a swing; the top of a swing it accepts is caught as drift by the next 6 windows', () => {
  const series = Array.from({ length: 90 }, (_, i) => 1000 * (1 + 0.2 * Math.sin((2 * Math.PI * i) / 24)));
  let accepted = 0;
  // Watched live: every prefix of the series, as the warm-up sees it.
  for (let seen = rule.windows; seen + 6 <= series.length; seen++) {
    const from = steadyFrom(series.slice(0, seen), rule);
    if (from === null) continue;
    accepted++;
    // Whatever it accepted spans less than half a swing (12 windows) ...
    expect(seen - from).toBeLessThan(12);
    // ... and the measured windows after it are flagged.
    expect(measuredDrift(series.slice(from, seen), series.slice(seen, seen + 6), rule.tolerance)).not.toBeNull();
  }
  expect(accepted).toBeGreaterThan(0);
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
