// A `pipebench serve` child process and a raw protocol client over Node's `net`,
// for tests that drive the POSIX strategies from outside, as any client would.

import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', '..', 'bin', 'pipebench.js');

export const Command = { ADD: 1, DELETE: 2, RETRIEVE: 3, COUNT: 4, BYE: 5 } as const;
export const Status = { OK: 0, NOT_FOUND: 1, FULL: 2, BAD_COMMAND: 3 } as const;

export function int32s(...values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeInt32LE(value, i * 4));
  return bytes;
}

export interface ServeProcess {
  child: ChildProcess;
  address: string;
  pid: number;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

const running = new Map<ChildProcess, string>(); // child -> its socket path

export function tempSocketPath(tag: string): string {
  return path.join(os.tmpdir(), `pb-${process.pid}-${Math.random().toString(16).slice(2, 10)}-${tag}.sock`);
}

/** Starts `pipebench serve` and resolves once it printed "ready ADDRESS". */
export function startServe(strategy: string, extraArgs: string[] = [], readyTimeoutMs = 20000): Promise<ServeProcess> {
  const address = tempSocketPath(strategy);
  const child = spawn(process.execPath, [CLI, 'serve', '--strategy', strategy, '--address', address, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(child, address);
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in ${readyTimeoutMs} ms; stderr: ${stderr}`)), readyTimeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(`ready ${address}\n`)) {
        clearTimeout(timer);
        resolve({ child, address, pid: child.pid!, stderr: () => stderr, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready; stderr: ${stderr}`));
    });
  });
}

/** Ends every server still running (for afterEach, whatever the test did): SIGTERM, SIGKILL after 3 s, socket file removed. */
export async function killServers(): Promise<void> {
  const ending = [...running].map(
    ([child, address]) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          fs.rmSync(address, { force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(ending);
}

const clients = new Set<net.Socket>();

/** Destroys every client socket still open (for afterEach). */
export function destroyClients(): void {
  for (const socket of clients) socket.destroy();
}

/** A raw stream client: exact-length reads, and whether the server closed its end. */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private waiter: (() => void) | null = null;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    clients.add(socket);
    socket.once('close', () => clients.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.ended = true;
        this.wake();
        resolve();
      });
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

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  /** Exactly `length` bytes; rejects if the server closes first. */
  async read(length: number): Promise<Buffer> {
    while (this.buffered.length < length) {
      if (this.ended) throw new Error(`connection closed with ${this.buffered.length} of ${length} bytes read`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    const bytes = this.buffered.subarray(0, length);
    this.buffered = this.buffered.subarray(length);
    return bytes;
  }

  async readInts(count: number): Promise<number[]> {
    const bytes = await this.read(count * 4);
    return Array.from({ length: count }, (_, i) => bytes.readInt32LE(i * 4));
  }

  /** Sends one request and reads its status, then `resultInts` ints when the status is OK. */
  async transact(request: Buffer, resultInts: number): Promise<number[]> {
    await this.write(request);
    const [status] = await this.readInts(1);
    return status === Status.OK && resultInts > 0 ? [status, ...(await this.readInts(resultInts))] : [status];
  }

  /** True when the server closed the connection with nothing more to read. */
  async closedByServer(): Promise<boolean> {
    await this.closed;
    return this.buffered.length === 0;
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
  const [status, count] = await client.transact(int32s(Command.COUNT), 1);
  if (status !== Status.OK) throw new Error(`COUNT answered status ${status}`);
  await client.transact(int32s(Command.BYE), 0);
  client.destroy();
  return count;
}

/** Open file descriptors of a process (Linux /proc). */
export function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** Threads of a process (Linux /proc). */
export function threadCount(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^Threads:\s+(\d+)/m.exec(status)![1]);
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

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
