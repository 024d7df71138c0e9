// thread-per-client: a listening thread keeps one free pipe instance waiting in a
// blocking ConnectNamedPipe; each connected instance is handed to a new worker
// thread that serves it with blocking ReadFile/WriteFile, then flushes,
// disconnects, closes it and ends. The threads share the store and session table.
//
// Handles have one owner each: the instance waiting in ConnectNamedPipe is the
// server's (LISTENING_PIPE; stop closes it), a connected one its client thread's.
// The next instance is created before the connected one is handed over, so a
// failure there leaves nothing owned twice. Stop cancels blocked calls through a
// CancelGuard, since a client thread may be closing that very handle.

import { parentPort } from 'node:worker_threads';
import type { RunningServer, ServerOptions } from '../types';
import type { SessionTable } from '../session';
import * as k32 from './kernel32';
import { OutParams, addressOf } from './memory';
import { CancelGuard } from './cancel-guard';
import { claimPipe, connectBlocking, createInstance, disconnectAfterFlush, PipeSpec, releasePipe, serveBlocking } from './named-pipe';
import { attachSessions, ClientThreadContext, createThreadContext, requestStop, stopRequested, ThreadContext, threadPerClient } from '../threads';

interface ListenThread extends ThreadContext {
  pipe: PipeSpec;
  firstPipe: number;
  /** CancelGuard slots, by session id. */
  guard: SharedArrayBuffer;
}
const LISTENING_PIPE = 1; // control slot: the instance waiting in ConnectNamedPipe

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  // The first instance exists before start() resolves, so "ready" means connectable.
  const { pipe, first } = claimPipe(options.address, false);
  const context: ListenThread = { ...createThreadContext(sessions, options), pipe, firstPipe: first, guard: new CancelGuard(sessions.maxSessions).buffer };
  const guard = new CancelGuard(context.guard);
  const control = new Int32Array(context.control);
  Atomics.store(control, LISTENING_PIPE, context.firstPipe);
  const threads = threadPerClient(module, listenForClients, serveClient, context);
  // Reported at once, not only at stop: the clients already connected are served on.
  let listenerFailure: Error | null = null;
  const listening = threads.listening.catch((error: Error) => {
    listenerFailure = error;
    process.stderr.write(`thread-per-client: the listening thread failed (no new client is accepted): ${error.message}\n`);
  });
  return {
    async stop() {
      requestStop(context);
      // CancelIoEx wakes every blocked call with ERROR_OPERATION_ABORTED; repeated
      // until each thread has seen the stop flag, in case one was between calls.
      // The listening instance is only ever closed below, after the listener ended.
      const wakeAll = () => {
        k32.CancelIoEx(Atomics.load(control, LISTENING_PIPE), null);
        for (let id = 0; id < sessions.maxSessions; id++) {
          if (sessions.state(id) !== 0) guard.cancel(id, sessions);
        }
      };
      const waking = setInterval(wakeAll, 20);
      wakeAll();
      await listening;
      await threads.clientsEnded();
      clearInterval(waking);
      k32.CloseHandle(Atomics.load(control, LISTENING_PIPE));
      releasePipe(pipe);
      if (listenerFailure) throw listenerFailure;
    },
  };
}

export function listenForClients(context: ListenThread): void {
  const sessions = attachSessions(context);
  const guard = new CancelGuard(context.guard);
  const control = new Int32Array(context.control);
  let pipe = context.firstPipe;
  while (!stopRequested(control)) {
    if (!connectBlocking(pipe)) {
      k32.DisconnectNamedPipe(pipe);
      continue;
    }
    const id = sessions.open(pipe);
    if (id < 0) {
      k32.DisconnectNamedPipe(pipe); // every session slot is taken
      continue;
    }
    // The next client needs a free instance while this one is being served. Created before
    // the connected one changes hands: if it fails, that one is still the listening
    // instance (stop closes it) and the session never reaches a thread.
    let next: number;
    try {
      next = createInstance(context.pipe, false);
    } catch (error) {
      sessions.release(id);
      throw error;
    }
    guard.opened(id);
    Atomics.store(control, LISTENING_PIPE, next);
    parentPort!.postMessage(id);
    pipe = next;
  }
}

export function serveClient(context: ListenThread & ClientThreadContext): void {
  const sessions = attachSessions(context);
  const guard = new CancelGuard(context.guard);
  const pipe = sessions.handle(context.sessionId);
  try {
    if (!stopRequested(new Int32Array(context.control))) {
      serveBlocking(sessions, context.sessionId, pipe, addressOf(sessions.bytes), new OutParams());
      disconnectAfterFlush(pipe);
    }
  } finally {
    // Even when this thread fails, its client must see the pipe close rather than hang.
    // Closed before the slot is released, so stop never reads a handle value that is no longer this session's.
    guard.closing(context.sessionId);
    k32.CloseHandle(pipe);
    sessions.release(context.sessionId);
  }
}
