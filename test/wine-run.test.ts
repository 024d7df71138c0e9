// `pipebench run --wine`: a missing Wine is a clear usage error; with Wine set up
// (always under CI=true) the run happens under a Windows Node and says so.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { measured, QUICK, readResults, tempOut } from './support/runs';
import { killAll, onlyOn, pipebench, tempDir, windowsHostProblem } from './support/spawned';

afterEach(killAll);

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

const linux = onlyOn('linux', 'Wine runs the Windows node from Linux');

onlyOn('windows', '--wine is refused on Windows only').it('refuses --wine on Windows, which runs the Win32 strategies itself (exit 2)', async () => {
  const run = await pipebench(['run', '--wine', '--strategy', 'node-net']).finished;
  expect(run.code).toBe(2);
  expect(oneLine(run.stderr)).toBe('pipebench: --wine runs the Windows build under Wine on Linux; this is Windows already');
});

linux.it('says what is missing when the Wine asked for is not there (exit 2)', async () => {
  const run = await pipebench(['run', '--wine', '--strategy', 'node-net'], { env: { ...process.env, WINE: '/nonexistent/wine' } }).finished;
  expect(run.code).toBe(2);
  expect(oneLine(run.stderr)).toBe('pipebench: --wine: WINE=/nonexistent/wine does not exist');
});

linux.it('says what is missing when the Windows Node is not set up (exit 2)', async () => {
  // Two empty files stand in for wine and the wineserver beside it, so the check goes on to the Windows node.
  const fake = tempDir('fake-wine');
  for (const name of ['wine', 'wineserver']) fs.writeFileSync(path.join(fake, name), '');
  const run = await pipebench(['run', '--wine'], { env: { ...process.env, WINE: path.join(fake, 'wine'), PIPEBENCH_WINE_DEPS: path.join(fake, 'no-such-deps') } }).finished;
  expect(run.code).toBe(2);
  expect(oneLine(run.stderr)).toMatch(/--wine needs a Windows Node at .*; set it up with: bash \.ci\/setup-wine\.sh/);
});

// Without Wine the run is skipped silently (test/support/global-setup.ts says so once
// for the whole run); under CI=true it fails instead.
const wineProblem = linux.runs ? windowsHostProblem() : null;
const withWine = wineProblem && process.env.CI !== 'true' ? it.skip : linux.it;

withWine('runs the Win32 strategies under a Windows Node and labels the results Wine', async () => {
  if (wineProblem) throw new Error(`Wine is required under CI=true: ${wineProblem}`);
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
