// When the measured phase begins and ends, on the shared clock. Everything read
// "over the measured phase" (clients' windows, the server's CPU, the probe) is
// read at these two edges, not when the phase is announced.

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
