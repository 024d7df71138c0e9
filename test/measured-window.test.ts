// What the clients count in the measured phase, by arithmetic that holds on any
// machine: a client's transactions follow one another, so those that ended
// inside a window of W ms, each lasting at least L, number at most W / L + 1;
// and (closed loop) their turnarounds add up to at most W plus the one that
// began before the window. A client counting transactions outside the phase, or
// timing them wrong, breaks one or the other.

import { killAll } from './support/spawned';
import { measured, quickRun } from './support/runs';

afterEach(killAll);

const NS_PER_MS = 1e6;

it('a client counts at most W / L + 1 transactions in a window when each takes at least L', async () => {
  const L_MS = 5;
  const { finished, results } = await quickRun(['--strategy', 'sequential', '--clients', '1', '--store-latency-us', String(L_MS * 1000), '--transactions', '30'], 'window-counts');
  expect(finished.code).toBe(0);
  const steady = measured(results.cells[0]).steady!;
  const counts = steady.windows.map((w) => Math.round((w.throughputTps * steady.windowMs) / 1000));
  for (const count of counts) expect(count).toBeLessThanOrEqual(Math.floor(steady.windowMs / L_MS) + 1);
  expect(steady.transactions).toBe(counts.reduce((a, b) => a + b, 0));
  expect(steady.transactions).toBeLessThanOrEqual(Math.floor((steady.windows.length * steady.windowMs) / L_MS) + 1);
  // Every transaction took at least L (the script's 30 always run; a starved measured phase may count none).
  const trial = measured(results.cells[0]);
  expect(trial.script!.transactions).toBe(30);
  expect(trial.script!.latency.minNs).toBeGreaterThanOrEqual(L_MS * NS_PER_MS);
  if (steady.transactions > 0) expect(steady.latency.minNs).toBeGreaterThanOrEqual(L_MS * NS_PER_MS);
});

it("the turnarounds counted in the measured phase fit in it: clients x (phase + one transaction's turnaround)", async () => {
  const clients = 2;
  const { finished, results } = await quickRun(['--strategy', 'node-net', '--clients', String(clients), '--transactions', '30'], 'window-sum');
  expect(finished.code).toBe(0);
  const steady = measured(results.cells[0]).steady!;
  const phaseNs = steady.windows.length * steady.windowMs * NS_PER_MS;
  expect(steady.transactions).toBeGreaterThan(0);
  // The mean is the histogram's (3 significant digits): 0.1% for its rounding.
  expect(steady.transactions * steady.latency.meanNs).toBeLessThanOrEqual(clients * (phaseNs + steady.latency.maxNs) * 1.001);
});
