// thread-per-client: a listening thread keeps one free pipe instance waiting in a
// blocking ConnectNamedPipe; each connected instance is handed to a new worker
// thread that serves it with blocking ReadFile/WriteFile, then flushes,
// disconnects, closes it and ends. The threads share the store and session table.

import { parentPort } from 'node:worker_threads';
import type { RunningServer, ServerOptions } from '../types';
import type { SessionTable } from '../session';
import * as k32 from './kernel32';
import { OutParams, addressOf } from './memory';
import { claimPipe, connectBlocking, createInstance, disconnectAfterFlush, PipeSpec, releasePipe, serveBlocking } from './named-pipe';
import { attachSessions, ClientThreadContext, createThreadContext, requestStop, stopRequested, ThreadContext, threadPerClient } from '../threads';

interface ListenThread extends ThreadContext {
  pipe: PipeSpec;
  firstPipe: number;
}
const LISTENING_PIPE = 1; // control slot: the instance waiting in ConnectNamedPipe

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  // The first instance exists before start() resolves, so "ready" means connectable.
  const { pipe, first } = claimPipe(options.address, false);
  const context: ListenThread = { ...createThreadContext(sessions, options), pipe, firstPipe: first };
  const control = new Int32Array(context.control);
  Atomics.store(control, LISTENING_PIPE, context.firstPipe);
  const threads = threadPerClient(module, listenForClients, serveClient, context);
  return {
    async stop() {
      requestStop(context);
      // CancelIoEx wakes every blocked call with ERROR_OPERATION_ABORTED; repeated
      // until each thread has seen the stop flag, in case one was between calls.
      const wakeAll = () => {
        k32.CancelIoEx(Atomics.load(control, LISTENING_PIPE), null);
        for (let id = 0; id < sessions.maxSessions; id++) {
          if (sessions.state(id) !== 0) k32.CancelIoEx(sessions.handle(id), null);
        }
      };
      const waking = setInterval(wakeAll, 20);
      wakeAll();
      try {
        await threads.listening;
        await threads.clientsEnded();
      } finally {
        clearInterval(waking);
        k32.CloseHandle(Atomics.load(control, LISTENING_PIPE));
        releasePipe(pipe);
      }
    },
  };
}

export function listenForClients(context: ListenThread): void {
  const sessions = attachSessions(context);
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
    // The next client needs a free instance while this one is being served.
    pipe = createInstance(context.pipe, false);
    Atomics.store(control, LISTENING_PIPE, pipe);
    parentPort!.postMessage(id);
  }
}

export function serveClient(context: ClientThreadContext): void {
  const sessions = attachSessions(context);
  const pipe = sessions.handle(context.sessionId);
  try {
    if (!stopRequested(new Int32Array(context.control))) {
      serveBlocking(sessions, context.sessionId, pipe, addressOf(sessions.bytes), new OutParams());
      disconnectAfterFlush(pipe);
    }
  } finally {
    // Even when this thread fails, its client must see the pipe close rather than hang.
    sessions.release(context.sessionId);
    k32.CloseHandle(pipe);
  }
}
