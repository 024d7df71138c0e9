// A client killed mid-run costs only itself: the server keeps serving the others,
// the cell shows the failure, and no process is left behind.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResults } from '../harness/results';
import { killAll, pipebench, childrenOfHarness, waitFor } from './support/spawned';

afterEach(killAll);

it('kills two clients at random points mid-run; the others finish, the failures are reported, nothing is left running', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-kill-')), 'out');
  const run = pipebench(['run', '--strategy', 'thread-per-client,node-net', '--clients', '4', '--transactions', '60000', '--out', out]);
  const harnessPid = run.child.pid!;
  const clientsOfHarness = () => childrenOfHarness(harnessPid, 'client');
  await waitFor(() => clientsOfHarness().length === 4, 20000, () => 'the first cell never started its clients', run.finished);
  const victims = clientsOfHarness().slice(0, 2);
  const delaysMs = victims.map(() => 200 + Math.floor(Math.random() * 1000));
  console.log(`killed-client: SIGKILL after ${delaysMs.join(' and ')} ms`);
  await Promise.all(victims.map((pid, i) => new Promise((r) => setTimeout(r, delaysMs[i])).then(() => process.kill(pid, 'SIGKILL'))));
  const finished = await run.finished;
  expect(finished.code).toBe(1); // a cell had a failed client
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  expect(results.status).toBe('complete');
  expect(results.cells).toHaveLength(2); // the run went on to the next cell
  const [hit, next] = results.cells;
  if (hit.outcome !== 'measured') throw new Error(`cell failed: ${hit.reason}`);
  expect(hit.errors.failedClients).toBe(2);
  const dead = hit.clientDetails.filter((c) => c.fatal !== null);
  expect(dead).toHaveLength(2);
  for (const client of dead) expect(client.fatal).toMatch(/SIGKILL/);
  expect(hit.errors.missingTransactions).toBeGreaterThan(0);
  for (const survivor of hit.clientDetails.filter((c) => c.fatal === null)) {
    expect(survivor.transactions).toBe(60000); // a whole number of ADD, RETRIEVE, DELETE cycles
    expect(survivor.errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
  }
  expect(next.outcome).toBe('measured');
  if (next.outcome === 'measured') expect(next.errors.failedClients).toBe(0);
  expect(finished.stderr).toMatch(/1 cell\(s\) had errors/);
  expect(childrenOfHarness(harnessPid)).toEqual([]);
});
