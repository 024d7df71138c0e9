// `pipebench run --wine`: a missing Wine is a clear usage error; with Wine set up
// (always under CI=true) the run happens under a Windows Node and says so.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measured, QUICK, readResults, tempOut } from './support/runs';
import { locateWine } from '../harness/commands/wine';
import { killAll, pipebench } from './support/spawned';

afterEach(killAll);

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

it('says what is missing when the Wine asked for is not there (exit 2)', async () => {
  const run = await pipebench(['run', '--wine', '--strategy', 'node-net'], { env: { ...process.env, WINE: '/nonexistent/wine' } }).finished;
  expect(run.code).toBe(2);
  expect(oneLine(run.stderr)).toBe('pipebench: --wine: WINE=/nonexistent/wine does not exist');
});

it('says what is missing when the Windows Node is not set up (exit 2)', async () => {
  // Any existing file stands in for Wine here, so the check goes on to the Windows node.
  const run = await pipebench(['run', '--wine'], { env: { ...process.env, WINE: process.execPath, PIPEBENCH_WINE_DEPS: path.join(os.tmpdir(), 'pipebench-no-such-deps') } }).finished;
  expect(run.code).toBe(2);
  expect(oneLine(run.stderr)).toMatch(/--wine needs a Windows Node at .*; set it up with: bash \.ci\/setup-wine\.sh/);
});

let wineProblem: string | null = null;
try {
  locateWine();
} catch (error) {
  wineProblem = (error as Error).message;
}
if (wineProblem && process.env.CI === 'true') throw new Error(`Wine is required under CI=true: ${wineProblem}`);
if (wineProblem) console.log(`wine-run: the --wine run is skipped: ${wineProblem}`);

(wineProblem ? it.skip : it)('runs the Win32 strategies under a Windows Node and labels the results Wine', async () => {
  const out = tempOut('wine-run');
  const run = await pipebench(['run', '--wine', ...QUICK, '--repeat', '1', '--strategy', 'overlapped', '--clients', '2', '--transactions', '21', '--out', out]).finished;
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/overlapped\s+2/);
  const results = readResults(out);
  expect(results.environment.os).toBe('win32');
  expect(results.environment.wine).toMatch(/^\d+\.\d+/);
  expect(measured(results.cells[0]).script!.transactions).toBe(42); // 7 whole ADD, RETRIEVE, DELETE cycles a client
  expect(results.cells[0].mechanism).toMatch(/WaitForMultipleObjects/);
  // The Linux host renders the report after the Windows node: the PNGs too, and no warning about them.
  expect(fs.readdirSync(out).filter((name) => name.endsWith('.png')).length).toBeGreaterThanOrEqual(5);
  expect(run.stderr).not.toMatch(/PNG charts not written/);
}, 180000);
