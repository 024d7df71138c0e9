// --cpu-us and --store-latency-us reach the server: CPU per transaction and
// turnaround rise by at least what was asked (behaviour, not timing: both are floors).

import { killAll, onlyOn } from './support/spawned';
import { measured, quickRun } from './support/runs';
import type { MeasuredTrial } from '../harness/schema/results';

afterEach(killAll);

async function trialWith(extra: string[], transactions = 300): Promise<MeasuredTrial> {
  const { finished, results } = await quickRun(['--strategy', 'sequential', '--clients', '1', '--transactions', String(transactions), ...extra]);
  expect(finished.code).toBe(0);
  return measured(results.cells[0]);
}

const cpuPerTransaction = (trial: MeasuredTrial) => {
  const cost = trial.steady!.serverCost!;
  return (cost.cpuUserUs + cost.cpuSystemUs) / trial.steady!.transactions;
};

// The server's CPU is read from outside: under Wine 8 (no QueryProcessCycleTime) its GetProcessTimes read 0 over the phase.
onlyOn('outside-wine', "Wine 8's GetProcessTimes read 0 for another process over the phase").it('--cpu-us 3000 costs the server at least half that in CPU per transaction over the measured phase, and at least that much more than none', async () => {
  const burning = await trialWith(['--cpu-us', '3000']);
  const idle = await trialWith(['--cpu-us', '0']);
  // burnCpu does a fixed, calibrated amount of work: about 3 ms of CPU however often it is preempted.
  expect(cpuPerTransaction(burning)).toBeGreaterThanOrEqual(1500);
  // What a transaction costs without the knob depends on the machine; the knob's share does not.
  expect(cpuPerTransaction(burning) - cpuPerTransaction(idle)).toBeGreaterThanOrEqual(1500);
});

it('--store-latency-us 2000 makes every transaction take at least 2 ms', async () => {
  const slow = await trialWith(['--store-latency-us', '2000'], 30);
  expect(slow.script!.latency.minNs).toBeGreaterThanOrEqual(2_000_000);
  expect(slow.steady!.latency.minNs).toBeGreaterThanOrEqual(2_000_000);
});
