// The client transport on Windows named pipes: CreateFileW on the pipe name, then
// blocking ReadFile/WriteFile through koffi into a buffer at a fixed address, so a
// transaction costs two or three calls. A server not there yet
// (ERROR_FILE_NOT_FOUND) is retried until the deadline.
//
// A server that exists but has no free instance (ERROR_PIPE_BUSY: the sequential
// server is serving someone else) is the named-pipe form of a Unix listen
// backlog: the client counts as connected, and its first transaction waits in
// WaitNamedPipeW for an instance, with no deadline, exactly as a Unix client's
// first request waits to be accepted. Without this, clients that must all be
// connected before any starts (the harness's barrier) would wait for a server
// that serves nobody until they start. A WaitNamedPipeW that fails ends the
// connection with its error rather than being called again at once: retried, a
// failure that returns immediately would spin a core for as long as the server is
// busy (only NMPWAIT_WAIT_FOREVER's normal return, an instance free, loops).
//
// The client opens the pipe with SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
// as the CreateFile documentation asks of pipe clients: the server may learn who
// the client is, never act as it. (Wine ignores the flags: a server there
// impersonates any client fully; test/win32-pipe-name.test.ts shows both.)

import * as k32 from './kernel32';
import { Win32Error } from './errors';
import { addressOf, OutParams } from './memory';
import { ConnectionLost, ConnectOptions, REPLY_BYTES_MAX, REQUEST_BYTES_MAX, resultAfterStatus, Transport } from '../../clients/transport';

const RETRY_MS = 20;
const CLIENT_FLAGS = k32.SECURITY_SQOS_PRESENT | k32.SECURITY_IDENTIFICATION;

export function connect(address: string, options: ConnectOptions): Transport {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const pipe = k32.CreateFileW(address, k32.GENERIC_READ | k32.GENERIC_WRITE, 0, null, k32.OPEN_EXISTING, CLIENT_FLAGS, 0);
    if (pipe !== k32.INVALID_HANDLE_VALUE) return new PipeTransport(address, pipe);
    const code = k32.GetLastError();
    if (code === k32.ERROR_PIPE_BUSY) return new PipeTransport(address, k32.INVALID_HANDLE_VALUE);
    const left = deadline - Date.now();
    if (code !== k32.ERROR_FILE_NOT_FOUND || left <= 0) throw new Win32Error('CreateFileW', code, address);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(RETRY_MS, left));
  }
}

/** Opens the pipe once an instance is free; the server vanishing meanwhile loses the connection. */
function openWhenFree(address: string): number {
  for (;;) {
    const pipe = k32.CreateFileW(address, k32.GENERIC_READ | k32.GENERIC_WRITE, 0, null, k32.OPEN_EXISTING, CLIENT_FLAGS, 0);
    if (pipe !== k32.INVALID_HANDLE_VALUE) return pipe;
    const code = k32.GetLastError();
    if (code !== k32.ERROR_PIPE_BUSY) throw new ConnectionLost(new Win32Error('CreateFileW', code, address).message);
    // Returns when an instance is free (another client may still take it first: try again).
    if (k32.WaitNamedPipeW(address, NMPWAIT_WAIT_FOREVER) === 0) {
      const waitCode = k32.GetLastError();
      if (waitCode === k32.ERROR_FILE_NOT_FOUND) throw new ConnectionLost(`the server of ${address} went away while this client waited for a free instance`);
      throw new ConnectionLost(new Win32Error('WaitNamedPipeW', waitCode, address).message);
    }
  }
}
const NMPWAIT_WAIT_FOREVER = 0xffffffff;
const CLOSED = 0; // NULL: every call on it fails, as on a closed socket

class PipeTransport implements Transport {
  readonly request: DataView;
  readonly reply: DataView;
  private readonly requestAt: number;
  private readonly replyAt: number;
  private readonly out = new OutParams();

  constructor(
    private readonly address: string,
    /** INVALID_HANDLE_VALUE until an instance is free (see the top of this file). */
    private pipe: number,
  ) {
    const memory = new Uint8Array(new SharedArrayBuffer(REQUEST_BYTES_MAX + REPLY_BYTES_MAX));
    this.request = new DataView(memory.buffer, 0, REQUEST_BYTES_MAX);
    this.reply = new DataView(memory.buffer, REQUEST_BYTES_MAX, REPLY_BYTES_MAX);
    this.requestAt = addressOf(memory);
    this.replyAt = this.requestAt + REQUEST_BYTES_MAX;
  }

  roundTrip(requestBytes: number, okResultBytes: number): number {
    if (this.pipe === k32.INVALID_HANDLE_VALUE) this.pipe = openWhenFree(this.address);
    const out = this.out;
    let sent = 0;
    while (sent < requestBytes) {
      if (k32.WriteFile(this.pipe, this.requestAt + sent, requestBytes - sent, out.dword, null) === 0) this.lost('WriteFile');
      sent += out.dwordValue;
    }
    // As on Unix sockets (posix/socket-transport.ts): status and result in one
    // ReadFile when both have arrived; a byte-mode pipe returns what is there.
    const most = 4 + okResultBytes;
    let want = 4;
    let got = 0;
    while (got < want) {
      if (k32.ReadFile(this.pipe, this.replyAt + got, most - got, out.dword, null) === 0) this.lost('ReadFile');
      got += out.dwordValue;
      if (got >= 4 && want === 4 && okResultBytes > 0 && this.reply.getInt32(0, true) === 0) want = most;
    }
    const status = this.reply.getInt32(0, true);
    if (got > want) throw new ConnectionLost(resultAfterStatus(status, got - 4));
    return status;
  }

  expectClosed(): boolean {
    if (this.pipe === k32.INVALID_HANDLE_VALUE) this.pipe = openWhenFree(this.address);
    const out = this.out;
    for (;;) {
      if (k32.ReadFile(this.pipe, this.replyAt, REPLY_BYTES_MAX, out.dword, null) === 0) {
        const code = k32.GetLastError();
        return code === k32.ERROR_BROKEN_PIPE || code === k32.ERROR_PIPE_NOT_CONNECTED;
      }
      if (out.dwordValue > 0) return false;
    }
  }

  close(): void {
    if (this.pipe !== k32.INVALID_HANDLE_VALUE && this.pipe !== CLOSED) k32.CloseHandle(this.pipe);
    this.pipe = CLOSED;
  }

  // A write after the server closed its end fails with ERROR_NO_DATA ("the pipe is being closed"), a read with ERROR_BROKEN_PIPE.
  private lost(call: string): never {
    const code = k32.GetLastError();
    throw new ConnectionLost(
      code === k32.ERROR_BROKEN_PIPE || code === k32.ERROR_PIPE_NOT_CONNECTED || code === k32.ERROR_NO_DATA
        ? `server closed the pipe during ${call}`
        : new Win32Error(call, code).message,
    );
  }
}
