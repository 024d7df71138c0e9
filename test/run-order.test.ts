// The run, with a mock trial runner (no process is started): trials interleaved,
// results.json rewritten after every trial, --bail, and progress with an ETA.

import type { TrialPlan, TrialRunner } from '../harness/run/cell';
import { defaultsOf, MEASURE_KNOBS, SERVER_KNOBS, TIMEOUT_KNOBS, WORKLOAD_KNOBS } from '../contract/knobs';
import type { RunOptions } from '../harness/options';
import type { RunOutput } from '../harness/output';
import type { RunResults, Trial, Warning } from '../harness/schema/results';
import { runBenchmark } from '../harness/run/run';
import { failedTrial, trial } from './support/synthetic-trials';

function options(overrides: Partial<RunOptions>): RunOptions {
  return {
    bail: false,
    repeat: 2,
    precision: null,
    maxTimeMs: 3_600_000,
    seed: 11,
    idleProbeMs: 0,
    strategies: ['sequential', 'node-net'],
    clients: [1, 4],
    external: null,
    server: defaultsOf(SERVER_KNOBS),
    workload: defaultsOf(WORKLOAD_KNOBS),
    measurement: defaultsOf(MEASURE_KNOBS),
    timeouts: defaultsOf(TIMEOUT_KNOBS),
    commandLine: 'pipebench run',
    outDir: '/nowhere',
    ...overrides,
  };
}

class MemoryOutput {
  readonly written: RunResults[] = [];
  readonly resultsPath = '/nowhere/results.json';
  writeResults(results: RunResults): void {
    this.written.push(JSON.parse(JSON.stringify(results)));
  }
  openLog(): never {
    throw new Error('the mock runner opens no log');
  }
}

/** `prepared`: what the runner's preparation (the client warm-up) reports. prepares and closes: the trials run before each call. */
function mockRunner(outcome: (plan: TrialPlan) => Trial, prepared: Warning[] = []): TrialRunner & { plans: TrialPlan[]; prepares: number[]; closes: number[] } {
  const plans: TrialPlan[] = [];
  const prepares: number[] = [];
  const closes: number[] = [];
  return {
    plans,
    prepares,
    closes,
    prepare: async () => (prepares.push(plans.length), prepared),
    run: async (plan) => (plans.push(plan), outcome(plan)),
    close: () => closes.push(plans.length),
  };
}

const healthy = (plan: TrialPlan): Trial => ({ ...trial({ trial: plan.trial, throughputTps: 1000 + plan.runPosition, clients: plan.clients }), runPosition: plan.runPosition });

it('runs every cell `repeat` times, each round a permutation, and rewrites results.json after every trial', async () => {
  const output = new MemoryOutput();
  const runner = mockRunner(healthy);
  const lines: string[] = [];
  // The run's clock from this test's start (the default counts from the process's: this one has run other tests).
  const started = performance.now();
  const results = await runBenchmark(options({}), runner, output as unknown as RunOutput, { line: (text) => lines.push(text) }, () => performance.now() - started);
  const cells = runner.plans.map((p) => `${p.target.kind === 'strategy' ? p.target.name : ''}/${p.clients}`);
  expect(runner.plans).toHaveLength(8);
  for (const round of [cells.slice(0, 4), cells.slice(4)]) expect([...round].sort()).toEqual(['node-net/1', 'node-net/4', 'sequential/1', 'sequential/4']);
  expect(runner.plans.map((p) => p.runPosition)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(runner.plans.map((p) => p.trial)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
  expect(runner.prepares).toEqual([0]); // the runner readies its kept processes once, before the first trial
  expect(runner.closes).toEqual([8]); // and ends them once, after the last
  // The start, after the (skipped) idle probe, after the runner's preparation, after each of the 8 trials, and the end.
  expect(output.written).toHaveLength(12);
  for (let k = 1; k <= 8; k++) {
    const afterTrial = output.written[2 + k];
    expect(afterTrial.cells.reduce((sum, cell) => sum + cell.trials.length, 0)).toBe(k);
  }
  expect(results.status).toBe('complete');
  expect(results.cells.map((c) => `${c.strategy}/${c.clients}`)).toEqual(['sequential/1', 'sequential/4', 'node-net/1', 'node-net/4']);
  for (const cell of results.cells) expect(cell.trials.map((t) => t.trial)).toEqual([1, 2]);
  expect(lines.filter((l) => l.startsWith('['))).toHaveLength(8);
  expect(lines.find((l) => l.startsWith('[1/8]'))).toMatch(/trial 1 of 2: .*tx\/s.*ETA \d+s\)$/);
  expect(lines.find((l) => l.startsWith('[8/8]'))).not.toMatch(/ETA/);
});

it('the same seed runs the same order; --bail stops at the first failed trial', async () => {
  const first = mockRunner(healthy);
  const second = mockRunner(healthy);
  const quiet = { line: () => {} };
  await runBenchmark(options({}), first, new MemoryOutput() as unknown as RunOutput, quiet);
  await runBenchmark(options({}), second, new MemoryOutput() as unknown as RunOutput, quiet);
  expect(second.plans).toEqual(first.plans);

  const failing = mockRunner((plan) => (plan.runPosition === 2 ? failedTrial(plan.trial, 'server not ready within 20000 ms') : healthy(plan)));
  const results = await runBenchmark(options({ bail: true }), failing, new MemoryOutput() as unknown as RunOutput, quiet);
  expect(failing.plans).toHaveLength(2);
  expect(results.status).toBe('bailed');
});

it("records what the runner's preparation met as a run warning, on disk before the first trial", async () => {
  const lost: Warning = { kind: 'client-warmup-failed', server: 'node-net', clients: 4, failedClients: 1, reason: 'server closed the connection during read' };
  const output = new MemoryOutput();
  const results = await runBenchmark(options({}), mockRunner(healthy, [lost]), output as unknown as RunOutput, { line: () => {} });
  // (Without an idle probe the load average may add a busy-machine warning: this machine's, not the test's.)
  const warmups = (r: RunResults) => r.warnings.filter((w) => w.kind !== 'busy-machine');
  expect(warmups(results)).toEqual([lost]);
  // The third write (after the start and the idle probe) holds it, and no trial yet.
  expect(warmups(output.written[2])).toEqual([lost]);
  expect(output.written[1].warnings).not.toContainEqual(lost);
  expect(output.written[2].cells).toEqual([]);
});
