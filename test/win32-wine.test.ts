// The Win32 strategies as real Windows code: the Windows build of Node runs
// `pipebench serve` (kernel32 through koffi's Windows binary) under Wine, and
// Windows-side clients talk to it over Wine's named pipes. Set up by
// .ci/setup-wine.sh; without it the suite fails under CI=true and is skipped
// (saying why) elsewhere. On real Windows the strategies run natively in the other
// suites, so this one is skipped there.
//
// Wine's pipes cost about 0.6 ms a round trip: few transactions per client.
// Windows processes write to FILES (under Wine a pipe as stdout fails with EBADF).

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measured, QUICK, readResults } from './support/runs';
import { locateWine, WineSetup, wineEnvironment } from '../harness/commands/wine';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'pipebench.js');
const EDGE_CLIENT = path.join(ROOT, 'dist', 'test', 'support', 'win32-edge-client.js');
const STRATEGIES = ['sequential', 'thread-per-client', 'overlapped', 'completion-routines', 'iocp'];
const TRANSACTIONS = 10;

// The same checks `pipebench run --wine` makes: Wine, the Windows node, koffi's Windows binary, the prefix.
let setup: WineSetup | null = null;
let problem: string | null = null;
if (process.platform !== 'win32') {
  try {
    setup = locateWine();
  } catch (error) {
    problem = (error as Error).message;
  }
}
const wineReady = setup !== null;
if (process.platform === 'win32') {
  console.log('win32-wine: skipped: this is Windows; the Win32 strategies run natively in the other suites');
} else if (problem && process.env.CI !== 'true') {
  console.log(`win32-wine: skipped: ${problem}`);
}

if (problem && process.env.CI === 'true') {
  it('has Wine and the Windows node set up (CI=true)', () => {
    throw new Error(`Wine is not set up for the Win32 tests: ${problem}`);
  });
}

const wineEnv = setup ? wineEnvironment(setup) : process.env;
const running = new Set<ChildProcess>();
let workDir = '';
let serial = 0;

interface WindowsProcess {
  child: ChildProcess;
  outPath: string;
  output(): string;
  exited: Promise<number | null>;
}

