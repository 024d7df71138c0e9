// Serving threads: a strategy file exports its thread's main function, and
// spawnThread runs it in a worker by module path and export name, so each
// strategy stays one file showing both how it starts and how it waits.

import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { RecordStore } from './store';
import { SessionTable, SharedSessionMemory } from './session';
import type { ServerOptions, WaitOrder } from './types';

/** What every serving thread needs to rebuild its view of the shared session table and store. */
export interface ThreadContext {
  shared: SharedSessionMemory;
  cpuUs: number;
  storeLatencyUs: number;
  waitOrder: WaitOrder;
  /** Int32 flags shared by every thread of the server: [STOP]. */
  control: SharedArrayBuffer;
}

export const CONTROL_STOP = 0;

export function createThreadContext(sessions: SessionTable, options: ServerOptions): ThreadContext {
  return {
    shared: sessions.shared,
    cpuUs: options.cpuUs ?? 0,
    storeLatencyUs: options.storeLatencyUs,
    waitOrder: options.waitOrder ?? 'fair',
    control: new SharedArrayBuffer(16),
  };
}

export function attachSessions(context: ThreadContext): SessionTable {
  const store = new RecordStore(context.shared.store, { latencyUs: context.storeLatencyUs });
  return new SessionTable(context.shared.sessions, store, { cpuUs: context.cpuUs });
}

export function requestStop(context: ThreadContext): void {
  Atomics.store(new Int32Array(context.control), CONTROL_STOP, 1);
}

export function stopRequested(control: Int32Array): boolean {
  return Atomics.load(control, CONTROL_STOP) === 1;
}

/** Runs `exportName(data)` from `modulePath` in a new worker thread. */
export function spawnThread(modulePath: string, exportName: string, data: unknown): Worker {
  return new Worker(path.join(__dirname, 'thread-entry.js'), {
    workerData: { modulePath, exportName, data },
    stdout: false,
    stderr: false,
  });
}

/** Resolves once the worker posts its first message (it is serving) or exits (joinThread tells why). */
export function firstMessage(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    worker.once('message', () => resolve());
    worker.once('exit', () => resolve());
  });
}

/** Resolves when the worker has exited; rejects with the error that ended it. */
export function joinThread(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    worker.once('error', (error) => (failure = error));
    worker.once('exit', (code) => {
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`serving thread exited with code ${code}`));
      else resolve();
    });
  });
}
