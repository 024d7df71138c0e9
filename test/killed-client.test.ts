// A client killed mid-run costs only itself: the server keeps serving the others,
// the cell shows the failure, and no process is left behind.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResults } from '../harness/results';
import { killAll, pipebench, processesMentioning, waitFor } from './support/spawned';

afterEach(killAll);

it('kills one client mid-run; the others finish, the failure is reported, nothing is left running', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-kill-')), 'out');
  const run = pipebench(['run', '--strategy', 'thread-per-client,node-net', '--clients', '3', '--transactions', '20000', '--out', out]);
  const harnessPid = run.child.pid!;
  const clientsOfHarness = () => processesMentioning(`pipebench-${harnessPid}-`).filter((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[2] === 'client');
  await waitFor(() => clientsOfHarness().length === 3, 20000, () => 'the first cell never started its clients', run.finished);
  await new Promise((r) => setTimeout(r, 400)); // let the script get going
  const [victim] = clientsOfHarness();
  process.kill(victim, 'SIGKILL');
  const finished = await run.finished;
  expect(finished.code).toBe(1); // a cell had a failed client
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  expect(results.status).toBe('complete');
  expect(results.cells).toHaveLength(2); // the run went on to the next cell
  const [hit, next] = results.cells;
  if (hit.outcome !== 'measured') throw new Error(`cell failed: ${hit.reason}`);
  expect(hit.errors.failedClients).toBe(1);
  const dead = hit.clientDetails.filter((c) => c.fatal !== null);
  expect(dead).toHaveLength(1);
  expect(dead[0].fatal).toMatch(/SIGKILL/);
  expect(hit.errors.missingTransactions).toBeGreaterThan(0);
  for (const survivor of hit.clientDetails.filter((c) => c.fatal === null)) {
    expect(survivor.transactions).toBe(20000 + 1 /* the closing DELETE of a cut cycle */ - (20000 % 3 === 0 ? 1 : 0));
    expect(survivor.errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
  }
  expect(next.outcome).toBe('measured');
  if (next.outcome === 'measured') expect(next.errors.failedClients).toBe(0);
  expect(finished.stderr).toMatch(/1 cell\(s\) had errors/);
  expect(processesMentioning(`pipebench-${harnessPid}-`)).toEqual([]);
});
