// Child processes of the harness, in one place: servers, clients and the probe
// are forked from harness/child.ts and told their role by one start message; the
// Windows node under Wine is spawned. Every child is registered the moment it
// starts and killed on any way out (normal end, failure, Ctrl-C, SIGTERM).

import { ChildProcess, fork, spawn, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reader } from '../../contract/check';
import { ChildStart, MESSAGE_VERSION, StartMessage } from '../../contract/messages';
import { tail } from '../output';

const CHILD = path.join(__dirname, 'child.js');
const live = new Set<ChildProcess>();

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A file that takes a child's stdout and stderr (Wine's node.exe cannot write to a pipe). */
export interface Log {
  fd: number;
  path: string;
}

export interface Child<M = never> {
  process: ChildProcess;
  exited: Promise<Exit>;
  logPath: string;
  /** Calls `listener` with each message the child sends, checked by its role's reader; returns what stops it. */
  onMessage(listener: (message: M) => void): () => void;
  /** The first message `accept`ed, within `timeoutMs`; rejects (saying why, with the log's last lines) on exit or timeout. */
  waitFor(accept: (message: M) => boolean, timeoutMs: number, what: string): Promise<M>;
  kill(): void;
}

/** A failure of a child process: the message names it and quotes its log. */
export class ChildFailure extends Error {
  override name = 'ChildFailure';
}

/** Forks a server, client or probe; `read` checks every message it sends (a malformed one kills it). */
export function forkChild<M>(start: ChildStart, log: Log, read: Reader<M>): Child<M> {
  // The arguments only label the process for `ps` (and tests); everything it needs comes in the start message.
  const child = fork(CHILD, [start.role, `harness-${process.pid}`], { stdio: ['ignore', log.fd, log.fd, 'ipc'], execArgv: [] });
  fs.closeSync(log.fd);
  const exited = track(child);
  const listeners: Array<(message: M) => void> = [];
  child.on('message', (raw: unknown) => {
    let message: M;
    try {
      message = read(raw, `${start.role} message`);
    } catch (error) {
      fs.appendFileSync(log.path, `pipebench: ${(error as Error).message}\n`);
      child.kill('SIGKILL');
      return;
    }
    for (const listener of [...listeners]) listener(message); // a listener may stop itself
  });
  child.send({ type: 'start', version: MESSAGE_VERSION, ...start } as StartMessage);
  const handle: Child<M> = {
    process: child,
    exited,
    logPath: log.path,
    onMessage(listener) {
      listeners.push(listener);
      return () => {
        const at = listeners.indexOf(listener);
        if (at >= 0) listeners.splice(at, 1);
      };
    },
    waitFor(accept, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new ChildFailure(`${what} within ${timeoutMs} ms${lastLines(log.path)}`)), timeoutMs);
        listeners.push((message) => {
          if (!accept(message)) return;
          clearTimeout(timer);
          resolve(message);
        });
        void exited.then((exit) => {
          clearTimeout(timer);
          reject(new ChildFailure(`${start.role} ${describeExit(exit)} before ${what}${lastLines(log.path)}`));
        });
      });
    },
    kill: () => kill(child),
  };
  return handle;
}

/** Spawns a command whose output goes to files (for Wine); tracked and reaped like the forked children. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): { process: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(command, args, options);
  return { process: child, exited: track(child) };
}

function track(child: ChildProcess): Promise<Exit> {
  live.add(child);
  return new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    // An error after the spawn (a message sent to a child that is dying) is followed by its 'exit', which says how it
    // ended; taken as the end, it had read "exited with code null" for a client killed by SIGKILL. Only a spawn that
    // failed has no 'exit'.
    child.on('error', () => {
      if (child.pid !== undefined) return;
      live.delete(child);
      resolve({ code: null, signal: null });
    });
  });
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function lastLines(logPath: string): string {
  const lines = tail(logPath, 3);
  return lines.length ? `: ${lines.join(' | ')}` : '';
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Kills every live child at once but those in `keep`; the driver releases the addresses of servers it started. */
export function reapAll(keep: ReadonlySet<ChildProcess> = new Set()): void {
  for (const child of live) if (!keep.has(child)) kill(child);
}

process.once('exit', () => reapAll());
