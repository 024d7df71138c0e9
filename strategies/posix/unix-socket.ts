// Listening and driving Unix stream sockets, shared by the POSIX strategies.

import * as libc from './libc';
import { Next, NextIo, SessionTable } from '../session';

/** A listening Unix stream socket bound to `path` (which must not exist). */
export function listenUnix(path: string, nonBlocking = false): number {
  const fd = libc.check('socket', libc.socket(libc.AF_UNIX, libc.SOCK_STREAM | libc.SOCK_CLOEXEC | (nonBlocking ? libc.SOCK_NONBLOCK : 0), 0));
  try {
    const address = libc.sockaddrUn(path);
    libc.check('bind', libc.bind(fd, address, address.length), path);
    libc.check('listen', libc.listen(fd, libc.SOMAXCONN));
    return fd;
  } catch (error) {
    libc.close(fd);
    throw error;
  }
}

/** Accepts one connection, retrying on EINTR; returns -1 once the listening socket was shut down. */
export function acceptBlocking(listenFd: number): number {
  for (;;) {
    const fd = libc.accept4(listenFd, null, null, libc.SOCK_CLOEXEC);
    if (fd >= 0) return fd;
    const code = libc.lastErrno();
    if (code === libc.EINTR || code === libc.errno.ECONNABORTED) continue;
    if (code === libc.errno.EINVAL) return -1; // shutdown(SHUT_RDWR) woke us to stop
    throw new libc.OsError('accept4', code);
  }
}

/**
 * Serves one session to its end with blocking read/write on `fd`: the whole
 * waiting mechanism of the sequential and thread-per-client strategies.
 */
export function serveBlocking(sessions: SessionTable, id: number, fd: number, tableAddress: number): void {
  let next: NextIo = Next.READ;
  while (next !== Next.CLOSE) {
    const at = tableAddress + sessions.ioOffset(id);
    const length = sessions.ioLength(id);
    const moved = next === Next.READ ? libc.read(fd, at, length) : libc.write(fd, at, length);
    if (moved < 0 && libc.lastErrno() === libc.EINTR) continue;
    next = sessions.complete(id, moved);
  }
}
