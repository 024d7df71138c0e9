// thread-per-client: an accepting thread hands every new connection to a new
// worker thread, which serves it with blocking read/write and then ends.
// The threads share the store and session table (SharedArrayBuffers).

import { parentPort } from 'node:worker_threads';
import type { RunningServer, ServerOptions } from '../types';
import type { SessionTable } from '../session';
import * as libc from './libc';
import { acceptBlocking, listenUnix, serveBlocking } from './unix-socket';
import { attachSessions, ClientThreadContext, createThreadContext, requestStop, stopRequested, ThreadContext, threadPerClient } from '../threads';

interface AcceptThread extends ThreadContext {
  listenFd: number;
}

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const listenFd = listenUnix(options.address);
  const context: AcceptThread = { ...createThreadContext(sessions, options), listenFd };
  const threads = threadPerClient(module, acceptClients, serveClient, context);
  return {
    async stop() {
      requestStop(context);
      libc.shutdown(listenFd, libc.SHUT_RDWR);
      await threads.listening;
      for (let id = 0; id < sessions.maxSessions; id++) {
        if (sessions.state(id) !== 0) libc.shutdown(sessions.handle(id), libc.SHUT_RDWR); // wakes blocked reads
      }
      await threads.clientsEnded();
      libc.close(listenFd);
    },
  };
}

export function acceptClients(context: AcceptThread): void {
  const sessions = attachSessions(context);
  const control = new Int32Array(context.control);
  while (!stopRequested(control)) {
    const fd = acceptBlocking(context.listenFd);
    if (fd < 0) break;
    const id = sessions.open(fd);
    if (id < 0) {
      libc.close(fd); // every session slot is taken
      continue;
    }
    parentPort!.postMessage(id);
  }
}

export function serveClient(context: ClientThreadContext): void {
  const sessions = attachSessions(context);
  const fd = sessions.handle(context.sessionId);
  try {
    if (!stopRequested(new Int32Array(context.control))) {
      serveBlocking(sessions, context.sessionId, fd, libc.addressOf(sessions.bytes));
    }
  } finally {
    // Even when this thread fails, its client must see the connection end rather than hang.
    sessions.release(context.sessionId);
    libc.close(fd);
  }
}
