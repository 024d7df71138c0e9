// Two runs at once on one machine do not collide: each has its own socket paths.

import * as path from 'node:path';
import { killAll, pipebench, tempDir } from './support/spawned';
import { measured, QUICK, readResults } from './support/runs';

afterEach(killAll);

it('two runs side by side both finish with zero errors', async () => {
  const base = tempDir('two');
  const runs = ['a', 'b'].map((name) => pipebench(['run', ...QUICK, '--repeat', '1', '--strategy', 'sequential,node-net', '--clients', '3', '--transactions', '300', '--out', path.join(base, name)]));
  const finished = await Promise.all(runs.map((run) => run.finished));
  for (const [i, run] of finished.entries()) {
    expect(run.code).toBe(0);
    for (const cell of readResults(path.join(base, ['a', 'b'][i])).cells) expect(measured(cell).errors).toEqual({ unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 });
  }
});
