// For the Win32 test helpers (run under the Windows node): opens a client end of a
// named pipe straight through kernel32, waiting for the server to create it
// (ERROR_FILE_NOT_FOUND) or to free an instance (ERROR_PIPE_BUSY) until the deadline.

import * as k32 from '../../strategies/win32/kernel32';
import { Win32Error } from '../../strategies/win32/errors';

const RETRY_MS = 20;
const BUSY_WAIT_MS = 1000;

export function openPipe(name: string, timeoutMs: number): number {
  const deadline = Date.now() + timeoutMs;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const pipe = k32.CreateFileW(name, k32.GENERIC_READ | k32.GENERIC_WRITE, 0, null, k32.OPEN_EXISTING, 0, 0);
    if (pipe !== k32.INVALID_HANDLE_VALUE) return pipe;
    const code = k32.GetLastError();
    if (Date.now() > deadline || (code !== k32.ERROR_PIPE_BUSY && code !== k32.ERROR_FILE_NOT_FOUND)) throw new Win32Error('CreateFileW', code, name);
    if (code === k32.ERROR_PIPE_BUSY) k32.WaitNamedPipeW(name, BUSY_WAIT_MS);
    else Atomics.wait(sleeper, 0, 0, RETRY_MS);
  }
}
