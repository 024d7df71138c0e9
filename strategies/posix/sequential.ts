// sequential: one listening socket, one client at a time. Accept, serve it to the
// end with blocking read/write, close, accept the next. Everyone else waits in the
// listen backlog: the convoy the other strategies exist to avoid.

import type { RunningServer, ServerOptions } from '../types';
import type { SessionTable } from '../session';
import * as libc from './libc';
import { acceptBlocking, listenUnix, serveBlocking } from './unix-socket';
import { attachSessions, createThreadContext, joinThread, requestStop, spawnThread, stopRequested, ThreadContext } from '../threads';

interface SequentialThread extends ThreadContext {
  listenFd: number;
}
const CURRENT_FD = 1; // control slot: the client being served, or -1

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const listenFd = listenUnix(options.address);
  const context: SequentialThread = { ...createThreadContext(sessions, options), listenFd };
  const control = new Int32Array(context.control);
  control[CURRENT_FD] = -1;
  // The serving loop blocks in native calls, so it runs off the main thread, which stays free for signals.
  const thread = joinThread(spawnThread(module, serveOneAtATime, context));
  return {
    async stop() {
      requestStop(context);
      libc.shutdown(listenFd, libc.SHUT_RDWR); // wakes accept()
      const current = Atomics.load(control, CURRENT_FD);
      if (current >= 0) libc.shutdown(current, libc.SHUT_RDWR); // wakes a read on an idle client
      await thread;
      libc.close(listenFd);
    },
  };
}

export function serveOneAtATime(context: SequentialThread): void {
  const sessions = attachSessions(context);
  const tableAddress = libc.addressOf(sessions.bytes);
  const control = new Int32Array(context.control);
  while (!stopRequested(control)) {
    const fd = acceptBlocking(context.listenFd);
    if (fd < 0) break;
    Atomics.store(control, CURRENT_FD, fd);
    const id = sessions.open(fd);
    if (id >= 0) {
      serveBlocking(sessions, id, fd, tableAddress);
      sessions.release(id);
    }
    Atomics.store(control, CURRENT_FD, -1);
    libc.close(fd);
  }
}
