// completion-routines: the Linux analog of ReadFileEx/WriteFileEx with completion
// routines. One serving thread owns an io_uring; it submits ACCEPT, RECV and SEND
// operations whose buffers are the sessions' fixed slots, with the session id as
// user_data, and while it waits on the ring each completion is dispatched to one
// handler, which reports it to the session machine and submits the next operation.
// No fallback: without io_uring the strategy does not start.

import { parentPort, Worker } from 'node:worker_threads';
import type { RunningServer, ServerOptions } from '../types';
import { Next, NextIo, SessionState, SessionTable } from '../session';
import * as libc from './libc';
import { IORING_OP_ACCEPT, IORING_OP_READ, IORING_OP_RECV, IORING_OP_SEND, IoUring } from './io-uring';
import { listenUnix } from './unix-socket';
import { attachSessions, createThreadContext, joinThread, spawnThread, ThreadContext } from '../threads';

interface RingThread extends ThreadContext {
  listenFd: number;
  stopFd: number;
}
type StartMessage = { type: 'ready' } | { type: 'failed'; reason: string };

// user_data: the session id in its low half, what the operation is for in its high half.
const TAG_SESSION = 0;
const TAG_ACCEPT = 1;
const TAG_STOP = 2;
const TAG_CANCEL = 3;
const SUBMISSION_ENTRIES = 256;

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const listenFd = listenUnix(options.address);
  const stopFd = libc.eventfd(0, libc.EFD_CLOEXEC);
  if (stopFd < 0) {
    const code = libc.lastErrno();
    libc.close(listenFd);
    throw new libc.OsError('eventfd', code);
  }
  const context: RingThread = { ...createThreadContext(sessions, options), listenFd, stopFd };
  const worker = spawnThread(module, serveByCompletion, context);
  const thread = joinThread(worker);
  const started = await startOutcome(worker);
  if (started.type === 'failed') {
    await thread.catch(() => undefined);
    libc.close(listenFd);
    libc.close(stopFd);
    throw new Error(started.reason);
  }
  return {
    async stop() {
      libc.eventfd_write(stopFd, 1); // completes the ring's read of the eventfd
      try {
        await thread;
      } finally {
        libc.close(listenFd);
        libc.close(stopFd);
      }
    },
  };
}

function startOutcome(worker: Worker): Promise<StartMessage> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`completion-routines: serving thread exited (code ${code}) before it was ready`)));
  });
}

export function serveByCompletion(context: RingThread): void {
  const sessions = attachSessions(context);
  const tableAddress = libc.addressOf(sessions.bytes);
  let ring: IoUring;
  try {
    // Every session keeps one operation in flight: room for all their completions at once.
    ring = new IoUring(SUBMISSION_ENTRIES, sessions.maxSessions + 4);
  } catch (error) {
    parentPort!.postMessage({ type: 'failed', reason: (error as Error).message } satisfies StartMessage);
    return;
  }
  const stopValue = new Uint8Array(new SharedArrayBuffer(libc.EVENTFD_VALUE_BYTES));
  let inFlight = 0;
  let stopping = false;

  const submit = (opcode: number, fd: number, address: number, length: number, opFlags: number, id: number, tag: number) => {
    ring.prepare(opcode, fd, address, length, opFlags, id, tag);
    inFlight++;
  };
  const submitStep = (id: number, next: NextIo) => {
    const at = tableAddress + sessions.ioOffset(id);
    if (next === Next.READ) submit(IORING_OP_RECV, sessions.handle(id), at, sessions.ioLength(id), 0, id, TAG_SESSION);
    else submit(IORING_OP_SEND, sessions.handle(id), at, sessions.ioLength(id), libc.MSG_NOSIGNAL, id, TAG_SESSION);
  };
  const closeSession = (id: number) => {
    libc.close(sessions.handle(id));
    sessions.release(id);
  };

  // The completion routines, one per kind of operation.
  const onSessionIo = (id: number, result: number) => {
    const next = stopping ? Next.CLOSE : sessions.complete(id, result);
    if (next === Next.CLOSE) closeSession(id);
    else submitStep(id, next);
  };
  const onAccepted = (fd: number) => {
    if (fd >= 0) {
      const id = stopping ? -1 : sessions.open(fd);
      if (id < 0) libc.close(fd); // stopping, or every session slot is taken
      else submitStep(id, Next.READ);
    } else if (!stopping && fd !== -libc.EINTR && fd !== -libc.errno.ECONNABORTED) {
      throw new libc.OsError('io_uring accept', -fd);
    }
    if (!stopping) submit(IORING_OP_ACCEPT, context.listenFd, 0, 0, libc.SOCK_CLOEXEC, 0, TAG_ACCEPT);
  };
  const onStop = () => {
    stopping = true;
    ring.prepareCancel(0, TAG_ACCEPT, 0, TAG_CANCEL);
    inFlight++;
    for (let id = 0; id < sessions.maxSessions; id++) {
      if (sessions.state(id) === SessionState.FREE) continue;
      ring.prepareCancel(id, TAG_SESSION, 0, TAG_CANCEL); // each live session has exactly one operation in flight
      inFlight++;
    }
  };
  const dispatch = (dataLow: number, tag: number, result: number) => {
    inFlight--;
    if (tag === TAG_SESSION) onSessionIo(dataLow, result);
    else if (tag === TAG_ACCEPT) onAccepted(result);
    else if (tag === TAG_STOP) onStop();
    // TAG_CANCEL: the cancelled operation reports itself.
  };

  try {
    parentPort!.postMessage({ type: 'ready' } satisfies StartMessage);
    submit(IORING_OP_ACCEPT, context.listenFd, 0, 0, libc.SOCK_CLOEXEC, 0, TAG_ACCEPT);
    submit(IORING_OP_READ, context.stopFd, libc.addressOf(stopValue), stopValue.length, 0, 0, TAG_STOP);
    while (inFlight > 0) {
      ring.submitAndWait(1);
      ring.drain(dispatch);
    }
  } finally {
    ring.close();
    // The kernel wrote the eventfd's value into stopValue long after the call that
    // passed its address: it must not be collected (and its memory reused) before
    // the ring is gone. This last use keeps it alive until here.
    stopValue.fill(0);
    for (let id = 0; id < sessions.maxSessions; id++) if (sessions.state(id) !== SessionState.FREE) closeSession(id);
  }
}
