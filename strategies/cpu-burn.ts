// The --cpu-us knob's work: CPU a server spends on each transaction, as if
// computing a complex answer. Kept apart from the session machine: it is a
// calibrated spin, not logic a unit test can check without a clock.

let burnSink = 0;
let iterationsPerMs = 0;

/**
 * Burns `ms` of CPU the way a server computing a complex answer would: a fixed
 * amount of work (iterations calibrated once per thread), not a wall-clock spin,
 * which would do less work, and cost less CPU, whenever threads outnumber cores.
 */
export function burnCpu(ms: number): void {
  if (iterationsPerMs === 0) iterationsPerMs = calibrateBurn();
  spin(Math.round(ms * iterationsPerMs));
}

function spin(iterations: number): void {
  let x = burnSink;
  for (let i = 0; i < iterations; i++) x = (x * 1103515245 + 12345) | 0;
  burnSink = x;
}

/** Iterations per millisecond: the fastest of several short runs, i.e. one not preempted (nor still interpreted). */
export function calibrateBurn(): number {
  if (iterationsPerMs > 0) return iterationsPerMs;
  const iterations = 200_000;
  let best = 0;
  for (let run = 0; run < 20; run++) {
    const started = performance.now();
    spin(iterations);
    const elapsedMs = performance.now() - started;
    if (elapsedMs > 0) best = Math.max(best, iterations / elapsedMs);
  }
  iterationsPerMs = best;
  return best;
}
