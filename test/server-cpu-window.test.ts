// The server's CPU over the measured phase, end to end: one thread cannot use
// more CPU than the wall time it ran, so a `sequential` server (one serving
// thread) kept busy by --cpu-us shows at most the phase's length of CPU. Read at
// the wrong edge (when the phase is announced, 50 to 100 ms before it starts),
// a busy server shows the lead's CPU on top.

import { platform } from '../strategies/platform';
import { measured, quickRun } from './support/runs';
import { killAll, onlyOn } from './support/spawned';

afterEach(killAll);

// QUICK's measured phase: 2 windows of 50 ms.
const WINDOWS = 2;
const WINDOW_MS = 50;
// The OS counts CPU in ticks (Linux: 1/100 s; Windows: the 15.6 ms scheduler tick): each of the two reads may be off by one.
const TICKS_MS = 2 * (platform.name === 'win32' ? 15.625 : 10);

onlyOn('outside-wine', "Wine 8 has no QueryProcessCycleTime, and its GetProcessTimes read 0 for another process over this 100 ms phase").it(
  "a single-threaded server's CPU over the measured phase is at most the phase's wall time",
  async () => {
  const { finished, results } = await quickRun(
    ['--strategy', 'sequential', '--clients', '1', '--cpu-us', '2000', '--transactions', '30'],
    'cpu-window',
  );
  expect(finished.code).toBe(0);
  const steady = measured(results.cells[0]).steady!;
  const wallMs = steady.windows.length * steady.windowMs;
  expect(wallMs).toBe(WINDOWS * WINDOW_MS);
  const cost = steady.serverCost!;
  const cpuMs = (cost.cpuUserUs + cost.cpuSystemUs) / 1000;
  // A read that woke late covers a little more than the phase: no later than the probe saw
  // timers wake in the same phase (its worst lateness), which bounds that honestly.
  const lateMs = (steady.responsiveness?.maxLatenessNs ?? 0) / 1e6;
  expect(cpuMs).toBeGreaterThan(0);
  expect(cpuMs).toBeLessThanOrEqual(wallMs * 1 + TICKS_MS + lateMs);
  },
);
