// The measured windows are re-checked after the fact (Barrett et al.): a trial
// whose measured phase moved away from the steady state it started from, or
// trended within itself, is flagged "drift in the measured windows".

import { measuredDrift } from '../harness/measure/steady-state';
import { warningText } from '../harness/measure/warnings';

const TOLERANCE = 0.15;

it('a measured phase at the steady level, scattering a little, did not drift', () => {
  expect(measuredDrift([1000, 1010, 990, 1000], [1005, 995, 1000, 1010, 990, 1000], TOLERANCE)).toBeNull();
});

it('a late drop: steady at 1000, measured at 400 and 410: drifted, by -59.5% from the steady level', () => {
  const drift = measuredDrift([1000, 1010, 990, 1000], [400, 410, 400, 410, 400, 410], TOLERANCE)!;
  expect(drift.levelShift).toBeCloseTo(405 / 1000 - 1, 12);
});

it('measured windows rising 3% a window (15% across 6 windows, more than a third of the tolerance) drifted', () => {
  const measured = Array.from({ length: 6 }, (_, i) => 1000 * 1.03 ** i);
  const drift = measuredDrift([1000, 1000, 1000, 1000], measured, TOLERANCE)!;
  expect(drift.trend).toBeGreaterThan(0.05);
});

it('a measured phase with no transaction drifted by -100%, with no trend to measure (a number, so results.json keeps it)', () => {
  expect(measuredDrift([1000, 1000], [0, 0], TOLERANCE)).toEqual({ levelShift: -1, trend: 0 });
});

it('has its own text', () => {
  expect(warningText({ kind: 'drift', trial: 2, levelShift: -0.595, trend: 0.01 })).toBe(
    'trial 2: drift in the measured windows: their throughput moved -59.5% from the steady state the warm-up found, and trended 1.0% across the phase',
  );
});
