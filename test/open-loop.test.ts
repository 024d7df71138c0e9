// --rate: clients send on a fixed schedule; turnaround from the scheduled start
// (coordinated omission corrected) is never below turnaround from the actual send.

import { killAll } from './support/spawned';
import { measured, quickRun } from './support/runs';

afterEach(killAll);

it('schedules sends and reports corrected >= uncorrected percentiles', async () => {
  const { finished, results } = await quickRun(['--strategy', 'node-net', '--clients', '2', '--transactions', '200', '--rate', '400']);
  expect(finished.code).toBe(0);
  expect(results.parameters.workload.ratePerClientTps).toBe(400);
  const trial = measured(results.cells[0]);
  // 200 transactions at 400 per second: the last is scheduled 199 / 400 s after the common start.
  for (const client of trial.script!.clients) expect(client.doneMs!).toBeGreaterThanOrEqual((199 / 400) * 1000);
  // Never faster than the schedule allows, whatever the machine: each client's 200 transactions
  // take at least 199 intervals, so 2 clients do at most 2 x 200 / (199 / 400) per second.
  // (The measured phase has no such bound: a client a stall left behind catches up back to back.)
  // 0.1%: the clients' clocks are converted to the shared one to within microseconds.
  expect(trial.script!.throughputTps).toBeLessThanOrEqual(((2 * 200) / (199 / 400)) * 1.001);
  for (const phase of [trial.steady!, trial.script!]) {
    const fromSend = phase.latencyFromSend!;
    expect(fromSend).not.toBeNull();
    for (const key of ['p50Ns', 'p90Ns', 'p99Ns', 'maxNs', 'meanNs'] as const) expect(phase.latency[key]).toBeGreaterThanOrEqual(fromSend[key]);
  }
  expect(trial.warnings.filter((w) => w.kind === 'littles-law')).toEqual([]);
  expect(results.cells[0].summary!.observations).toEqual([{ kind: 'open-loop', ratePerClientTps: 400 }]);
});

it('a closed loop has one latency', async () => {
  const { finished, results } = await quickRun(['--strategy', 'node-net', '--clients', '2', '--transactions', '200']);
  expect(finished.code).toBe(0);
  expect(results.parameters.workload.ratePerClientTps).toBeNull();
  const trial = measured(results.cells[0]);
  expect(trial.steady!.latencyFromSend).toBeNull();
  expect(trial.script!.latencyFromSend).toBeNull();
});
