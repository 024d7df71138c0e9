// Processes started by tests: tracked from the moment they are spawned and killed
// by killAll() (call it in afterEach/afterAll), whatever the test's outcome.

import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import * as path from 'node:path';
import * as net from 'node:net';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'bin', 'pipebench.js');

const tracked = new Set<ChildProcess>();

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  finished: Promise<Finished>;
}

export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  tracked.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const finished = new Promise<Finished>((resolve) => {
    child.once('close', (code, signal) => {
      tracked.delete(child);
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return { child, stdout: () => out, stderr: () => err, finished };
}

export function pipebench(args: string[], options: SpawnOptions = {}): Spawned {
  return spawnTracked(process.execPath, [CLI, ...args], options);
}

export async function killAll(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const child of tracked) {
    if (child.exitCode === null && child.signalCode === null) {
      waits.push(new Promise((resolve) => child.once('close', resolve)));
      child.kill('SIGKILL');
    }
  }
  await Promise.all(waits);
  tracked.clear();
}

/** Starts `pipebench serve` and resolves once it printed its ready line. */
export async function startServer(strategy: string, address: string, extra: string[] = []): Promise<Spawned> {
  const server = pipebench(['serve', '--strategy', strategy, '--address', address, ...extra]);
  await waitFor(() => server.stdout().includes(`ready ${address}\n`), 20000, () => `server ${strategy} not ready: ${server.stderr()}`, server.finished);
  return server;
}

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

/**
 * Pids of live servers, clients and probes started by the harness process
 * `harnessPid` (harness/processes.ts labels each child's command line with its
 * role and `harness-<pid>`), optionally of one role only.
 */
export function childrenOfHarness(harnessPid: number, role?: 'server' | 'client' | 'probe'): number[] {
  const fs = require('node:fs') as typeof import('node:fs');
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

/** A raw protocol connection for tests: write bytes, read exactly n bytes, see the end. */
export class RawConnection {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private waiter: (() => void) | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiter?.();
    });
    const end = () => {
      this.ended = true;
      this.waiter?.();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  static open(address: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(address);
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  /** Exactly `n` bytes, or an error when the stream ends first or nothing comes within the timeout. */
  async read(n: number, timeoutMs = 10000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered.length < n) {
      if (this.ended) throw new Error(`stream ended after ${this.buffered.length} of ${n} bytes`);
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
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  /** Resolves true when the server closes the stream with no further bytes. */
  async closedByServer(timeoutMs = 10000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.ended && this.buffered.length === 0;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
