// Windows processes under Wine for the Win32 suites (the helpers of
// test/win32-wine.test.ts, shared): the Windows node runs with stdout and stderr
// going to a FILE (under Wine a pipe as stdout fails with EBADF), every process is
// tracked, and killEverything() ends them all and the wineserver, whatever happened.

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { locateWine, WineSetup, wineEnvironment } from '../../harness/commands/wine';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'bin', 'pipebench.js');
export const SUPPORT = path.join(ROOT, 'dist', 'test', 'support');

export interface WindowsProcess {
  child: ChildProcess;
  outPath: string;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * The Wine setup, or why there is none. Says why the suite is skipped (not on
 * Linux, or no setup outside CI); under CI=true a missing setup is a failing test.
 */
export function wineForSuite(suite: string): WineSetup | null {
  if (process.platform === 'win32') {
    console.log(`${suite}: skipped: this is Windows; the Win32 strategies run natively in the other suites`);
    return null;
  }
  try {
    return locateWine();
  } catch (error) {
    const problem = (error as Error).message;
    if (process.env.CI === 'true') {
      it('has Wine and the Windows node set up (CI=true)', () => {
        throw new Error(`Wine is not set up for the Win32 tests: ${problem}`);
      });
    } else {
      console.log(`${suite}: skipped: ${problem}`);
    }
    return null;
  }
}

export class WineProcesses {
  private readonly running = new Set<ChildProcess>();
  private readonly env: NodeJS.ProcessEnv;
  private serial = 0;
  workDir = '';

  constructor(private readonly setup: WineSetup) {
    this.env = wineEnvironment(setup);
  }

  /** A work folder and one wineserver for the whole suite (call in beforeAll). */
  begin(): void {
    this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wine-'));
    spawnSync(this.setup.wineserver, ['-p'], { env: this.env, stdio: 'ignore' });
  }

  /** Kills every process still running and the wineserver, and removes the work folder (call in afterAll). */
  end(): void {
    this.killEverything();
    if (this.workDir) fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  killEverything(): void {
    for (const child of this.running) child.kill('SIGKILL');
    this.running.clear();
    spawnSync(this.setup.wineserver, ['-k'], { env: this.env, stdio: 'ignore' });
  }

  /** Runs the Windows node under Wine with stdout and stderr going to a file. */
  windowsNode(args: string[], tag: string): WindowsProcess {
    const outPath = path.join(this.workDir, `${++this.serial}-${tag}.out`);
    const fd = fs.openSync(outPath, 'w');
    const child = spawn(this.setup.wine, [this.setup.nodeExe, ...args], { cwd: ROOT, env: this.env, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    this.running.add(child);
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        this.running.delete(child);
        resolve(code);
      });
    });
    return { child, outPath, output: () => fs.readFileSync(outPath, 'utf8'), exited };
  }

  pipeName(tag: string): string {
    return `\\\\.\\pipe\\pbwine-${process.pid}-${++this.serial}-${tag}`;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(what());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function exitWithin(process: WindowsProcess, timeoutMs: number, what: string): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not exit within ${timeoutMs} ms: ${process.output()}`)), timeoutMs)));
  try {
    return await Promise.race([process.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The last line of a finished process's output, parsed as JSON; throws with the output when it exited badly. */
export async function jsonResult<T>(process: WindowsProcess, timeoutMs: number, what: string): Promise<T> {
  const code = await exitWithin(process, timeoutMs, what);
  const line = process.output().trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${what} exited with ${code}: ${process.output()}`);
  return JSON.parse(line) as T;
}
