// The Win32 strategies as real Windows code, driven by Windows processes: the
// Windows build of Node runs `pipebench serve` (kernel32 through koffi's Windows
// binary), and Windows-side clients talk to it over named pipes. On Windows the
// native node runs everything; on Linux the Windows node runs under Wine
// (.ci/setup-wine.sh), and without Wine the suite is skipped (one line for the whole
// run, test/support/global-setup.ts), or fails under CI=true.
//
// Wine's pipes cost about 0.6 ms a round trip: few transactions per client.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { platform } from '../strategies/platform';
import { locateWine } from '../harness/commands/wine';
import { measured, QUICK, readResults } from './support/runs';
import { CLI, exitOf, jsonResult, killAll, onlyOn, Server, Spawned, startServer, SUPPORT, tempDir, waitFor, WindowsHost, windowsHost, windowsJson } from './support/spawned';

const EDGE_CLIENT = path.join(SUPPORT, 'win32-edge-client.js');
const TRANSPORT_CLIENT = path.join(SUPPORT, 'win32-transport-client.js');
const STRATEGIES = ['sequential', 'thread-per-client', 'overlapped', 'completion-routines', 'iocp'];
const TRANSACTIONS = 10;

/**
 * The Linux processes whose CPU a Windows program's waiting costs. With the wineserver already
 * up (the test kit starts one per file) Wine's launcher becomes node.exe in place; without one it
 * waits for a child that does. Under Wine every kernel32 call is a request to the wineserver,
 * which does the work: a client calling in a loop burns the wineserver's CPU more than its own,
 * so the wineserver of this prefix counts too. On Windows: the process itself.
 */
function cpuOfWaiting(spawned: Spawned): number[] {
  if (process.platform !== 'linux') return [spawned.pid];
  const prefix = `WINEPREFIX=${locateWine().prefix}`;
  const read = (pid: string, file: string) => fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  const parent = (pid: string) => {
    const stat = read(pid, 'stat');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  };
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = read(entry, 'cmdline').split('\0')[0];
      const client = (Number(entry) === spawned.pid || parent(entry) === spawned.pid) && command.endsWith('node.exe');
      const server = path.basename(command).startsWith('wineserver') && read(entry, 'environ').split('\0').includes(prefix);
      if (client || server) pids.push(Number(entry));
    } catch {
      continue; // gone meanwhile, or another user's
    }
  }
  if (pids.length !== 2) throw new Error(`expected node.exe under Wine's launcher ${spawned.pid} and this prefix's wineserver, found pids ${pids.join(', ')}`);
  return pids;
}

const host = windowsHost();
// Ctrl-C reaches a Windows process only through Wine (from Linux, SIGINT becomes a
// console Ctrl-C); on Windows, kill() is TerminateProcess and no handler runs.
const ctrlC = onlyOn('linux', 'Ctrl-C is delivered to a Windows process only by Wine, from Linux');

interface ClientReport {
  transactions: number;
  errors: { unexpectedStatus: number; mismatches: number };
  fatal: string | null;
}

