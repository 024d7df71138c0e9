// `pipebench run` end to end: real servers, real client processes, results on disk.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { availableStrategies } from '../strategies/catalog';
import type { RunResults } from '../harness/results';
import { killAll, pipebench, childrenOfHarness } from './support/spawned';

afterEach(killAll);

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pb-run-'));
}

describe('pipebench run', () => {
  it('runs every strategy with concurrent clients, zero errors, and writes results.json', async () => {
    const out = path.join(tempDir(), 'out');
    const spawned = pipebench(['run', '--strategy', 'all', '--clients', '1,4', '--transactions', '150', '--out', out]);
    const run = await spawned.finished;
    expect(run.stderr).not.toMatch(/FAILED/);
    expect(run.code).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
    expect(results.schemaVersion).toBe(1);
    expect(results.status).toBe('complete');
    expect(results.environment.cpuCount).toBeGreaterThan(0);
    expect(results.parameters.commandLine).toContain('--clients 1,4');
    expect(results.cells.map((c) => `${c.strategy}/${c.clients}`)).toEqual(availableStrategies().flatMap((s) => [`${s}/1`, `${s}/4`]));
    for (const cell of results.cells) {
      if (cell.outcome !== 'measured') throw new Error(`${cell.strategy} x ${cell.clients} failed: ${cell.reason}`);
      expect(cell.errors).toEqual({ unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 });
      expect(cell.transactions).toBe(cell.clients * 150);
      expect(cell.clientDetails).toHaveLength(cell.clients);
      expect(cell.store.countAfter).toBe(cell.store.countBefore);
      expect(cell.latency.p50Ns).toBeGreaterThan(0);
      expect(cell.latency.p99Ns).toBeGreaterThanOrEqual(cell.latency.p50Ns);
      expect(cell.throughputTps).toBeGreaterThan(0);
      expect(cell.fairness).toBeGreaterThan(0);
      expect(cell.fairness).toBeLessThanOrEqual(1);
    }
    expect(run.stdout).toMatch(/strategy\s+clients\s+tps/);
    // Nothing of the run is left: no processes, no socket files.
    expect(childrenOfHarness(spawned.child.pid!)).toEqual([]);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`pipebench-${spawned.child.pid}-`))).toEqual([]);
  });

  it('runs the batch workload and reports its script length', async () => {
    const out = path.join(tempDir(), 'out');
    const run = await pipebench(['run', '--strategy', 'node-net', '--clients', '2', '--workload', 'batch', '--batches', '2', '--batch-size', '50', '--out', out]).finished;
    expect(run.code).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
    const [cell] = results.cells;
    expect(cell.outcome).toBe('measured');
    expect(cell.transactionsPerClient).toBe(200);
    if (cell.outcome === 'measured') expect(cell.transactions).toBe(400);
  });
});
