// Serving threads: a strategy file exports its thread's main function, and
// spawnThread runs it in a worker (the strategy's own module, loaded again in the
// thread, found by that function), so each strategy stays one file showing both
// how it starts and how it waits.

import { MessageChannel, Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { RecordStore } from './store';
import { SessionTable, SharedSessionMemory } from './session';
import type { ServerKnobs, ServerOptions } from './types';

/** What every serving thread needs to rebuild its view of the shared session table and store. */
export interface ThreadContext {
  shared: SharedSessionMemory;
  knobs: ServerKnobs;
  /** Int32 flags shared by every thread of the server: [STOP]. */
  control: SharedArrayBuffer;
}

export const CONTROL_STOP = 0;

export function createThreadContext(sessions: SessionTable, options: ServerOptions): ThreadContext {
  return {
    shared: sessions.shared,
    knobs: options.knobs,
    control: new SharedArrayBuffer(16),
  };
}

export function attachSessions(context: ThreadContext): SessionTable {
  return new SessionTable(context.shared.sessions, new RecordStore(context.shared.store, context.knobs), context.knobs);
}

export function requestStop(context: ThreadContext): void {
  Atomics.store(new Int32Array(context.control), CONTROL_STOP, 1);
}

export function stopRequested(control: Int32Array): boolean {
  return Atomics.load(control, CONTROL_STOP) === 1;
}

/** Runs `main(data)` in a new worker thread; `main` is an export of `owner` (the calling strategy's `module`). */
export function spawnThread<T>(owner: NodeModule, main: (data: T) => void, data: T): Worker {
  const exports = owner.exports as Record<string, unknown>;
  if (exports[main.name] !== main) throw new Error(`${main.name} is not exported by ${owner.filename}: a thread can only run an export`);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(path.join(__dirname, 'thread-entry.js'), {
    workerData: { modulePath: owner.filename, exportName: main.name, data, running: port2 },
    transferList: [port2],
    stdout: false,
    stderr: false,
  });
  starting.push(
    new Promise<void>((resolve) => {
      port1.once('message', () => resolve());
      worker.once('exit', () => resolve()); // a thread that died is reported by joinThread
    }).finally(() => port1.close()),
  );
  return worker;
}

const starting: Promise<void>[] = [];

/** Resolves once every thread spawned so far runs its main function (its module loaded: koffi and the bindings). */
export function threadsRunning(): Promise<void> {
  return Promise.all(starting.splice(0)).then(() => undefined);
}

/** A listening thread posts each new session's id; a thread of its own then serves that client. */
export interface ClientThreadContext extends ThreadContext {
  sessionId: number;
}

/**
 * thread-per-client's threads: the listener `listen` runs in one thread and posts
 * session ids (a worker cannot be created from inside a blocked native call, so
 * this thread starts them); each id gets a new thread running `serve`.
 */
export function threadPerClient<T extends ThreadContext>(owner: NodeModule, listen: (context: T) => void, serve: (context: T & ClientThreadContext) => void, context: T) {
  const clients = new Set<Promise<void>>();
  const listener = spawnThread(owner, listen, context);
  listener.on('message', (sessionId: number) => {
    const client = joinThread(spawnThread(owner, serve, { ...context, sessionId })).catch((error: Error) => {
      process.stderr.write(`thread-per-client: session ${sessionId} thread failed: ${error.message}\n`);
    });
    clients.add(client);
    void client.finally(() => clients.delete(client));
  });
  return {
    /** Ends when the listening thread has. */
    listening: joinThread(listener),
    /** Ends when every client thread started so far has. */
    clientsEnded: (): Promise<unknown> => Promise.all(clients),
  };
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
