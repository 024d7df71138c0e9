// Client reports made up for tests: known counts per window, known turnarounds,
// known script end times, so every figure computed from them is known in advance.

import { encodeHistogram, newHistogram, newWindowHistogram } from '../../clients/histogram';
import type { ClientReport } from '../../contract/messages';

/** A histogram holding each value (ns) once. */
export function histogramOf(valuesNs: number[], window = false): string {
  const histogram = window ? newWindowHistogram() : newHistogram();
  for (const v of valuesNs) histogram.recordValue(v);
  return encodeHistogram(histogram);
}

export interface ReportSpec {
  clientIndex: number;
  /** Transactions per measuring window, each with this turnaround. */
  windowCounts?: number[];
  turnaroundNs?: number;
  /** The script: its transactions, and when each ended (shared-clock ms). */
  scriptEndsMs?: number[];
  errors?: { unexpectedStatus: number; mismatches: number };
  fatal?: string | null;
  /** CPU over the measured phase, split 3:1 between user and system time. */
  measuredCpuUs?: number;
  /** Turnaround from the intended send time (open loop), when there was one. */
  fromSendNs?: number;
}

export function report(spec: ReportSpec): ClientReport {
  const turnaround = spec.turnaroundNs ?? 20_000;
  const counts = spec.windowCounts ?? null;
  const ends = spec.scriptEndsMs ?? null;
  return {
    clientIndex: spec.clientIndex,
    pid: 1000 + spec.clientIndex,
    transactions: (counts ?? []).reduce((a, b) => a + b, 0) + (ends?.length ?? 0),
    errors: spec.errors ?? { unexpectedStatus: 0, mismatches: 0 },
    fatal: spec.fatal ?? null,
    steady: counts && {
      windowCounts: counts,
      windowHistograms: counts.map((n) => histogramOf(Array(n).fill(turnaround), true)),
      histogram: histogramOf(Array(counts.reduce((a, b) => a + b, 0)).fill(turnaround)),
      sentHistogram: spec.fromSendNs === undefined ? null : histogramOf(Array(counts.reduce((a, b) => a + b, 0)).fill(spec.fromSendNs)),
    },
    script: ends && {
      transactions: ends.length,
      endMs: ends[ends.length - 1],
      every: 1,
      endsMs: ends,
      histogram: histogramOf(Array(ends.length).fill(turnaround)),
      sentHistogram: spec.fromSendNs === undefined ? null : histogramOf(Array(ends.length).fill(spec.fromSendNs)),
    },
    measureLateMs: 0,
    cpu: { userUs: 1000, systemUs: 500 },
    measuredCpu: spec.measuredCpuUs === undefined ? null : { userUs: (spec.measuredCpuUs * 3) / 4, systemUs: spec.measuredCpuUs / 4 },
  };
}
