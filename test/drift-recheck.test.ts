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

it('noisy windows are not drift: a measured phase scattering ±15% around a rise that is not significant (slope p > 0.01)', () => {
  // The windows of one trial on a busy machine (2026-12-03): trend 37% across them, but the slope's p is about 0.04.
  expect(measuredDrift([21450, 19870, 20690, 20260], [17200, 19010, 24540, 20280, 24420, 26150], TOLERANCE)).toBeNull();
});

it('a phase that starts near zero and climbs back (measured 2026-12-03) drifted', () => {
  const measured = [0, 40, 400, 3550, 1020, 490, 5370, 7110, 5830, 9710, 6470, 12120, 7000, 2190, 4270, 11300, 10150, 7240, 9230, 7570];
  expect(measuredDrift([15560, 13620, 12990, 16350], measured, TOLERANCE)).not.toBeNull();
});

it('has its own text', () => {
  expect(warningText({ kind: 'drift', trial: 2, levelShift: -0.595, trend: 0.01, notRemeasured: null })).toBe(
    'trial 2: drift in the measured windows: their throughput moved -59.5% from the steady state the warm-up found, and trended 1.0% across the phase',
  );
});

it('says why the phase was not measured again, when that is known', () => {
  const drift = (notRemeasured: 'limit' | 'cap' | 'progress-late' | 'no-drift-in-progress') => warningText({ kind: 'drift', trial: 2, levelShift: 0.15, trend: 0.09, notRemeasured });
  const head = 'trial 2: drift in the measured windows: their throughput moved +15.0% from the steady state the warm-up found, and trended 9.0% across the phase; not measured again: ';
  expect(drift('limit')).toBe(head + 'it had been measured again 2 times');
  expect(drift('cap')).toBe(head + 'the warm-up cap had passed');
  expect(drift('progress-late')).toBe(head + "the clients' progress for its windows did not arrive within a second");
  expect(drift('no-drift-in-progress')).toBe(head + "the clients' progress for its windows held the steady state; only their reports after the trial drifted");
});
