// Non-blocking sockets for the readiness strategies (overlapped: poll, iocp: epoll):
// accept until the backlog is empty, and advance a session until the socket would
// block. What differs between those strategies is only how they wait.

import * as libc from './libc';
import { Next, NextIo, SessionState, SessionTable } from '../session';

/** What a session waits for after advance(): readable, writable (poll and epoll bits), or closed. */
export const WAIT_READABLE = libc.POLLIN; // === EPOLLIN
export const WAIT_WRITABLE = libc.POLLOUT; // === EPOLLOUT
export const CLOSED = 0;

/** Accepts one pending connection as a non-blocking socket; -1 once the backlog is empty. */
export function acceptNonBlocking(listenFd: number): number {
  for (;;) {
    const fd = libc.accept4(listenFd, null, null, libc.SOCK_NONBLOCK | libc.SOCK_CLOEXEC);
    if (fd >= 0) return fd;
    const code = libc.lastErrno();
    if (code === libc.EINTR || code === libc.errno.ECONNABORTED) continue;
    if (code === libc.EAGAIN) return -1;
    throw new libc.OsError('accept4', code);
  }
}

/**
 * Runs the session's steps with non-blocking read/write straight into its slot
 * until the socket would block or a response has gone out, and returns what to
 * wait for. After a response it does not read on to EAGAIN: the waits are
 * level-triggered, so bytes already pipelined are reported at once, and an
 * interactive client's next request is almost never there yet (one call saved).
 */
export function advance(sessions: SessionTable, id: number, fd: number, tableAddress: number): number {
  let next: NextIo = sessions.next(id);
  for (;;) {
    const length = sessions.ioLength(id);
    const at = tableAddress + sessions.ioOffset(id);
    const moved = next === Next.READ ? libc.read(fd, at, length) : libc.write(fd, at, length);
    if (moved < 0) {
      const code = libc.lastErrno();
      if (code === libc.EAGAIN) return next === Next.READ ? WAIT_READABLE : WAIT_WRITABLE;
      if (code === libc.EINTR) continue;
    }
    const previous = next;
    next = sessions.complete(id, moved);
    if (next === Next.CLOSE) return CLOSED;
    if (previous === Next.WRITE && next === Next.READ) return WAIT_READABLE;
  }
}

/** Closes every session still open in the table (after the serving threads have stopped). */
export function closeOpenSessions(sessions: SessionTable): void {
  for (let id = 0; id < sessions.maxSessions; id++) {
    if (sessions.state(id) === SessionState.FREE) continue;
    libc.close(sessions.handle(id));
    sessions.release(id);
  }
}
