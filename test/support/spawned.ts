// The test kit: every process a test starts, every raw protocol connection it
// opens, and what differs between Linux and Windows, in one place.
//
//   processes   spawnTracked, pipebench, startServer, windowsHost: tracked from the
//               moment they start; killAll() (afterEach or afterAll) kills them all
//               and closes every RawClient, whatever the test did; endAll() (after
//               every test file, test/support/cleanup.ts) also ends the wineserver.
//   protocol    RawClient over Node's net (Unix sockets and named pipes alike),
//               Command, Status, int32s, countRecords.
//   waiting     waitFor (a condition, a generous limit), within.
//   platform    address(tag) from platform.uniqueAddress, threadsOf and handlesOf a
//               process, childrenOfHarness, and the guards onlyOn('linux' | 'posix', reason).

import { ChildProcess, spawn, spawnSync, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { platform } from '../../strategies/platform';
import { locateWine, WineSetup, wineEnvironment } from '../../harness/commands/wine';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'bin', 'pipebench.js');
/** The compiled test/support folder (scripts other processes run). */
export const SUPPORT = __dirname;

// ---------------------------------------------------------------- guards

export type Where = 'linux' | 'posix' | 'windows' | 'outside-wine';

export interface Guard {
  /** True where the guarded tests run. */
  readonly runs: boolean;
  describe(name: string, fn: () => void): void;
  it(name: string, fn: jest.ProvidesCallback, timeoutMs?: number): void;
}

const WHERE: Record<Where, { runs: boolean; name: string }> = {
  linux: { runs: process.platform === 'linux', name: 'Linux' },
  posix: { runs: process.platform !== 'win32', name: 'POSIX' },
  windows: { runs: process.platform === 'win32', name: 'Windows' },
  'outside-wine': { runs: platform.wineVersion() === null, name: 'outside Wine' },
};

/**
 * Tests that need Linux (io_uring, /proc, SIGSTOP), a POSIX system (a signal that
 * reaches the child's handler: on Windows, kill() is TerminateProcess), Windows, or
 * any system but Wine (an API Wine lacks).
 * Elsewhere they are skipped, their title saying why.
 */
export function onlyOn(where: Where, reason: string): Guard {
  const { runs, name: only } = WHERE[where];
  const title = (name: string) => (runs ? name : `${name} (${only} only: ${reason})`);
  const describeOrSkip = runs ? describe : describe.skip;
  const itOrSkip = runs ? it : it.skip;
  return {
    runs,
    describe: (name, fn) => describeOrSkip(title(name), fn),
    it: (name, fn, timeoutMs) => itOrSkip(title(name), fn, timeoutMs),
  };
}

// ---------------------------------------------------------------- addresses

/** A fresh server address for this platform: a Unix socket path, or \\.\pipe\... on Windows; killAll removes what a server left at it. */
export function address(tag: string): string {
  const at = platform.uniqueAddress(tag);
  addresses.add(at);
  return at;
}

// ---------------------------------------------------------------- temporary folders

let tempRoot: string | null = null;

/** A fresh folder for this test file's output, logs or fixtures; endAll removes them all when the file ends. */
export function tempDir(tag: string): string {
  tempRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'pb-test-'));
  return fs.mkdtempSync(path.join(tempRoot, `${tag}-`));
}

// ---------------------------------------------------------------- processes

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** What it wrote to stdout so far (with `outFile`: everything it wrote, stdout and stderr). */
  stdout(): string;
  /** What it wrote to stderr so far (with `outFile`: the same as stdout()). */
  stderr(): string;
  finished: Promise<Finished>;
}

export interface TrackedOptions extends SpawnOptions {
  /** Sends stdout and stderr to this file instead of pipes (Wine's node.exe fails writing to a pipe). */
  outFile?: string;
}

const tracked = new Set<ChildProcess>();
/** When each tracked process was started (ms since the epoch), by pid: see childrenOfHarness. */
const startedAtMs = new Map<number, number>();
const clients = new Set<RawClient>();
const addresses = new Set<string>();
let wineUsed: WineSetup | null = null;

