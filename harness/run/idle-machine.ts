// The idle machine, probed before the first cell: the baseline every cell's responsiveness is compared with,
// and the check that nothing else shares the CPUs with the run.

import type { Warning } from '../schema/results';
import type { IdleMachineReading } from '../processes/probe';
import { busyMachineWarning } from '../measure/warnings';

/**
 * A machine that reads busy is probed again, up to this many probes in all: a burst of late wake-ups while the CPUs
 * sat idle is a moment of the host (2026-12-05, before one default run: p99 2.3 ms late with 2.5% of the CPUs in use),
 * not other work sharing the run; work that shares it is still there a probe later, and is warned about.
 */
export const IDLE_PROBES = 3;

export interface IdleVerdict {
  /** The last probe's reading: the one the verdict stands on. */
  reading: IdleMachineReading;
  probes: number;
  warning: Warning | null;
}

/** Probes (`probe`, told which probe it is, from 1) until a reading is not busy or IDLE_PROBES were taken; `busyAgain` hears of each busy reading that is probed again. */
export async function probeIdleMachine(
  probe: (probes: number) => Promise<IdleMachineReading>,
  machine: { loadAverage: number; cores: number },
  busyAgain: (reading: IdleMachineReading, probes: number) => void = () => {},
): Promise<IdleVerdict> {
  for (let probes = 1; ; probes++) {
    const reading = await probe(probes);
    const busy = busyMachineWarning({ ...machine, busyCpuShare: reading.busyCpuShare, idleProbeP99Ms: reading.responsiveness.p99LatenessNs / 1e6, probes });
    if (!busy || probes === IDLE_PROBES) return { reading, probes, warning: busy };
    busyAgain(reading, probes);
  }
}
