// results.json is rewritten after every trial: a harness killed outright (SIGKILL:
// no handler runs) leaves the trials that finished on disk, readable; and its
// children, orphaned, end on their own.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunResults } from '../harness/schema/results';
import { childrenOfHarness, killAll, pipebench, waitFor } from './support/spawned';
import { QUICK, tempOut } from './support/runs';

afterEach(killAll);

it('SIGKILL after the first trial leaves that trial in a results.json that parses', async () => {
  const out = tempOut('crash');
  const run = pipebench(['run', ...QUICK, '--repeat', '1', '--strategy', 'node-net,sequential', '--clients', '1,2', '--out', out]);
  const harnessPid = run.child.pid!;
  const trialsOnDisk = () => {
    try {
      const results = readRunResults(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')), '');
      return results.cells.reduce((sum, cell) => sum + cell.trials.length, 0);
    } catch {
      return 0; // not written yet (each write replaces the file atomically, so never half written)
    }
  };
  await waitFor(() => trialsOnDisk() >= 1, 60000, () => 'no trial reached results.json', run.finished);
  run.child.kill('SIGKILL');
  await run.finished;
  const results = readRunResults(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')), '');
  expect(results.status).toBe('running');
  expect(results.cells.length).toBeGreaterThanOrEqual(1);
  const [first] = results.cells;
  expect(`${first.strategy}/${first.clients}`).toBe('node-net/1');
  expect(first.trials[0].outcome).toBe('measured');
  expect(first.summary!.steady!.throughputTps.mean).toBeGreaterThan(0);
  // Orphaned servers, clients and probes notice the harness is gone and end.
  await waitFor(() => childrenOfHarness(harnessPid).length === 0, 15000, () => `orphans still running: ${childrenOfHarness(harnessPid).join(', ')}`);
});
