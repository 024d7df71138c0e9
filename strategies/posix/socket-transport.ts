// The client transport on Unix sockets: blocking read/write through koffi into a
// buffer at a fixed address, so a transaction costs two or three system calls
// (two when the status and the result arrive together). uring-transport.ts puts
// the write and the first read into one system call where the kernel allows; the
// rest of a transaction (a short write, a result that arrives after its status,
// the end of the conversation) is read and written here.

import * as libc from './libc';
import { ConnectionLost, ConnectOptions, REPLY_BYTES_MAX, REQUEST_BYTES_MAX, resultAfterStatus, Transport } from '../../clients/transport';

const RETRYABLE = new Set([libc.errno.ENOENT, libc.errno.ECONNREFUSED, libc.errno.EAGAIN]);

/** A connected socket's fd, retrying a server that is not there yet until the deadline. */
export function connectSocket(address: string, options: ConnectOptions): number {
  const sockaddr = libc.sockaddrUn(address);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const fd = libc.check('socket', libc.socket(libc.AF_UNIX, libc.SOCK_STREAM | libc.SOCK_CLOEXEC, 0));
    if (libc.connect(fd, sockaddr, sockaddr.length) === 0) return fd;
    const code = libc.lastErrno();
    libc.close(fd);
    if (!RETRYABLE.has(code) || Date.now() >= deadline) throw new libc.OsError('connect', code, address);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

export class SocketTransport implements Transport {
  readonly request: DataView;
  readonly reply: DataView;
  protected readonly requestAt: number;
  protected readonly replyAt: number;

  constructor(protected fd: number) {
    const memory = new Uint8Array(new SharedArrayBuffer(REQUEST_BYTES_MAX + REPLY_BYTES_MAX));
    this.request = new DataView(memory.buffer, 0, REQUEST_BYTES_MAX);
    this.reply = new DataView(memory.buffer, REQUEST_BYTES_MAX, REPLY_BYTES_MAX);
    this.requestAt = libc.addressOf(memory);
    this.replyAt = this.requestAt + REQUEST_BYTES_MAX;
  }

  roundTrip(requestBytes: number, okResultBytes: number): number {
    this.finishWriting(0, requestBytes);
    return this.finishReading(0, okResultBytes);
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

  /** Writes the request from byte `sent` on. */
  protected finishWriting(sent: number, requestBytes: number): void {
    while (sent < requestBytes) {
      const n = libc.write(this.fd, this.requestAt + sent, requestBytes - sent);
      if (n <= 0 && this.retry(n, 'write')) continue;
      sent += n;
    }
  }

  /**
   * Reads the answer, `got` bytes of which have arrived, and returns its status.
   * Each read asks for the status and the result at once: when both have arrived
   * that is one system call instead of two. Nothing else can be in the stream:
   * the server sends nothing more before the next request.
   */
  protected finishReading(got: number, okResultBytes: number): number {
    const most = 4 + okResultBytes;
    let want = this.wanted(got, okResultBytes);
    while (got < want) {
      const n = libc.read(this.fd, this.replyAt + got, most - got);
      if (n <= 0 && this.retry(n, 'read')) continue;
      got += n;
      want = this.wanted(got, okResultBytes);
    }
    const status = this.reply.getInt32(0, true);
    if (got > want) throw new ConnectionLost(resultAfterStatus(status, got - 4));
    return status;
  }

  /** The answer's length as far as `got` bytes tell: the status, and the result once the status says OK. */
  private wanted(got: number, okResultBytes: number): number {
    return got >= 4 && okResultBytes > 0 && this.reply.getInt32(0, true) === 0 ? 4 + okResultBytes : 4;
  }

  /** After a call returned `n` <= 0: true when it was interrupted (call again), else throws ConnectionLost. */
  private retry(n: number, call: string): true {
    if (n < 0 && libc.lastErrno() === libc.EINTR) return true;
    this.lost(call, n < 0 ? libc.lastErrno() : 0);
  }

  /** `code` 0: the server closed the connection. */
  protected lost(call: string, code: number): never {
    throw new ConnectionLost(code === 0 ? `server closed the connection during ${call}` : new libc.OsError(call, code).message);
  }
}
