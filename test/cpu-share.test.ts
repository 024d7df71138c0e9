// The machine's busy share between two readings of os.cpus(), on hand-made readings.

import { busyCpuShare } from '../harness/measure/cpu-share';

const times = (user: number, sys: number, idle: number, nice = 0, irq = 0) => ({ user, nice, sys, idle, irq });

it('is the share of every core not idle between the readings', () => {
  // core 0: 300 busy (200 user + 50 sys + 30 nice + 20 irq) of 1000; core 1: 100 busy of 1000.
  const before = [times(1000, 500, 9000, 10, 5), times(2000, 100, 7000)];
  const after = [times(1200, 550, 9700, 40, 25), times(2080, 120, 7900)];
  expect(busyCpuShare(before, after)).toBeCloseTo(400 / 2000, 12);
});

it('is 0 on idle cores and 1 on saturated ones', () => {
  expect(busyCpuShare([times(5, 5, 100)], [times(5, 5, 600)])).toBe(0);
  expect(busyCpuShare([times(5, 5, 100)], [times(405, 105, 100)])).toBe(1);
});

it('is null when the readings cannot be compared', () => {
  expect(busyCpuShare([], [])).toBeNull();
  expect(busyCpuShare([times(1, 1, 1)], [times(9, 1, 9), times(9, 1, 9)])).toBeNull(); // a core came or went
  expect(busyCpuShare([times(1, 1, 1)], [times(1, 1, 1)])).toBeNull(); // no time passed
});
