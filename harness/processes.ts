// Child processes of the harness: every one is registered the moment it is
// spawned and reaped on any way out (normal end, failure, Ctrl-C, SIGTERM).

import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';

const CLI = path.join(__dirname, 'cli.js');
const live = new Set<ChildProcess>();

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  process: ChildProcess;
  exited: Promise<Exit>;
}

/** Forks `pipebench <args>` with an IPC channel; stdout and stderr go to `logFd`. */
export function forkPipebench(args: string[], logFd: number): Child {
  const child = fork(CLI, args, { stdio: ['ignore', logFd, logFd, 'ipc'], execArgv: [] });
  live.add(child);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once('error', () => {
      live.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  return { process: child, exited };
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Kills every live child at once; the driver removes the socket files of servers it started. */
export function reapAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

process.once('exit', reapAll);
