// overlapped: the Linux analog of overlapped I/O + WaitForMultipleObjects. One
// serving thread, every socket non-blocking, and one poll() over the stop eventfd,
// the listening socket and every client. A ready client runs its next steps until
// the socket would block, then waits again. The pollfd array lives in a
// SharedArrayBuffer passed by address, so koffi neither converts nor copies it.

import type { RunningServer, ServerOptions } from '../types';
import type { SessionTable } from '../session';
import * as libc from './libc';
import { listenUnix } from './unix-socket';
import { acceptNonBlocking, advance, CLOSED, closeOpenSessions } from './nonblocking';
import { attachSessions, createThreadContext, joinThread, spawnThread, ThreadContext } from '../threads';

interface PollThread extends ThreadContext {
  listenFd: number;
  stopFd: number;
}

// Entries of the pollfd array; clients follow, packed (a closed one is replaced by the last).
const STOP = 0;
const LISTEN = 1;
const FIRST_CLIENT = 2;

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const listenFd = listenUnix(options.address, true);
  const stopFd = libc.eventfd(0, libc.EFD_CLOEXEC | libc.EFD_NONBLOCK);
  if (stopFd < 0) {
    const code = libc.lastErrno();
    libc.close(listenFd);
    throw new libc.OsError('eventfd', code);
  }
  const context: PollThread = { ...createThreadContext(sessions, options), listenFd, stopFd };
  const thread = joinThread(spawnThread(module, serveByPolling, context));
  return {
    async stop() {
      libc.eventfd_write(stopFd, 1); // readable from now on: poll() returns
      try {
        await thread;
      } finally {
        closeOpenSessions(sessions);
        libc.close(listenFd);
        libc.close(stopFd);
      }
    },
  };
}

export function serveByPolling(context: PollThread): void {
  const sessions = attachSessions(context);
  const tableAddress = libc.addressOf(sessions.bytes);
  const capacity = FIRST_CLIENT + sessions.maxSessions;
  const pollfds = new Uint8Array(new SharedArrayBuffer(capacity * libc.POLLFD_BYTES));
  const pollfdsAddress = libc.addressOf(pollfds);
  const fds = new Int32Array(pollfds.buffer); // entry i: fd at [2i]
  const flags = new Int16Array(pollfds.buffer); // entry i: events at [4i + 2], revents at [4i + 3]
  const ids = new Int32Array(capacity); // entry i: its session id
  fds[2 * STOP] = context.stopFd;
  flags[4 * STOP + 2] = libc.POLLIN;
  fds[2 * LISTEN] = context.listenFd;
  flags[4 * LISTEN + 2] = libc.POLLIN;
  let count = FIRST_CLIENT;

  for (;;) {
    let ready = libc.poll(pollfdsAddress, count, -1);
    if (ready < 0) {
      const code = libc.lastErrno();
      if (code === libc.EINTR) continue;
      throw new libc.OsError('poll', code);
    }
    if (flags[4 * STOP + 3] !== 0) return;
    const accepting = flags[4 * LISTEN + 3] !== 0;
    if (accepting) ready--;
    // Last to first, so the entry moved into a closed one's place was already visited.
    for (let i = count - 1; i >= FIRST_CLIENT && ready > 0; i--) {
      if (flags[4 * i + 3] === 0) continue;
      ready--;
      const fd = fds[2 * i];
      const wait = advance(sessions, ids[i], fd, tableAddress);
      if (wait !== CLOSED) {
        flags[4 * i + 2] = wait;
        continue;
      }
      libc.close(fd);
      sessions.release(ids[i]);
      count--;
      fds[2 * i] = fds[2 * count];
      flags[4 * i + 2] = flags[4 * count + 2];
      ids[i] = ids[count];
    }
    // Accepted last: new entries have no revents from this poll.
    if (accepting) {
      for (let fd = acceptNonBlocking(context.listenFd); fd >= 0; fd = acceptNonBlocking(context.listenFd)) {
        const id = sessions.open(fd);
        if (id < 0) {
          libc.close(fd); // every session slot is taken
          continue;
        }
        fds[2 * count] = fd;
        flags[4 * count + 2] = libc.POLLIN;
        flags[4 * count + 3] = 0;
        ids[count] = id;
        count++;
      }
    }
  }
}
