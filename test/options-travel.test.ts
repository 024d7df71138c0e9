// Options are parsed once and travel whole: a run started from an options object
// (no command line) hands the server knobs to the server and the workload to every
// client, in one start message each.

import { processTrialRunner } from '../harness/run/cell';
import { defaultsOf, MEASURE_KNOBS, SERVER_KNOBS, TIMEOUT_KNOBS, WORKLOAD_KNOBS } from '../contract/knobs';
import type { RunOptions } from '../harness/options';
import { RunOutput } from '../harness/output';
import { runBenchmark } from '../harness/run/run';
import { killAll } from './support/spawned';
import { measured, tempOut } from './support/runs';

afterEach(killAll);

it('--store-latency-us reaches the server and the workload reaches every client', async () => {
  const options: RunOptions = {
    bail: false,
    repeat: 1,
    precision: 0.05,
    maxTimeMs: 90_000,
    seed: 1,
    idleProbeMs: 0,
    strategies: ['thread-per-client'],
    clients: [3],
    external: null,
    server: { ...defaultsOf(SERVER_KNOBS), storeLatencyUs: 1500 },
    workload: { ...defaultsOf(WORKLOAD_KNOBS), transactions: 12 },
    measurement: { ...defaultsOf(MEASURE_KNOBS), windowMs: 50, measureWindows: 2, warmupMinMs: 0, steadyWindows: 2, steadyTolerance: 0.99 },
    timeouts: defaultsOf(TIMEOUT_KNOBS),
    commandLine: '(an options object)',
    outDir: tempOut('travel'),
  };
  const output = new RunOutput(options.outDir);
  // The budget from this test's start, not the process's (it has run other tests).
  const started = performance.now();
  const results = await runBenchmark(options, processTrialRunner(options, output, () => {}), output, { line: () => {} }, () => performance.now() - started);
  const trial = measured(results.cells[0]);
  expect(results.parameters.server.storeLatencyUs).toBe(1500);
  // The server: every transaction blocked 1.5 ms in its store.
  expect(trial.script!.latency.minNs).toBeGreaterThanOrEqual(1_500_000);
  expect(trial.steady!.latency.minNs).toBeGreaterThanOrEqual(1_500_000);
  // Every client: a script of exactly 12 transactions.
  expect(trial.script!.clients.map((c) => c.transactions)).toEqual([12, 12, 12]);
});
