// The server's CPU is read from outside at the edges of the measured phase, and a
// phase lasts well under a second: it must be read in nanoseconds, not in 10 ms
// (Linux /proc) or 15.6 ms (Windows GetProcessTimes) ticks. The pure conversions
// with known answers, then the platform's reader against a process that burns a
// fixed count of iterations and reports its own CPU time (getrusage, microseconds).

import * as path from 'node:path';
import { cycleRateHz, cyclesToUs, splitCpu, timespecUs } from '../strategies/cpu-time';
import { platform } from '../strategies/platform';
import { onlyOn, settled, spawnTracked, SUPPORT, waitFor } from './support/spawned';

const BURNER = path.join(SUPPORT, 'cpu-burner.js');
/** A Linux clock tick (USER_HZ 100); Windows' are 15.6 ms, and Wine's come from Linux's. */
const TICK_US = 10_000;

describe('CPU time conversions', () => {
  it('splits a precise total in the proportion of the coarse counters, the sum staying the total', () => {
    expect(splitCpu(2500.5, 3, 1)).toEqual({ cpuUserUs: 2500.5 - 625.125, cpuSystemUs: 625.125 });
    expect(splitCpu(1234, 0, 7)).toEqual({ cpuUserUs: 0, cpuSystemUs: 1234 });
    // Under one tick there is no proportion yet: all of it counts as user time.
    expect(splitCpu(987.654, 0, 0)).toEqual({ cpuUserUs: 987.654, cpuSystemUs: 0 });
  });

  it('reads a timespec and converts cycles at a rate', () => {
    expect(timespecUs(3n, 141_592_653n)).toBeCloseTo(3_141_592.653, 6);
    expect(cyclesToUs(3_000_000_000n, 3e9)).toBe(1e6);
    expect(cyclesToUs(7_500n, 3e9)).toBeCloseTo(2.5, 12);
  });

  it('takes the fastest spin as the cycle rate: a preempted spin is charged fewer cycles than it lasted', () => {
    const spins = [
      { cycles: 2_400_000n, seconds: 0.001 }, // 2.4 GHz: lost the processor part of the time
      { cycles: 30_000_000n, seconds: 0.01 }, // 3.0 GHz
      { cycles: 2_900_000n, seconds: 0.001 },
    ];
    expect(cycleRateHz(spins)).toBe(3e9);
    expect(() => cycleRateHz([{ cycles: 0n, seconds: 0.01 }])).toThrow(/no spin was charged/);
  });
});

// Wine 8 lacks QueryProcessCycleTime, and its GetProcessTimes fallback is not even tick-accurate for another process (README, Windows).
onlyOn('outside-wine', 'Wine 8 has no QueryProcessCycleTime, and its GetProcessTimes charges another process in bursts').describe("the platform's reader of another process's CPU", () => {
  it('follows a burst of work at microsecond resolution, not in ticks, and agrees with what the process counted itself', async () => {
    const burner = spawnTracked(process.execPath, [BURNER, '30000000'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const reports = (): { cpuUs: number }[] => burner.stdout().trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { cpuUs: number });
    await waitFor(() => reports().length === 1, 30000, () => `burner never reported: ${burner.stderr()}`, burner.finished);
    const reader = platform.openProcess(burner.pid);
    try {
      const total = () => {
        const cost = reader.cost();
        return cost.cpuUserUs + cost.cpuSystemUs;
      };
      const deltas: { outside: number; own: number }[] = [];
      // Burst 1 is not compared: the process's own count since its first report also holds the tail of its
      // start-up, which the outside reading (taken once it settled) does not (6-13 ms more, 2026-12-04).
      for (let burst = 1; burst <= 4; burst++) {
        const before = await settled(total); // the process idle: nothing left to charge
        burner.child.stdin!.write('burn\n');
        await waitFor(() => reports().length === burst + 1, 60000, () => `burner never finished burst ${burst}`, burner.finished);
        const after = await settled(total);
        const own = reports();
        if (burst > 1) deltas.push({ outside: after - before, own: own[burst].cpuUs - own[burst - 1].cpuUs });
      }
      console.log(`cpu-time: ${reader.how}: bursts read from outside vs counted by the process (µs): ${JSON.stringify(deltas)}`);
      for (const { outside, own } of deltas) {
        expect(own).toBeGreaterThan(0);
        // The outside reading also holds the process's print and its wake-up: little beside the burst.
        expect(Math.abs(outside - own)).toBeLessThanOrEqual(2000 + own * 0.05);
      }
      // Tick-charged times only ever move in whole ticks; nanoseconds almost never land on one.
      expect(deltas.filter(({ outside }) => Number.isInteger(outside / TICK_US))).toEqual([]);
    } finally {
      reader.close();
    }
  });
});