/** Runs the Windows node under Wine with stdout and stderr going to a file. */
function windowsNode(args: string[], tag: string): WindowsProcess {
  const outPath = path.join(workDir, `${++serial}-${tag}.out`);
  const fd = fs.openSync(outPath, 'w');
  const child = spawn(setup!.wine, [setup!.nodeExe, ...args], { cwd: ROOT, env: wineEnv, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  running.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  return { child, outPath, output: () => fs.readFileSync(outPath, 'utf8'), exited };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(what());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function exitWithin(process: WindowsProcess, timeoutMs: number, what: string): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not exit within ${timeoutMs} ms: ${process.output()}`)), timeoutMs)));
  try {
    return await Promise.race([process.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function pipeName(tag: string): string {
  return `\\\\.\\pipe\\pbwine-${process.pid}-${++serial}-${tag}`;
}

async function startServer(strategy: string, address: string): Promise<WindowsProcess> {
  const server = windowsNode([CLI, 'serve', '--strategy', strategy, '--address', address, '--threads', '2'], `serve-${strategy}`);
  await waitFor(() => server.output().includes(`ready ${address}`), 30000, () => `${strategy} not ready: ${server.output()}`);
  return server;
}

/** Ctrl-C, and the server must stop cleanly: every thread joined, exit code 0. */
async function stopServer(server: WindowsProcess, strategy: string): Promise<void> {
  server.child.kill('SIGINT');
  expect(await exitWithin(server, 30000, `${strategy} server after SIGINT`)).toBe(0);
}

interface ClientReport {
  transactions: number;
  errors: { unexpectedStatus: number; mismatches: number };
  fatal: string | null;
}

function startClients(address: string, count: number): WindowsProcess[] {
  return Array.from({ length: count }, (_, index) =>
    windowsNode([CLI, 'client', '--address', address, '--transactions', String(TRANSACTIONS), '--index', String(index), '--json'], `client-${index}`),
  );
}

async function reports(clients: WindowsProcess[]): Promise<ClientReport[]> {
  const codes = await Promise.all(clients.map((client) => exitWithin(client, 60000, 'client')));
  return clients.map((client, i) => {
    const line = client.output().trim().split('\n').pop() ?? '';
    if (codes[i] !== 0 || !line.startsWith('{')) throw new Error(`client ${i} exited with ${codes[i]}: ${client.output()}`);
    return JSON.parse(line) as ClientReport;
  });
}

function expectClean(all: ClientReport[]): void {
  for (const report of all) {
    expect(report.fatal).toBeNull();
    expect(report.errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
    expect(report.transactions).toBeGreaterThanOrEqual(TRANSACTIONS);
  }
}

async function edgeClient(address: string, scenario: string, ...args: string[]): Promise<Record<string, unknown>> {
  const client = windowsNode([EDGE_CLIENT, address, scenario, ...args], `edge-${scenario}`);
  const code = await exitWithin(client, 30000, `edge client ${scenario}`);
  if (code !== 0) throw new Error(`edge client ${scenario} exited with ${code}: ${client.output()}`);
  return JSON.parse(client.output().trim().split('\n').pop()!) as Record<string, unknown>;
}

async function storeCount(address: string): Promise<number> {
  return (await edgeClient(address, 'count')).count as number;
}

function killEverything(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  if (setup) spawnSync(setup.wineserver, ['-k'], { env: wineEnv, stdio: 'ignore' });
}

(wineReady ? describe : describe.skip)('Win32 strategies under Wine', () => {
  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wine-'));
    // One wineserver for the whole suite (killed in afterAll, whatever happens).
    spawnSync(setup!.wineserver, ['-p'], { env: wineEnv, stdio: 'ignore' });
  });
  afterAll(() => {
    killEverything();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('reports Wine from the Windows node (ntdll wine_get_version)', async () => {
    const probe = windowsNode(
      ['-e', `const p = require(${JSON.stringify(path.join(ROOT, 'dist', 'strategies', 'platform.js'))}); console.log(JSON.stringify({ platform: process.platform, wine: p.platform.wineVersion(), label: p.platform.label() }))`],
      'platform',
    );
    expect(await exitWithin(probe, 30000, 'platform probe')).toBe(0);
    const seen = JSON.parse(probe.output().trim()) as { platform: string; wine: string | null; label: string };
    expect(seen.platform).toBe('win32');
    expect(seen.wine).toMatch(/^\d+\.\d+/);
    expect(seen.label).toContain('Wine');
  });

  describe.each(STRATEGIES)('%s', (strategy) => {
    let address = '';
    let server: WindowsProcess | undefined;
    beforeAll(async () => {
      address = pipeName(strategy);
      server = await startServer(strategy, address);
    });
    afterAll(async () => {
      if (server && server.child.exitCode === null) await stopServer(server, strategy);
    });

    it('serves concurrent clients with zero errors and leaves the store as it found it', async () => {
      const before = await storeCount(address);
      expectClean(await reports(startClients(address, 4)));
      expect(await storeCount(address)).toBe(before);
    });

    it('handles pipelined requests, BYE, BAD_COMMAND then close, and a torn request that changes nothing', async () => {
      const seen = await edgeClient(address, 'edges');
      const pipelined = seen.pipelined as number[];
      const countBefore = seen.countBefore as number;
      expect(pipelined).toEqual([0, countBefore, 0, pipelined[3], 0, countBefore + 1]);
      expect(seen.byId).toEqual([0, 1234, 5678, 0, 1234, 5678, 1]); // RETRIEVE, DELETE, then NOT_FOUND
      expect(seen.bye).toEqual([0]);
      expect(seen.closedAfterBye).toBe(true);
      expect(seen.bad).toEqual([3]);
      expect(seen.closedAfterBad).toBe(true);
      expect(seen.countAfter).toBe(countBefore);
    });

    it('loses only the session of a client killed mid-transaction', async () => {
      const before = await storeCount(address);
      const holder = windowsNode([EDGE_CLIENT, address, 'hold'], 'hold');
      await waitFor(() => holder.output().includes('holding'), 30000, () => `holder never held: ${holder.output()}`);
      const clients = startClients(address, 3);
      await new Promise((resolve) => setTimeout(resolve, 1000)); // let them start while the holder is alive
      holder.child.kill('SIGKILL');
      await exitWithin(holder, 30000, 'killed holder');
      expectClean(await reports(clients));
      expect(await storeCount(address)).toBe(before);
    });

    if (strategy !== 'sequential' && strategy !== 'thread-per-client') {
      it('serves 70 sessions at once (more than one wait of 64 handles)', async () => {
        const seen = await edgeClient(address, 'many', '70');
        const counts = seen.counts as number[][];
        expect(counts).toHaveLength(70);
        for (const reply of counts) expect(reply?.[0]).toBe(0);
        expect(seen.byes).toEqual(Array.from({ length: 70 }, () => [0]));
      });
    }

    it('stops on Ctrl-C while a client sits idle mid-request, with every thread joined (exit code 0)', async () => {
      const holder = windowsNode([EDGE_CLIENT, address, 'hold'], 'hold');
      await waitFor(() => holder.output().includes('holding'), 30000, () => `holder never held: ${holder.output()}`);
      await stopServer(server!, strategy);
      holder.child.kill('SIGKILL');
      await exitWithin(holder, 30000, 'killed holder');
    });
  });

  it('`pipebench run --strategy all --clients 1,5 --transactions 30` completes with zero errors and says Wine', async () => {
    const out = path.join(workDir, 'run');
    const run = windowsNode([CLI, 'run', ...QUICK, '--repeat', '1', '--strategy', 'all', '--clients', '1,5', '--transactions', '30', '--out', out], 'run');
    const code = await exitWithin(run, 300000, 'pipebench run');
    const log = run.output();
    expect(log).not.toMatch(/FAILED/);
    expect(code).toBe(0);
    // The PNG charts need the `canvas` native module, and under Wine the Windows
    // node finds only the Linux build in the shared node_modules: the run says so
    // and writes the interactive report.html without them.
    expect(log).toMatch(/warning: PNG charts not written: the canvas native module does not load here/);
    expect(fs.existsSync(path.join(out, 'report.html'))).toBe(true);
    const results = readResults(out);
    expect(results.status).toBe('complete');
    expect(results.environment.os).toBe('win32');
    expect(results.environment.wine).toMatch(/^\d+\.\d+/);
    expect(results.cells.map((cell) => `${cell.strategy}/${cell.clients}`)).toEqual([...STRATEGIES, 'node-net'].flatMap((s) => [`${s}/1`, `${s}/5`]));
    const peakThreads = new Map<string, number>();
    for (const cell of results.cells) {
      const trial = measured(cell);
      expect(trial.errors).toEqual({ unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 });
      expect(trial.script!.transactions).toBe(cell.clients * 30);
      expect(trial.store.countAfter).toBe(trial.store.countBefore);
      // Read from outside through kernel32 (Toolhelp32 threads, K32GetProcessMemoryInfo, GetProcessTimes).
      expect(trial.serverLoad!.sampling).toMatch(/Toolhelp32/);
      expect(trial.serverLoad!.peakThreads).toBeGreaterThan(0);
      expect(trial.serverLoad!.peakRssKb).toBeGreaterThan(0);
      expect(trial.steady!.serverCost!.cpuUserUs + trial.steady!.serverCost!.cpuSystemUs).toBeGreaterThan(0);
      peakThreads.set(`${cell.strategy}/${cell.clients}`, trial.serverLoad!.peakThreads!);
    }
    expect(peakThreads.get('thread-per-client/5')).toBeGreaterThan(peakThreads.get('thread-per-client/1')!);
  }, 360000);
});
