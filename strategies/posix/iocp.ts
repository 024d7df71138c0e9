// iocp: the Linux analog of a completion port with a fixed pool of threads. One
// epoll instance shared by `options.knobs.threads` workers; every client is registered
// EPOLLONESHOT with its session id as the event's data, so each readiness goes to
// exactly one worker, which continues that session from its shared slot (whoever
// served it last), runs steps until the socket would block and re-arms it.

import type { Worker } from 'node:worker_threads';
import type { RunningServer, ServerOptions } from '../types';
import type { SessionTable } from '../session';
import * as libc from './libc';
import { listenUnix } from './unix-socket';
import { acceptNonBlocking, advance, CLOSED, closeOpenSessions } from './nonblocking';
import { attachSessions, createThreadContext, joinThread, spawnThread, ThreadContext } from '../threads';

interface PoolThread extends ThreadContext {
  listenFd: number;
  stopFd: number;
  epollFd: number;
}

// epoll_data: the session id in its low half, what the fd is in its high half.
const TAG_SESSION = 0;
const TAG_LISTEN = 1;
const TAG_STOP = 2;
// Events taken per wait: a few, so one worker does not hoard ready sessions while the others idle.
const EVENTS_PER_WAIT = 8;
const ARMED = libc.EPOLLONESHOT;

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const fds: number[] = [];
  const closeAll = () => fds.forEach((fd) => libc.close(fd));
  let context: PoolThread;
  try {
    const listenFd = listenUnix(options.address, true);
    fds.push(listenFd);
    const epollFd = libc.check('epoll_create1', libc.epoll_create1(libc.EPOLL_CLOEXEC));
    fds.push(epollFd);
    const stopFd = libc.check('eventfd', libc.eventfd(0, libc.EFD_CLOEXEC | libc.EFD_NONBLOCK));
    fds.push(stopFd);
    const event = new Int32Array(libc.EPOLL_EVENT_BYTES / 4);
    libc.check('epoll_ctl', control(epollFd, event, libc.EPOLL_CTL_ADD, listenFd, libc.EPOLLIN | ARMED, 0, TAG_LISTEN), 'listening socket');
    // Level-triggered and never read: once written, every worker's epoll_wait returns it.
    libc.check('epoll_ctl', control(epollFd, event, libc.EPOLL_CTL_ADD, stopFd, libc.EPOLLIN, 0, TAG_STOP), 'stop eventfd');
    context = { ...createThreadContext(sessions, options), listenFd, stopFd, epollFd };
  } catch (error) {
    closeAll();
    throw error;
  }
  const workers: Worker[] = [];
  for (let i = 0; i < options.knobs.threads; i++) workers.push(spawnThread(module, serveFromPool, context));
  const joined = workers.map(joinThread);
  return {
    async stop() {
      libc.eventfd_write(context.stopFd, 1);
      const outcomes = await Promise.allSettled(joined);
      closeOpenSessions(sessions);
      closeAll();
      const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** epoll_ctl with the packed 12-byte epoll_event written into `event`. */
function control(epollFd: number, event: Int32Array, op: number, fd: number, events: number, id: number, tag: number, eventAddress?: number): number {
  event[0] = events;
  event[1] = id;
  event[2] = tag;
  return libc.epoll_ctl(epollFd, op, fd, eventAddress ?? event);
}

export function serveFromPool(context: PoolThread): void {
  const sessions = attachSessions(context);
  const tableAddress = libc.addressOf(sessions.bytes);
  const { epollFd, listenFd } = context;
  // Both buffers are SharedArrayBuffers passed by address: koffi neither converts nor copies them.
  const events = new Int32Array(new SharedArrayBuffer(EVENTS_PER_WAIT * libc.EPOLL_EVENT_BYTES)); // event i: events [3i], id [3i + 1], tag [3i + 2]
  const eventsAddress = libc.addressOf(new Uint8Array(events.buffer));
  const arm = new Int32Array(new SharedArrayBuffer(libc.EPOLL_EVENT_BYTES));
  const armAddress = libc.addressOf(new Uint8Array(arm.buffer));

  for (;;) {
    const count = libc.epoll_wait(epollFd, eventsAddress, EVENTS_PER_WAIT, -1);
    if (count < 0) {
      const code = libc.lastErrno();
      if (code === libc.EINTR) continue;
      throw new libc.OsError('epoll_wait', code);
    }
    for (let i = 0; i < count; i++) {
      const tag = events[3 * i + 2];
      if (tag === TAG_SESSION) {
        const id = events[3 * i + 1];
        const fd = sessions.handle(id);
        const wait = advance(sessions, id, fd, tableAddress);
        if (wait === CLOSED) {
          libc.close(fd); // also leaves the epoll set; nobody else holds this session while it is disarmed
          sessions.release(id);
        } else {
          libc.check('epoll_ctl', control(epollFd, arm, libc.EPOLL_CTL_MOD, fd, wait | ARMED, id, TAG_SESSION, armAddress));
        }
      } else if (tag === TAG_LISTEN) {
        for (let fd = acceptNonBlocking(listenFd); fd >= 0; fd = acceptNonBlocking(listenFd)) {
          const id = sessions.open(fd);
          if (id < 0) {
            libc.close(fd); // every session slot is taken
            continue;
          }
          libc.check('epoll_ctl', control(epollFd, arm, libc.EPOLL_CTL_ADD, fd, libc.EPOLLIN | ARMED, id, TAG_SESSION, armAddress));
        }
        libc.check('epoll_ctl', control(epollFd, arm, libc.EPOLL_CTL_MOD, listenFd, libc.EPOLLIN | ARMED, 0, TAG_LISTEN, armAddress));
      } else {
        return; // TAG_STOP: sessions left disarmed are closed by stop() after every worker is joined
      }
    }
  }
}
