// The server's cost is read at the measured phase's two edges, never before
// either: a reader that reports the moment it was read (in place of CPU) shows
// when readAt read it. Only lower bounds: a slow machine reads later, never earlier.

import { sharedNowMs } from '../clients/clock';
import { readAt, sleepUntil } from '../harness/run/edges';
import type { ProcessCost } from '../strategies/types';

/** A cost whose CPU figure is the shared-clock moment of the read, in microseconds. */
const clockReader = {
  cost: (): ProcessCost => ({ cpuUserUs: sharedNowMs() * 1000, cpuSystemUs: 0, voluntaryContextSwitches: null, involuntaryContextSwitches: null }),
};

it('reads the start at or after the start, the end at or after the end', async () => {
  for (const [leadMs, lengthMs] of [
    [30, 40],
    [7.5, 12.25],
    [1.3, 2.7],
  ]) {
    const startMs = sharedNowMs() + leadMs;
    const endMs = startMs + lengthMs;
    const { start, end } = await readAt(clockReader, startMs, endMs);
    expect(start.cpuUserUs / 1000).toBeGreaterThanOrEqual(startMs);
    expect(end.cpuUserUs / 1000).toBeGreaterThanOrEqual(endMs);
  }
});

it('an edge already past is read at once', async () => {
  const pastMs = sharedNowMs() - 1000;
  const before = sharedNowMs();
  const { start, end } = await readAt(clockReader, pastMs, pastMs + 10);
  expect(start.cpuUserUs / 1000).toBeGreaterThanOrEqual(before);
  expect(end.cpuUserUs).toBeGreaterThanOrEqual(start.cpuUserUs);
});

it('sleepUntil never wakes before its moment, fractional or not', async () => {
  for (const waitMs of [0.4, 1.6, 2.5, 5.2, 10.9, 20.01]) {
    const atMs = sharedNowMs() + waitMs;
    await sleepUntil(atMs);
    expect(sharedNowMs()).toBeGreaterThanOrEqual(atMs);
  }
});
