// Ctrl-C or SIGTERM during a run: every child gone,
// finished cells on disk, socket files removed, exit code 130 or 143.

import * as fs from 'node:fs';
import * as os from 'node:os';
import { childrenOfHarness, killAll, onlyOn, pipebench, waitFor } from './support/spawned';
import { readResults, tempOut } from './support/runs';

const signals = onlyOn('posix', "Ctrl-C and SIGTERM reach the harness's handler only on POSIX (Windows' kill() is TerminateProcess)");

afterEach(killAll);

signals.describe('interrupting a run', () => {
  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])('%s stops the run, reaps every child and leaves results.json', async (signal, exitCode) => {
    const out = tempOut('int');
    const run = pipebench(['run', '--strategy', 'thread-per-client', '--clients', '3', '--transactions', '1000000', '--warmup-max-ms', '60000', '--out', out]);
    const harnessPid = run.child.pid!;
    // A server and three clients, mid-cell.
    await waitFor(() => childrenOfHarness(harnessPid).length >= 4, 30000, () => 'the cell never started its clients', run.finished);
    run.child.kill(signal);
    const finished = await run.finished;
    expect(finished.code).toBe(exitCode);
    await waitFor(() => childrenOfHarness(harnessPid).length === 0, 15000, () => `children outlived the harness: ${childrenOfHarness(harnessPid).join(', ')}`);
    const results = readResults(out);
    expect(results.status).toBe('interrupted');
    expect(results.cells).toEqual([]); // the cell under way is not reported as if it had finished
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`pipebench-${harnessPid}-`))).toEqual([]);
    expect(finished.stderr).toContain(`${signal}: stopped`);
  });
});
