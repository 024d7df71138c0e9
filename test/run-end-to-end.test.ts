// `pipebench run` end to end: real servers, real client processes, results on disk.

import * as fs from 'node:fs';
import * as os from 'node:os';
import { availableStrategies } from '../strategies/catalog';
import { scriptLength } from '../clients/workloads';
import { killAll, childrenOfHarness } from './support/spawned';
import { measured, quickRun } from './support/runs';

afterEach(killAll);

describe('pipebench run', () => {
  it('runs every strategy with concurrent clients, zero errors, and writes results.json', async () => {
    const { spawned, finished, results } = await quickRun(['--strategy', 'all', '--clients', '1,4', '--transactions', '150']);
    expect(finished.stderr).not.toMatch(/FAILED/);
    expect(finished.code).toBe(0);
    expect(results.status).toBe('complete');
    expect(results.environment.cpuCount).toBeGreaterThan(0);
    expect(results.parameters.commandLine).toContain('--clients 1,4');
    expect(results.cells.map((c) => `${c.strategy}/${c.clients}`)).toEqual(availableStrategies().flatMap((s) => [`${s}/1`, `${s}/4`]));
    for (const cell of results.cells) {
      const trial = measured(cell);
      expect(trial.errors).toEqual({ unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 });
      // 150 transactions: 50 whole ADD, RETRIEVE, DELETE cycles, nothing left to drain.
      expect(trial.script!.transactions).toBe(cell.clients * 150);
      expect(trial.script!.clients.every((c) => c.doneMs !== null && c.doneMs > 0)).toBe(true);
      expect(trial.clientDetails).toHaveLength(cell.clients);
      expect(trial.store.countAfter).toBe(trial.store.countBefore);
      const steady = trial.steady!;
      expect(steady.windows).toHaveLength(2);
      expect(steady.transactions).toBeGreaterThan(0);
      expect(steady.latency.p50Ns).toBeGreaterThan(0);
      expect(steady.latency.p99Ns).toBeGreaterThanOrEqual(steady.latency.p50Ns);
      expect(steady.perClient.reduce((a, b) => a + b, 0)).toBe(steady.transactions);
      expect(steady.fairness).toBeGreaterThan(0);
      expect(steady.fairness).toBeLessThanOrEqual(1);
      expect(cell.summary!.measuredTrials).toBe(1);
    }
    expect(finished.stdout).toMatch(/strategy\s+clients\s+tx\/s/);
    // Nothing of the run is left: no processes, no socket files.
    expect(childrenOfHarness(spawned.child.pid!)).toEqual([]);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`pipebench-${spawned.child.pid}-`))).toEqual([]);
  });

  it('runs the batch workload and reports its script length', async () => {
    const { finished, results } = await quickRun(['--strategy', 'node-net', '--clients', '2', '--workload', 'batch', '--batches', '2', '--batch-size', '50']);
    expect(finished.code).toBe(0);
    const trial = measured(results.cells[0]);
    expect(scriptLength(results.parameters.workload)).toBe(200);
    expect(trial.script!.transactionsPerClient).toBe(200);
    expect(trial.script!.transactions).toBe(400);
  });

  it('--mode steady runs no script and --mode script no measured phase', async () => {
    const steadyOnly = await quickRun(['--strategy', 'node-net', '--clients', '2', '--mode', 'steady']);
    expect(steadyOnly.finished.code).toBe(0);
    expect(measured(steadyOnly.results.cells[0]).script).toBeNull();
    expect(measured(steadyOnly.results.cells[0]).steady).not.toBeNull();
    const scriptOnly = await quickRun(['--strategy', 'node-net', '--clients', '2', '--mode', 'script', '--transactions', '150']);
    expect(scriptOnly.finished.code).toBe(0);
    expect(measured(scriptOnly.results.cells[0]).steady).toBeNull();
    expect(measured(scriptOnly.results.cells[0]).script!.transactions).toBe(300);
  });
});