(host ? describe : describe.skip)('Win32 strategies, run by the Windows node', () => {
  const windows = host as WindowsHost;
  afterAll(killAll);

  /** Ctrl-C, and the server must stop cleanly: every thread joined, exit code 0. */
  async function interrupt(server: Server): Promise<void> {
    server.child.kill('SIGINT');
    expect((await exitOf(server, 30000, `${server.strategy} server after Ctrl-C`)).code).toBe(0);
  }

  function startClients(address: string, count: number): Spawned[] {
    return Array.from({ length: count }, (_, index) =>
      windows.node([CLI, 'client', '--address', address, '--transactions', String(TRANSACTIONS), '--index', String(index), '--json'], `client-${index}`),
    );
  }

  async function reports(clients: Spawned[]): Promise<ClientReport[]> {
    return Promise.all(clients.map((client, i) => jsonResult<ClientReport>(client, 60000, `client ${i}`)));
  }

  function expectClean(all: ClientReport[]): void {
    for (const report of all) {
      expect(report.fatal).toBeNull();
      expect(report.errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
      expect(report.transactions).toBeGreaterThanOrEqual(TRANSACTIONS);
    }
  }

  function edgeClient(address: string, scenario: string, ...args: string[]): Promise<Record<string, unknown>> {
    return windowsJson(windows, [EDGE_CLIENT, address, scenario, ...args], `edge-${scenario}`, 30000, `edge client ${scenario}`);
  }

  async function storeCount(address: string): Promise<number> {
    return (await edgeClient(address, 'count')).count as number;
  }

  /** A client that sent COUNT, then half an ADD, and waits there until it is killed. */
  async function holder(address: string): Promise<Spawned> {
    const holding = windows.node([EDGE_CLIENT, address, 'hold'], 'hold');
    await waitFor(() => holding.stdout().includes('holding'), 30000, () => `holder never held: ${holding.stdout()}`, holding.finished);
    return holding;
  }

  async function kill(process: Spawned, what: string): Promise<void> {
    process.child.kill('SIGKILL');
    await exitOf(process, 30000, what);
  }

  it('reports the platform from the Windows node: win32, and Wine exactly when under Wine (ntdll wine_get_version)', async () => {
    const probe = windows.node(
      ['-e', `const p = require(${JSON.stringify(path.join(__dirname, '..', 'strategies', 'platform.js'))}); console.log(JSON.stringify({ platform: process.platform, wine: p.platform.wineVersion(), label: p.platform.label() }))`],
      'platform',
    );
    const seen = await jsonResult<{ platform: string; wine: string | null; label: string }>(probe, 30000, 'platform probe');
    expect(seen.platform).toBe('win32');
    if (windows.underWine) {
      expect(seen.wine).toMatch(/^\d+\.\d+/);
      expect(seen.label).toContain('Wine');
    } else {
      expect(seen.wine).toBeNull();
      expect(seen.label).not.toContain('Wine');
    }
  });

  it("reads a process's threads one by one (NtGetNextThread): three workers more, exactly three threads more; CPU in cycles, or labelled as ticks where QueryProcessCycleTime is missing", async () => {
    const stats = JSON.stringify(path.join(__dirname, '..', 'strategies', 'win32', 'process-stats.js'));
    const script = [
      `const { Worker } = require('node:worker_threads');`,
      `const reader = require(${stats}).openProcess(process.pid);`,
      `const before = reader.load().threads;`,
      `const workers = [1, 2, 3].map(() => new Worker('require("node:worker_threads").parentPort.postMessage(1); setInterval(() => {}, 1000)', { eval: true }));`,
      `Promise.all(workers.map((w) => new Promise((r) => w.once('message', r)))).then(() => {`,
      `  const after = reader.load().threads;`,
      `  const cost = reader.cost();`,
      `  console.log(JSON.stringify({ before, after, how: reader.how, cpuUs: cost.cpuUserUs + cost.cpuSystemUs }));`,
      `  reader.close();`,
      `  process.exit(0);`,
      `});`,
    ].join('\n');
    const seen = await windowsJson<{ before: number; after: number; how: string; cpuUs: number }>(windows, ['-e', script], 'threads', 60000, 'thread reader');
    expect(seen.after - seen.before).toBe(3);
    expect(seen.cpuUs).toBeGreaterThan(0);
    expect(seen.how).toMatch(/^NtGetNextThread \(this process's threads\)/);
    // Wine 8 has no QueryProcessCycleTime: the fallback says so rather than passing ticks for nanoseconds.
    if (windows.underWine) expect(seen.how).toContain('GetProcessTimes in the OS\'s clock ticks, NOT nanoseconds: QueryProcessCycleTime failed with ERROR_CALL_NOT_IMPLEMENTED (120)');
    else expect(seen.how).toMatch(/QueryProcessCycleTime at \d+\.\d MHz/);
  });

  it("a client's write after the server closed its end reports \"server closed the pipe\" (Windows says ERROR_NO_DATA, not ERROR_BROKEN_PIPE)", async () => {
    const seen = await windowsJson(windows, [TRANSPORT_CLIENT, windows.address('closed'), 'closed'], 'closed', 30000, 'transport client');
    expect(seen).toEqual({ lost: 'server closed the pipe during WriteFile' });
  });

  describe.each(STRATEGIES)('%s', (strategy) => {
    let server: Server;
    beforeAll(async () => {
      server = await startServer(strategy, { host: windows, args: ['--threads', '2'] });
    });
    afterAll(async () => {
      if (server) await kill(server, `${strategy} server`);
    });

    it('serves concurrent clients with zero errors and leaves the store as it found it', async () => {
      const before = await storeCount(server.address);
      expectClean(await reports(startClients(server.address, 4)));
      expect(await storeCount(server.address)).toBe(before);
    });

    it('handles pipelined requests, BYE, BAD_COMMAND then close, and a torn request that changes nothing', async () => {
      const seen = await edgeClient(server.address, 'edges');
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

    it(
      strategy === 'sequential'
        ? 'loses only the session of a client killed mid-transaction; the clients waiting behind it are served'
        : 'serves others while a client sits mid-transaction, and loses only its session when it is killed',
      async () => {
        const before = await storeCount(server.address);
        const holding = await holder(server.address);
        const clients = startClients(server.address, 3);
        // One client at a time: the others wait for the holder's end. The rest serve them meanwhile.
        const served = strategy === 'sequential' ? null : await reports(clients);
        await kill(holding, 'killed holder');
        expectClean(served ?? (await reports(clients)));
        expect(await storeCount(server.address)).toBe(before);
      },
    );

    if (strategy === 'sequential') {
      it('a client waiting for the busy server blocks in WaitNamedPipeW (a quiet second under 5 % of a core), then is served', async () => {
        const before = await storeCount(server.address);
        const holding = await holder(server.address);
        const waiting = windows.node([TRANSPORT_CLIENT, server.address, 'count'], 'waiting');
        await waitFor(() => waiting.stdout().includes('connecting'), 60000, () => `client never started: ${waiting.stdout()}`, waiting.finished);
        // Its CPU from outside (under Wine with the wineserver's, which does its kernel32 calls), as often
        // as waitFor looks: once start-up is over, a blocked client costs ~0 of a second, one calling in a
        // loop ~all of the core it gets. The first quiet second (< 50 ms of CPU, 5 % of a core) passes;
        // none within 60 s fails.
        const readers = cpuOfWaiting(waiting).map((pid) => platform.openProcess(pid));
        const readings: { atMs: number; cpuUs: number }[] = [];
        let quietUs = Infinity;
        const quietSecond = (): boolean => {
          const costs = readers.map((reader) => reader.cost());
          const now = { atMs: Date.now(), cpuUs: costs.reduce((sum, cost) => sum + cost.cpuUserUs + cost.cpuSystemUs, 0) };
          readings.push(now);
          const secondAgo = readings.filter((reading) => reading.atMs <= now.atMs - 1000).pop();
          if (secondAgo) quietUs = ((now.cpuUs - secondAgo.cpuUs) * 1000) / (now.atMs - secondAgo.atMs);
          return quietUs < 50_000;
        };
        try {
          await waitFor(quietSecond, 60000, () => `the waiting client never had a quiet second; CPU over the last one: ${Math.round(quietUs)} µs`, waiting.finished);
        } finally {
          for (const reader of readers) reader.close();
        }
        console.log(
          `win32-wine: a client waiting for a busy sequential server: ${Math.round(quietUs)} µs of CPU over a second, ` +
            `${((readings[readings.length - 1].atMs - readings[0].atMs) / 1000).toFixed(1)} s after it started connecting (${Math.round(readings[0].cpuUs / 1000)} ms of CPU by then)`,
        );
        expect(waiting.child.exitCode).toBeNull(); // still waiting for the holder's instance
        await kill(holding, 'killed holder');
        expect(await jsonResult(waiting, 60000, 'waiting client')).toEqual({ status: 0, count: before });
      });
    }

    if (strategy !== 'sequential' && strategy !== 'thread-per-client') {
      it('serves 70 sessions at once (more than one wait of 64 handles)', async () => {
        const seen = await edgeClient(server.address, 'many', '70');
        const counts = seen.counts as number[][];
        expect(counts).toHaveLength(70);
        for (const reply of counts) expect(reply?.[0]).toBe(0);
        expect(seen.byes).toEqual(Array.from({ length: 70 }, () => [0]));
      });
    }

    ctrlC.it('stops on Ctrl-C while a client sits idle mid-request, with every thread joined (exit code 0)', async () => {
      const holding = await holder(server.address);
      await interrupt(server);
      await kill(holding, 'killed holder');
    });
  });

  it('`pipebench run --strategy all --clients 1,5 --transactions 30` completes with zero errors and says where it ran', async () => {
    const out = path.join(tempDir('win32-run'), 'run');
    // Each transaction burns 1 ms of the server's CPU (--cpu-us), so each 100 ms measured phase holds ten or more of Wine's
    // 10 ms ticks: at the bare protocol's light load all twelve phases of one CI run (2026-12-06) read 0.
    const run = windows.node([CLI, 'run', ...QUICK, '--repeat', '1', '--strategy', 'all', '--clients', '1,5', '--transactions', '30', '--cpu-us', '1000', '--out', out], 'run');
    const { code, stdout: log } = await exitOf(run, 300000, 'pipebench run');
    expect(log).not.toMatch(/FAILED/);
    expect(code).toBe(0);
    if (windows.underWine) {
      // The PNG charts need the `canvas` native module, and under Wine the Windows
      // node finds only the Linux build in the shared node_modules: the run says so
      // and writes the interactive report.html without them.
      expect(log).toMatch(/warning: PNG charts not written: the canvas native module does not load here/);
    } else {
      expect(fs.readdirSync(out).filter((name) => name.endsWith('.png')).length).toBeGreaterThanOrEqual(5);
    }
    expect(fs.existsSync(path.join(out, 'report.html'))).toBe(true);
    const results = readResults(out);
    expect(results.status).toBe('complete');
    expect(results.environment.os).toBe('win32');
    if (windows.underWine) expect(results.environment.wine).toMatch(/^\d+\.\d+/);
    else expect(results.environment.wine).toBeNull();
    expect(results.cells.map((cell) => `${cell.strategy}/${cell.clients}`)).toEqual([...STRATEGIES, 'node-net'].flatMap((s) => [`${s}/1`, `${s}/5`]));
    const peakThreads = new Map<string, number>();
    let serverCpuUs = 0;
    for (const cell of results.cells) {
      const trial = measured(cell);
      expect(trial.errors).toEqual({ unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 });
      expect(trial.script!.transactions).toBe(cell.clients * 30);
      expect(trial.store.countAfter).toBe(trial.store.countBefore);
      // Read from outside (NtGetNextThread, K32GetProcessMemoryInfo, QueryProcessCycleTime or GetProcessTimes).
      expect(trial.serverLoad!.sampling).toMatch(/^NtGetNextThread/);
      expect(trial.serverLoad!.peakThreads).toBeGreaterThan(0);
      expect(trial.serverLoad!.peakRssKb).toBeGreaterThan(0);
      // Under Wine the CPU is GetProcessTimes' (no QueryProcessCycleTime), in scheduler ticks (Wine: the kernel's
      // 10 ms ones), and one measured phase here lasts 100 ms: a cell may still read 0, the run may not.
      const cost = trial.steady!.serverCost!;
      expect(cost.cpuUserUs + cost.cpuSystemUs).toBeGreaterThanOrEqual(0);
      serverCpuUs += cost.cpuUserUs + cost.cpuSystemUs;
      peakThreads.set(`${cell.strategy}/${cell.clients}`, trial.serverLoad!.peakThreads!);
    }
    expect(serverCpuUs).toBeGreaterThan(0);
    expect(peakThreads.get('thread-per-client/5')).toBeGreaterThan(peakThreads.get('thread-per-client/1')!);
  }, 360000);
});
