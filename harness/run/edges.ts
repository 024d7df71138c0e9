// When the measured phase begins and ends, on the shared clock, and the server's
// cost read at those two edges. Everything read "over the measured phase"
// (clients' windows, the server's CPU, the probe) is read at these edges, not
// when the phase is announced.

import { sharedNowMs } from '../../clients/clock';
import type { ProcessCost, ProcessReader } from '../../strategies/types';

export interface PhaseEdges {
  startMs: number;
  endMs: number;
}

/**
 * The measured phase announced at `nowMs`: it starts on the first warm-up window
 * boundary (counted from `goMs`) at least `announceMs` later, so every client hears
 * of it in time and its windows line up with the warm-up's, and lasts `windows` windows.
 */
export function measuredPhaseEdges(goMs: number, nowMs: number, announceMs: number, windowMs: number, windows: number): PhaseEdges {
  const startMs = goMs + Math.ceil((nowMs + announceMs - goMs) / windowMs) * windowMs;
  return { startMs, endMs: startMs + windows * windowMs };
}

/** A process's cost at two moments of the shared clock: never before either (a late timer reads a little after). */
export async function readAt(reader: Pick<ProcessReader, 'cost'>, startMs: number, endMs: number): Promise<{ start: ProcessCost; end: ProcessCost }> {
  await sleepUntil(startMs);
  const start = reader.cost();
  await sleepUntil(endMs);
  return { start, end: reader.cost() };
}

/** Resolves at `sharedMs` or after, never before: a timer counts whole milliseconds from a loop time that may be stale, so it can fire early, and is then set again. */
export function sleepUntil(sharedMs: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      const leftMs = sharedMs - sharedNowMs();
      if (leftMs > 0) setTimeout(wake, Math.ceil(leftMs));
      else resolve();
    };
    wake();
  });
}