/** Spawns a process that killAll() will kill if it is still running. */
export function spawnTracked(command: string, args: string[], options: TrackedOptions = {}): Spawned {
  const { outFile, ...spawnOptions } = options;
  const fd = outFile === undefined ? null : fs.openSync(outFile, 'w');
  const child = spawn(command, args, { stdio: fd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd], ...spawnOptions });
  if (fd !== null) fs.closeSync(fd);
  tracked.add(child);
  if (child.pid !== undefined) startedAtMs.set(child.pid, Date.now());
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const fromFile = () => (outFile === undefined ? '' : fs.readFileSync(outFile, 'utf8'));
  const stdout = () => (outFile === undefined ? out : fromFile());
  const stderr = () => (outFile === undefined ? err : fromFile());
  const finished = new Promise<Finished>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      tracked.delete(child);
      resolve({ code, signal, stdout: stdout(), stderr: stderr() });
    };
    child.once('close', done);
    child.once('error', (error) => {
      err += `spawn failed: ${error.message}\n`;
      done(null, null);
    });
  });
  return { child, pid: child.pid ?? -1, stdout, stderr, finished };
}

/** `pipebench ARGS` with this node. */
export function pipebench(args: string[], options: TrackedOptions = {}): Spawned {
  return spawnTracked(process.execPath, [CLI, ...args], options);
}

/**
 * Kills every tracked process still running (and waits until each is gone), closes
 * every RawClient, and removes what servers' addresses left behind (socket files).
 */
export async function killAll(): Promise<void> {
  for (const client of clients) client.destroy();
  clients.clear();
  const waits: Promise<unknown>[] = [];
  for (const child of tracked) {
    if (child.exitCode === null && child.signalCode === null) {
      waits.push(new Promise((resolve) => child.once('close', resolve)));
      child.kill('SIGKILL');
    }
  }
  await Promise.all(waits);
  tracked.clear();
  for (const used of addresses) platform.releaseAddress(used);
  addresses.clear();
}

/**
 * killAll(), then what outlives the tracked processes: Windows processes they
 * started under Wine (the wineserver is ended), and the Windows processes' output
 * files. Runs when every test file ends (test/support/cleanup.ts).
 */
export async function endAll(): Promise<void> {
  await killAll();
  if (wineUsed) spawnSync(wineUsed.wineserver, ['-k'], { env: wineEnvironment(wineUsed), stdio: 'ignore' });
  wineUsed = null;
  workDir = null;
  if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
  tempRoot = null;
}

export interface Server extends Spawned {
  strategy: string;
  address: string;
}

export interface ServerOptions {
  /** Default: a fresh address(strategy). */
  address?: string;
  /** More `pipebench serve` flags. */
  args?: string[];
  /** The node that runs it: this one by default, or a Windows host's. */
  host?: WindowsHost;
  readyTimeoutMs?: number;
}

/** Starts `pipebench serve --strategy S --address A` and resolves once it printed "ready A". */
export async function startServer(strategy: string, options: ServerOptions = {}): Promise<Server> {
  const at = options.address ?? (options.host ? options.host.address(strategy) : address(strategy));
  const args = [CLI, 'serve', '--strategy', strategy, '--address', at, ...(options.args ?? [])];
  const spawned = options.host ? options.host.node(args, `serve-${strategy}`) : spawnTracked(process.execPath, args);
  if (!options.host) addresses.add(at);
  const server = { ...spawned, strategy, address: at };
  await waitFor(() => server.stdout().includes(`ready ${at}`), options.readyTimeoutMs ?? 30000, () => `${strategy} not ready at ${at}: ${server.stderr()}`, server.finished);
  return server;
}

/** The exit of a process, or an error saying it did not end within `timeoutMs` (with what it wrote). */
export async function exitOf(spawned: Spawned, timeoutMs: number, what: string): Promise<Finished> {
  const ended = await within(spawned.finished, timeoutMs, null);
  if (ended === null) throw new Error(`${what} did not exit within ${timeoutMs} ms: ${spawned.stderr()}`);
  return ended;
}

