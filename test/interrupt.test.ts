// Ctrl-C or SIGTERM during a run: every child gone within a couple of seconds,
// finished cells on disk, socket files removed, exit code 130 or 143.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killAll, pipebench, childrenOfHarness, waitFor } from './support/spawned';
import { readResults } from './support/runs';

afterEach(killAll);

it.each<[NodeJS.Signals, number]>([
  ['SIGINT', 130],
  ['SIGTERM', 143],
])('%s stops the run, reaps every child and leaves results.json', async (signal, exitCode) => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-int-')), 'out');
  const run = pipebench(['run', '--strategy', 'thread-per-client', '--clients', '3', '--transactions', '1000000', '--warmup-max-ms', '60000', '--out', out]);
  const harnessPid = run.child.pid!;
  // A server and three clients, mid-cell.
  await waitFor(() => childrenOfHarness(harnessPid).length >= 4, 30000, () => 'the cell never started its clients', run.finished);
  run.child.kill(signal);
  const stoppedAt = Date.now();
  const finished = await run.finished;
  expect(finished.code).toBe(exitCode);
  await waitFor(() => childrenOfHarness(harnessPid).length === 0, 2000, () => 'children outlived the harness by 2 s');
  expect(Date.now() - stoppedAt).toBeLessThan(5000);
  const results = readResults(out);
  expect(results.status).toBe('interrupted');
  expect(results.cells).toEqual([]); // the cell under way is not reported as if it had finished
  expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`pipebench-${harnessPid}-`))).toEqual([]);
  expect(finished.stderr).toContain(`${signal}: stopped`);
});
