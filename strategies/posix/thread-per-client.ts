// thread-per-client: an accepting thread hands every new connection to a new
// worker thread, which serves it with blocking read/write and then ends.
// The threads share the store and session table (SharedArrayBuffers).

import { parentPort } from 'node:worker_threads';
import type { RunningServer, ServerOptions } from '../types';
import type { SessionTable } from '../session';
import * as libc from './libc';
import { acceptBlocking, listenUnix, serveBlocking } from './unix-socket';
import { attachSessions, createThreadContext, joinThread, requestStop, spawnThread, stopRequested, ThreadContext } from '../threads';

interface AcceptThread extends ThreadContext {
  listenFd: number;
}
interface ClientThread extends ThreadContext {
  sessionId: number;
}

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const listenFd = listenUnix(options.address);
  const context: AcceptThread = { ...createThreadContext(sessions, options), listenFd };
  const clients = new Set<Promise<void>>();
  const acceptor = spawnThread(__filename, 'acceptClients', context);
  // A worker cannot be created from inside a blocked native call, so the acceptor
  // posts each session id here and this thread starts its worker.
  acceptor.on('message', (sessionId: number) => {
    const client = joinThread(spawnThread(__filename, 'serveClient', { ...context, sessionId } satisfies ClientThread)).catch((error: Error) => {
      process.stderr.write(`thread-per-client: session ${sessionId} thread failed: ${error.message}\n`);
    });
    clients.add(client);
    void client.finally(() => clients.delete(client));
  });
  const accepting = joinThread(acceptor);
  return {
    async stop() {
      requestStop(context);
      libc.shutdown(listenFd, libc.SHUT_RDWR);
      await accepting;
      for (let id = 0; id < sessions.maxSessions; id++) {
        if (sessions.state(id) !== 0) libc.shutdown(sessions.handle(id), libc.SHUT_RDWR); // wakes blocked reads
      }
      await Promise.all(clients);
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

export function serveClient(context: ClientThread): void {
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