/** The last line a process printed, parsed as JSON, once it exited 0; otherwise an error with its output. */
export async function jsonResult<T>(spawned: Spawned, timeoutMs: number, what: string): Promise<T> {
  const { code, stdout } = await exitOf(spawned, timeoutMs, what);
  const line = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${what} exited with ${code}: ${stdout}`);
  return JSON.parse(line) as T;
}

// ---------------------------------------------------------------- Windows processes

/**
 * Where the Windows side of the Win32 suites runs: the native node on Windows, or
 * the Windows node under Wine on Linux (.ci/setup-wine.sh). Processes write to files.
 */
export interface WindowsHost {
  /** True when the Windows processes run under Wine (from Linux, or a Windows node that is itself under Wine). */
  readonly underWine: boolean;
  /** A fresh pipe name (platform.uniqueAddress of the Windows platform). */
  address(tag: string): string;
  /** Runs the Windows node with these arguments, stdout and stderr going to a file in a work folder. */
  node(args: string[], tag: string): Spawned;
}

/** The Windows platform's addresses, wherever the test runs (its module binds nothing until a strategy loads). */
function pipeName(tag: string): string {
  return (require('../../strategies/win32/platform') as typeof import('../../strategies/win32/platform')).win32.uniqueAddress(tag);
}

/**
 * A one-shot Windows-side helper's JSON result. Under Wine on a loaded machine,
 * node.exe now and then exits 1 before running a line of JavaScript, writing
 * nothing at all (twice in about 8 loaded suites; setup-wine's smoke test
 * too). Such a process never ran, so it is started again, up to 3 times, and
 * each retry is printed; a process that wrote anything is judged as it is.
 */
export async function windowsJson<T>(host: WindowsHost, args: string[], tag: string, timeoutMs: number, what: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const spawned = host.node(args, `${tag}-${attempt}`);
    const { code, stdout } = await exitOf(spawned, timeoutMs, what);
    if (host.underWine && code === 1 && stdout === '' && attempt < 3) {
      console.log(`${what}: node.exe exited 1 without a byte of output under Wine (it never started); starting it again`);
      continue;
    }
    return jsonResult<T>(spawned, timeoutMs, what);
  }
}

/** The suites that need a Windows host: run natively on Windows, under Wine on Linux. */
export const WINE_SUITES = ['win32-wine', 'win32-fairness', 'win32-pipe-name', 'win32-stop'];

/** Why the Win32 suites cannot run here (null when they can): on Linux, what locateWine misses. */
export function windowsHostProblem(): string | null {
  if (process.platform === 'win32') return null;
  try {
    locateWine();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

let serial = 0;
let workDir: string | null = null;

function outFile(tag: string): string {
  workDir ??= tempDir('windows');
  return path.join(workDir, `${++serial}-${tag}.out`);
}

/**
 * The Windows host, or null when there is none: the suite is then skipped silently
 * (test/support/global-setup.ts says so once for the whole run), except under
 * CI=true, where a missing Wine is a failing test.
 */
export function windowsHost(): WindowsHost | null {
  if (process.platform === 'win32') {
    return {
      underWine: platform.wineVersion() !== null,
      address: pipeName,
      node: (args, tag) => spawnTracked(process.execPath, args, { cwd: ROOT, outFile: outFile(tag) }),
    };
  }
  let setup: WineSetup;
  try {
    setup = locateWine();
  } catch (error) {
    if (process.env.CI === 'true') {
      it('has Wine and the Windows node set up (CI=true)', () => {
        throw new Error(`Wine is not set up for the Win32 tests: ${(error as Error).message}`);
      });
    }
    return null;
  }
  const env = wineEnvironment(setup);
  return {
    underWine: true,
    address: pipeName,
    node(args, tag) {
      if (!wineUsed) spawnSync(setup.wineserver, ['-p'], { env, stdio: 'ignore' }); // one wineserver for the test file, ended by endAll()
      wineUsed = setup;
      return spawnTracked(setup.wine, [setup.nodeExe, ...args], { cwd: ROOT, env, outFile: outFile(tag) });
    },
  };
}

// ---------------------------------------------------------------- waiting

/** Waits until `condition` holds; throws what() past the limit, or at once when `abort` settles first. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string, abort?: Promise<unknown>): Promise<void> {
  let aborted = false;
  void abort?.then(() => (aborted = true));
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (aborted) throw new Error(`${what()} (process ended)`);
    if (Date.now() > deadline) throw new Error(what());
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `read()` once it has not changed for `quietMs` (a process settling after work), within a generous limit. */
export async function settled(read: () => number, quietMs = 300, timeoutMs = 30000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error(`never settled within ${timeoutMs} ms (last ${value})`);
    await new Promise((r) => setTimeout(r, 20));
    const now = read();
    if (now !== value) [value, since] = [now, Date.now()];
  }
  return value;
}

/** `promise`'s value, or `fallback` if it takes longer than `ms` (the timer never outlives the race). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- protocol

export const Command = { ADD: 1, DELETE: 2, RETRIEVE: 3, COUNT: 4, BYE: 5 } as const;
export const Status = { OK: 0, NOT_FOUND: 1, FULL: 2, BAD_COMMAND: 3 } as const;

export function int32s(...values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeInt32LE(value | 0, i * 4));
  return bytes;
}

/** How a write learns that the other end has gone: a socket or pipe closed, reset, or already destroyed here. */
const LOST_CONNECTION = ['EPIPE', 'ECONNRESET', 'EOF', 'ERR_STREAM_DESTROYED'];

/** A raw protocol connection over Node's net: write bytes, read exactly n, see the server close. */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private waiter: (() => void) | null = null;
  /** Resolves once the connection is closed (by either side). */
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    clients.add(this);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        clients.delete(this);
        this.ended = true;
        this.wake();
        resolve();
      });
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => undefined); // a reset shows up as 'close'
  }

  static open(address: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(address);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Rejects with "connection closed …" when the server has gone (the same words as read's), else with the error. */
  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.write(bytes, (error) => {
        if (!error) return resolve();
        const code = (error as NodeJS.ErrnoException).code ?? '';
        // A server that closes while a request is on its way: the write fails instead of the read.
        reject(LOST_CONNECTION.includes(code) ? new Error(`connection closed while writing (${code})`) : error);
      }),
    );
  }

  /** Exactly `n` bytes; rejects when the connection closes first or nothing comes within the limit. */
  async read(n: number, timeoutMs = 30000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered.length < n) {
      if (this.ended) throw new Error(`connection closed after ${this.buffered.length} of ${n} bytes`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${n} bytes (have ${this.buffered.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    const bytes = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return bytes;
  }

  async readInts(count: number, timeoutMs?: number): Promise<number[]> {
    const bytes = await this.read(count * 4, timeoutMs);
    return Array.from({ length: count }, (_, i) => bytes.readInt32LE(i * 4));
  }

  /** Sends one request and reads its status, then `resultInts` ints when the status is OK. */
  async transact(request: Buffer, resultInts: number): Promise<number[]> {
    await this.write(request);
    const [status] = await this.readInts(1);
    return status === Status.OK && resultInts > 0 ? [status, ...(await this.readInts(resultInts))] : [status];
  }

  /** True when the server ends the connection with nothing more to read (false if it has not within the limit). */
  async closedByServer(timeoutMs = 30000): Promise<boolean> {
    await waitFor(() => this.ended, timeoutMs, () => '').catch(() => undefined);
    return this.ended && this.buffered.length === 0;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}

/** COUNT over a fresh connection, ended with BYE. */
export async function countRecords(address: string): Promise<number> {
  const client = await RawClient.open(address);
  try {
    const [status, count] = await client.transact(int32s(Command.COUNT), 1);
    if (status !== Status.OK) throw new Error(`COUNT answered status ${status}`);
    await client.transact(int32s(Command.BYE), 0);
    return count;
  } finally {
    client.destroy();
  }
}

// ---------------------------------------------------------------- process facts

/** Threads of a process, read through the platform module (/proc on Linux, NtGetNextThread on Windows). */
export function threadsOf(pid: number): number {
  const reader = platform.openProcess(pid);
  try {
    return reader.load().threads;
  } finally {
    reader.close();
  }
}

/** Open descriptors of a process: /proc/PID/fd on Linux, GetProcessHandleCount on Windows. */
export function handlesOf(pid: number): number {
  if (process.platform === 'win32') return (require('./win32-processes') as typeof import('./win32-processes')).handleCount(pid);
  if (process.platform === 'linux') return fs.readdirSync(`/proc/${pid}/fd`).length;
  throw new Error(`handlesOf: no way to count a process's descriptors on ${process.platform}`);
}

/**
 * Pids of live processes started by the harness process `harnessPid`. On Linux
 * from /proc/PID/cmdline (harness/processes labels each child's command line with
 * its role and `harness-<pid>`), optionally of one role only; on Windows from a
 * Toolhelp32 snapshot (parent pid), and no role: a command line is Linux's to read.
 * A parent pid outlives its process and pids are reused (at once under Wine), so on
 * Windows a "child" created before the harness was started is another process's.
 */
export function childrenOfHarness(harnessPid: number, role?: 'server' | 'client' | 'probe'): number[] {
  if (process.platform === 'win32') {
    if (role !== undefined) throw new Error(`childrenOfHarness: finding the ${role} needs its command line, read on Linux only`);
    return (require('./win32-processes') as typeof import('./win32-processes')).childrenOf(harnessPid, startedAtMs.get(harnessPid) ?? 0);
  }
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const at = args.indexOf(`harness-${harnessPid}`);
      if (at > 0 && (role === undefined || args[at - 1] === role)) pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}
