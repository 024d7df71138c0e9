// Two clocks: performance.now() (a double, free to read, but counted from each
// thread's own start) for timing transactions, and the machine's monotonic clock
// (process.hrtime: CLOCK_MONOTONIC, QueryPerformanceCounter on Windows), the same
// in every process, for the moments the harness and its children agree on
// ("the measured phase starts at 123456.7 ms"). localMs converts one to the other.

/** Milliseconds on the clock every process of the machine shares. */
export function sharedNowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** shared - local, for this thread: localMs(shared) = shared - offset. Read once per thread. */
export function clockOffsetMs(): number {
  // The two reads straddle each other; their midpoint pairs them within a microsecond.
  const before = performance.now();
  const shared = sharedNowMs();
  const after = performance.now();
  return shared - (before + after) / 2;
}
