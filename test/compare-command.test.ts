// `pipebench compare` on the command line: the exit code of --fail-on-regression,
// the markdown beside the new run, and a clear refusal of an unreadable file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { killAll, pipebench } from './support/spawned';
import { twoCellRun } from './support/synthetic-trials';
import { tempOut } from './support/runs';

afterEach(killAll);

const run = twoCellRun;

const base = run([1000, 1010, 990], [500, 505, 495]);

describe('the command', () => {
  function files(next: ReturnType<typeof run>): [string, string] {
    const dir = path.dirname(tempOut('compare'));
    fs.mkdirSync(path.join(dir, 'base'));
    fs.mkdirSync(path.join(dir, 'new'));
    fs.writeFileSync(path.join(dir, 'base', 'results.json'), JSON.stringify(base));
    fs.writeFileSync(path.join(dir, 'new', 'results.json'), JSON.stringify(next));
    return [path.join(dir, 'base'), path.join(dir, 'new')];
  }

  it('exits 1 with --fail-on-regression below the interval\'s bound, 0 beyond it, and writes markdown beside the new run', async () => {
    const [a, b] = files(run([800, 808, 792], [500, 505, 495]));
    const failing = await pipebench(['compare', a, b, '--fail-on-regression', '10']).finished;
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/iocp x 4 .*-20\.0% \[/);
    expect(failing.stdout).toMatch(/node-net x 4 .* ~ /);
    expect(failing.stderr).toMatch(/regression: iocp x 4 throughput -20\.0%, interval bound -18\.3% \(beyond 10%\)/);
    expect(fs.readFileSync(path.join(b, 'compare.md'), 'utf8')).toMatch(/\| iocp x 4 \|/);
    expect((await pipebench(['compare', a, b, '--fail-on-regression', '30']).finished).code).toBe(0);
    expect((await pipebench(['compare', a, b]).finished).code).toBe(0);
  });

  it('refuses a file that is not a version 3 results file, in one line', async () => {
    const [a] = files(base);
    const old = path.join(path.dirname(a), 'old.json');
    fs.writeFileSync(old, JSON.stringify({ schemaVersion: 1, cells: [] }));
    const refused = await pipebench(['compare', old, a]).finished;
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(`pipebench: ${old}: results schema version 1; this pipebench reads version 3`);
  });
});
