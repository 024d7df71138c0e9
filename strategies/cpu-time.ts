// CPU time of another process, in the units ProcessCost carries, from what each OS
// counts precisely: one total (Linux: the process CPU clock in ns; Windows:
// QueryProcessCycleTime's cycles) beside coarse, tick-charged user and system
// figures. Pure functions, tested with known answers (test/cpu-time.test.ts).

/**
 * Splits a precise total between user and system in the proportion of the coarse
 * counters, as Linux itself derives /proc's utime and stime from the process's
 * runtime (cputime_adjust). The sum stays the precise total; with no coarse
 * figure yet (under one tick), it all counts as user time.
 */
export function splitCpu(totalUs: number, userCoarse: number, systemCoarse: number): { cpuUserUs: number; cpuSystemUs: number } {
  const coarse = userCoarse + systemCoarse;
  const cpuSystemUs = coarse > 0 ? (totalUs * systemCoarse) / coarse : 0;
  return { cpuUserUs: totalUs - cpuSystemUs, cpuSystemUs };
}

/** A struct timespec's two int64 fields as microseconds. */
export function timespecUs(seconds: bigint, nanoseconds: bigint): number {
  return Number(seconds) * 1e6 + Number(nanoseconds) / 1e3;
}

/** Cycles counted at `hz` cycles a second, as microseconds. */
export function cyclesToUs(cycles: bigint, hz: number): number {
  return (Number(cycles) / hz) * 1e6;
}

/**
 * The cycle counter's rate from busy spins, each timed by a wall clock and charged
 * in cycles to the spinning thread: a spin that lost the processor part of the time
 * was charged fewer cycles than it lasted, never more, so the fastest spin is the
 * closest to the true rate.
 */
export function cycleRateHz(spins: { cycles: bigint; seconds: number }[]): number {
  let best = 0;
  for (const spin of spins) if (spin.seconds > 0) best = Math.max(best, Number(spin.cycles) / spin.seconds);
  if (best <= 0) throw new Error('cycle rate: no spin was charged any cycle');
  return best;
}
