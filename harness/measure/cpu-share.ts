// How busy the machine's CPUs were between two readings of os.cpus(): the share of
// all cores' time not spent idle. Read around the idle probe, it says whether other
// work was running right before the run, which a load average (an average over the
// last minute, still high from whatever ran before) cannot.

export interface CpuTimesMs {
  user: number;
  nice: number;
  sys: number;
  idle: number;
  irq: number;
}

/** Busy share (0..1) of every core between `before` and `after`; null when the readings cannot be compared. */
export function busyCpuShare(before: readonly CpuTimesMs[], after: readonly CpuTimesMs[]): number | null {
  if (before.length === 0 || before.length !== after.length) return null;
  let busy = 0;
  let total = 0;
  for (let i = 0; i < before.length; i++) {
    const idle = after[i].idle - before[i].idle;
    const used = after[i].user - before[i].user + (after[i].nice - before[i].nice) + (after[i].sys - before[i].sys) + (after[i].irq - before[i].irq);
    busy += used;
    total += used + idle;
  }
  return total > 0 ? busy / total : null;
}
