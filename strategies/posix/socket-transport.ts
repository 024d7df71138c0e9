// The client transport on Unix sockets: blocking read/write through koffi into a
// buffer at a fixed address, so a transaction costs two or three system calls
// (two when the status and the result arrive together).

import * as libc from './libc';
import { ConnectionLost, ConnectOptions, REPLY_BYTES_MAX, REQUEST_BYTES_MAX, resultAfterStatus, Transport } from '../../clients/transport';

const RETRYABLE = new Set([libc.errno.ENOENT, libc.errno.ECONNREFUSED, libc.errno.EAGAIN]);

export function connect(address: string, options: ConnectOptions): Transport {
  const sockaddr = libc.sockaddrUn(address);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const fd = libc.check('socket', libc.socket(libc.AF_UNIX, libc.SOCK_STREAM | libc.SOCK_CLOEXEC, 0));
    if (libc.connect(fd, sockaddr, sockaddr.length) === 0) return new SocketTransport(fd);
    const code = libc.lastErrno();
    libc.close(fd);
    if (!RETRYABLE.has(code) || Date.now() >= deadline) throw new libc.OsError('connect', code, address);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

class SocketTransport implements Transport {
  readonly request: DataView;
  readonly reply: DataView;
  private readonly requestAt: number;
  private readonly replyAt: number;

  constructor(private fd: number) {
    const memory = new Uint8Array(new SharedArrayBuffer(REQUEST_BYTES_MAX + REPLY_BYTES_MAX));
    this.request = new DataView(memory.buffer, 0, REQUEST_BYTES_MAX);
    this.reply = new DataView(memory.buffer, REQUEST_BYTES_MAX, REPLY_BYTES_MAX);
    this.requestAt = libc.addressOf(memory);
    this.replyAt = this.requestAt + REQUEST_BYTES_MAX;
  }

  roundTrip(requestBytes: number, okResultBytes: number): number {
    let sent = 0;
    while (sent < requestBytes) {
      const n = libc.write(this.fd, this.requestAt + sent, requestBytes - sent);
      if (n <= 0) {
        if (this.interrupted(n)) continue;
        this.lost(n, 'write');
      }
      sent += n;
    }
    // The first read asks for the status and the result at once: when both have
    // arrived that is one system call instead of two. Nothing else can be in the
    // stream: the server sends nothing more before the next request.
    const most = 4 + okResultBytes;
    let want = 4;
    let got = 0;
    while (got < want) {
      const n = libc.read(this.fd, this.replyAt + got, most - got);
      if (n <= 0) {
        if (this.interrupted(n)) continue;
        this.lost(n, 'read');
      }
      got += n;
      if (got >= 4 && want === 4 && okResultBytes > 0 && this.reply.getInt32(0, true) === 0) want = most;
    }
    const status = this.reply.getInt32(0, true);
    if (got > want) throw new ConnectionLost(resultAfterStatus(status, got - 4));
    return status;
  }

  expectClosed(): boolean {
    for (;;) {
      const n = libc.read(this.fd, this.replyAt, REPLY_BYTES_MAX);
      if (n === 0) return true;
      if (n > 0) return false;
      if (libc.lastErrno() !== libc.EINTR) return libc.lastErrno() === libc.errno.ECONNRESET;
    }
  }

  close(): void {
    if (this.fd >= 0) libc.close(this.fd);
    this.fd = -1;
  }

  private interrupted(result: number): boolean {
    return result < 0 && libc.lastErrno() === libc.EINTR;
  }

  private lost(result: number, call: string): never {
    throw new ConnectionLost(result === 0 ? `server closed the connection during ${call}` : new libc.OsError(call, libc.lastErrno()).message);
  }
}
