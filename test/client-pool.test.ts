// The run keeps its client processes from trial to trial (harness/run/fleet.ts):
// the same processes serve the next trial, a client that died between trials is
// replaced, the warm-up before the first trial runs them all, unrecorded, and
// nothing is left running when the runner closes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { processTrialRunner, TrialPlan, TrialRunner } from '../harness/run/cell';
import { defaultsOf, MEASURE_KNOBS, SERVER_KNOBS, TIMEOUT_KNOBS, WORKLOAD_KNOBS } from '../contract/knobs';
import type { RunOptions } from '../harness/options';
import { RunOutput } from '../harness/output';
import { reapAll } from '../harness/processes/processes';
import { strategy } from '../strategies/catalog';
import { address, childrenOfHarness, killAll, onlyOn, spawnTracked, SUPPORT, waitFor } from './support/spawned';
import { tempOut } from './support/runs';
import type { MeasuredTrial, Trial } from '../harness/schema/results';

let runner: TrialRunner | null = null;
afterEach(async () => {
  runner?.close();
  reapAll();
  await killAll();
});

function options(clientWarmupMs: number): RunOptions {
  return {
    bail: false,
    repeat: 1,
    precision: null,
    maxTimeMs: 90_000,
    seed: 1,
    idleProbeMs: 0,
    strategies: ['node-net'],
    clients: [2, 3],
    external: null,
    server: defaultsOf(SERVER_KNOBS),
    workload: { ...defaultsOf(WORKLOAD_KNOBS), transactions: 21 }, // 7 cycles of ADD, RETRIEVE, DELETE
    measurement: { ...defaultsOf(MEASURE_KNOBS), windowMs: 50, measureWindows: 2, warmupMinMs: 0, warmupMinTransactions: 0, steadyWindows: 2, steadyTolerance: 0.99, clientWarmupMs },
    timeouts: defaultsOf(TIMEOUT_KNOBS),
    commandLine: '(an options object)',
    outDir: tempOut('pool'),
  };
}

const plan = (clients: number, trial: number): TrialPlan => ({ target: { kind: 'strategy', name: 'node-net', mechanism: strategy('node-net').mechanism }, clients, trial, runPosition: trial });
function ok(trial: Trial): MeasuredTrial {
  if (trial.outcome !== 'measured') throw new Error(`trial ${trial.trial} failed: ${trial.reason}`);
  return trial;
}
const clientPids = () => childrenOfHarness(process.pid, 'client').sort((a, b) => a - b);

const linux = onlyOn('linux', "finds the harness's client processes by their command lines in /proc");

linux.describe('the client pool', () => {
  it('serves trial after trial with the same processes, replaces a dead one, and leaves nothing running', async () => {
    const o = options(0);
    runner = processTrialRunner(o, new RunOutput(o.outDir), () => {});
    const first = ok(await runner.run(plan(2, 1)));
    expect(first.errors.failedClients).toBe(0);
    const pool = clientPids();
    expect(pool).toHaveLength(2);

    const second = ok(await runner.run(plan(2, 2)));
    expect(second.errors.failedClients).toBe(0);
    expect(second.script!.clients.map((c) => c.transactions)).toEqual([21, 21]);
    expect(clientPids()).toEqual(pool);
    // The host's pace is read between trials: the reading after one trial is the next one's before.
    expect(first.hostWakeupUs).toBeGreaterThan(0);
    expect(first.hostWakeupAfterUs).toBeGreaterThan(0);
    expect(second.hostWakeupUs).toBe(first.hostWakeupAfterUs);

    // A client killed between trials is replaced when the next trial needs it; a third is added.
    process.kill(pool[0], 'SIGKILL');
    await waitFor(() => clientPids().length === 1, 10_000, () => `the killed client is still running: ${clientPids()}`);
    const third = ok(await runner.run(plan(3, 3)));
    expect(third.errors.failedClients).toBe(0);
    expect(third.script!.clients.map((c) => c.transactions)).toEqual([21, 21, 21]);
    const grown = clientPids();
    expect(grown).toHaveLength(3);
    expect(grown).toContain(pool[1]);
    expect(grown).not.toContain(pool[0]);

    runner.close();
    await waitFor(() => clientPids().length === 0, 10_000, () => `clients still running after close: ${clientPids()}`);
  });

  it('warms every client of the largest cell up before the first trial, unrecorded, and keeps every one of them', async () => {
    // node-net is preferred over an earlier concurrent strategy: it starts fastest. Three measured windows, not the
    // knob's least: a client ends on a measured phase of other than the windows it was started for.
    const base = options(300);
    const o: RunOptions = { ...base, strategies: ['thread-per-client', 'node-net'], measurement: { ...base.measurement, measureWindows: 3 } };
    const lines: string[] = [];
    const output = new RunOutput(o.outDir);
    runner = processTrialRunner(o, output, (line) => lines.push(line));
    expect(await runner.prepare()).toEqual([]);
    const trial = ok(await runner.run(plan(2, 1)));
    expect(trial.trial).toBe(1);
    expect(trial.errors.failedClients).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^client warm-up: 3 client processes against node-net for \d+\.\d s, \d+-\d+ transactions each \(not recorded; the clients are kept from trial to trial\)$/);
    // The warm-up's third client stays in the pool for the cells of 3.
    expect(clientPids()).toHaveLength(3);
    await runner.run(plan(2, 2));
    expect(lines).toHaveLength(1); // the trials warm nothing up
    // Each client process was started once: none of the warm-up's was replaced (each process has its own log).
    const clientLogs = fs.readdirSync(path.join(output.dir, 'logs')).filter((name) => /^client-\d+-process-\d+\.log$/.test(name));
    expect(clientLogs.sort()).toEqual(['client-0-process-1.log', 'client-1-process-2.log', 'client-2-process-3.log']);
  });

  it('a warm-up that loses its clients says so in a run warning, with the reason', async () => {
    // The lying server cuts every connection's 50th answer short: both clients end within the warm-up.
    const at = address('liar');
    const liar = spawnTracked(process.execPath, [path.join(SUPPORT, 'lying-server.js'), 'short-reply', at]);
    await waitFor(() => liar.stdout().includes(`ready ${at}`), 30000, () => `the lying server did not start: ${liar.stderr()}`, liar.finished);
    const o: RunOptions = { ...options(300), strategies: [], clients: [2], external: { address: at, label: 'liar', pid: null } };
    const lines: string[] = [];
    runner = processTrialRunner(o, new RunOutput(o.outDir), (line) => lines.push(line));
    const warnings = await runner.prepare();
    expect(warnings).toEqual([{ kind: 'client-warmup-failed', server: 'liar', clients: 2, failedClients: 2, reason: expect.any(String) }]);
    const [warning] = warnings;
    if (warning.kind !== 'client-warmup-failed') throw new Error('not a client warm-up warning');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(warning.reason);
  });
});
