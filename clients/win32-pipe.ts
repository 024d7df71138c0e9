// The client transport on Windows named pipes: CreateFileW on the pipe name, then
// blocking ReadFile/WriteFile through koffi into a buffer at a fixed address, so a
// transaction costs two or three calls. A busy server (no free instance) is waited
// for with WaitNamedPipeW; a server not there yet is retried until the deadline.

import * as k32 from '../strategies/win32/kernel32';
import { ConnectionLost, ConnectOptions, REPLY_BYTES_MAX, REQUEST_BYTES_MAX, Transport } from './transport';

const RETRY_MS = 20;

export function connect(address: string, options: ConnectOptions): Transport {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const pipe = k32.CreateFileW(address, k32.GENERIC_READ | k32.GENERIC_WRITE, 0, null, k32.OPEN_EXISTING, 0, 0);
    if (pipe !== k32.INVALID_HANDLE_VALUE) return new PipeTransport(pipe);
    const code = k32.GetLastError();
    const left = deadline - Date.now();
    if ((code !== k32.ERROR_PIPE_BUSY && code !== k32.ERROR_FILE_NOT_FOUND) || left <= 0) {
      throw new k32.Win32Error('CreateFileW', code, address);
    }
    if (code === k32.ERROR_PIPE_BUSY) {
      // Returns when an instance is free, or fails on timeout; either way try again
      // (another client may take the instance first).
      k32.WaitNamedPipeW(address, Math.max(1, Math.min(left, 0x7fffffff)));
    } else {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(RETRY_MS, left));
    }
  }
}

class PipeTransport implements Transport {
  readonly request: DataView;
  readonly reply: DataView;
  private readonly requestAt: number;
  private readonly replyAt: number;
  private readonly out = new k32.OutParams();

  constructor(private pipe: number) {
    const memory = new Uint8Array(new SharedArrayBuffer(REQUEST_BYTES_MAX + REPLY_BYTES_MAX));
    this.request = new DataView(memory.buffer, 0, REQUEST_BYTES_MAX);
    this.reply = new DataView(memory.buffer, REQUEST_BYTES_MAX, REPLY_BYTES_MAX);
    this.requestAt = k32.addressOf(memory);
    this.replyAt = this.requestAt + REQUEST_BYTES_MAX;
  }

  roundTrip(requestBytes: number, okResultBytes: number): number {
    const out = this.out;
    let sent = 0;
    while (sent < requestBytes) {
      if (k32.WriteFile(this.pipe, this.requestAt + sent, requestBytes - sent, out.dword, null) === 0) this.lost('WriteFile');
      sent += out.dwordValue;
    }
    let want = 4;
    let got = 0;
    while (got < want) {
      if (k32.ReadFile(this.pipe, this.replyAt + got, want - got, out.dword, null) === 0) this.lost('ReadFile');
      got += out.dwordValue;
      if (got >= 4 && want === 4 && okResultBytes > 0 && this.reply.getInt32(0, true) === 0) want = 4 + okResultBytes;
    }
    return this.reply.getInt32(0, true);
  }

  expectClosed(): boolean {
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
    if (this.pipe !== k32.INVALID_HANDLE_VALUE) k32.CloseHandle(this.pipe);
    this.pipe = k32.INVALID_HANDLE_VALUE;
  }

  private lost(call: string): never {
    const code = k32.GetLastError();
    throw new ConnectionLost(
      code === k32.ERROR_BROKEN_PIPE || code === k32.ERROR_PIPE_NOT_CONNECTED
        ? `server closed the pipe during ${call}`
        : new k32.Win32Error(call, code).message,
    );
  }
}
