// The host's pace over a run, and between two runs: from the wake-up round trip
// measured before each trial (processes/host-pace.ts). Not a correction (that is
// pace-adjust.ts): it says when a difference may be the host's: on the
// project machine a C client and server at one client moved 30,000-60,000 tx/s
// as the round trip moved 32-20 µs, with the code unchanged. Pure.

import type { RunResults } from '../schema/results';
import { compareEstimates, logTrialEstimate, median } from './statistics';

/** A pace change smaller than this is not worth a line. */
export const PACE_SHIFT_THRESHOLD = 0.05;

export interface HostPace {
  trials: number;
  medianUs: number;
  lowUs: number;
  highUs: number;
}

/** The round trips measured before the run's measured trials (older files have none). */
export function hostWakeupsUs(results: RunResults): number[] {
  return results.cells.flatMap((cell) => cell.trials.flatMap((t) => (t.outcome === 'measured' && t.hostWakeupUs !== null ? [t.hostWakeupUs] : [])));
}

export function hostPace(wakeupsUs: readonly number[]): HostPace | null {
  if (wakeupsUs.length === 0) return null;
  return { trials: wakeupsUs.length, medianUs: median(wakeupsUs), lowUs: Math.min(...wakeupsUs), highUs: Math.max(...wakeupsUs) };
}

const us = (value: number) => `${value.toFixed(1)} µs`;

/** The run's one line on its host's pace. */
export function hostPaceLine(p: HostPace): string {
  const range = p.trials > 1 ? ` (${p.lowUs.toFixed(1)}–${us(p.highUs)} over ${p.trials} trials)` : '';
  return (
    `Host pace: a wake-up round trip between two threads took ${us(p.medianUs)} before the median trial${range}. ` +
    'It moves with the host, not the code, and 1-client throughput moves with it; the shuffled order spreads its changes over every cell.'
  );
}

export interface PaceShift {
  baseUs: number;
  newUs: number;
  /** new / base - 1 of the round trip, with its 95% interval. */
  relative: number;
  low: number;
  high: number;
}

/**
 * The host's pace changed between two runs: the round trips differ significantly
 * (Welch on their logarithms) and the whole interval of the change lies beyond
 * `threshold`. Null otherwise, or when either run has fewer than two.
 */
export function hostPaceShift(baseUs: readonly number[], newUs: readonly number[], threshold = PACE_SHIFT_THRESHOLD): PaceShift | null {
  if (baseUs.length < 2 || newUs.length < 2) return null;
  const base = logTrialEstimate(baseUs);
  const next = logTrialEstimate(newUs);
  const c = compareEstimates(base, next);
  if (!c || !c.significant || (c.relativeLow < threshold && c.relativeHigh > -threshold)) return null;
  return { baseUs: base.mean, newUs: next.mean, relative: c.relative, low: c.relativeLow, high: c.relativeHigh };
}

const signed = (share: number) => `${share > 0 ? '+' : '−'}${Math.abs(share * 100).toFixed(0)}%`;

export function paceShiftLine(s: PaceShift): string {
  return (
    `Host pace differed between the runs: a wake-up round trip took ${us(s.baseUs)} (base) and ${us(s.newUs)} (new), ` +
    `${signed(s.relative)} [${signed(s.low)}, ${signed(s.high)}], with no code involved. ` +
    `Throughput and p50 are compared at one pace where their slopes were significant; p99 is not adjusted: a ${s.relative < 0 ? 'faster' : 'slower'} host moves it too.`
  );
}
