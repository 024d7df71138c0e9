// Named-pipe instances and the blocking session loop, shared by the Win32 strategies.
//
// Ending a session: DisconnectNamedPipe discards whatever the client has not read
// yet, so when the server ends a session right after its last write (BYE,
// BAD_COMMAND) the client would lose that reply. Blocking strategies call
// FlushFileBuffers first (it returns once the client has read everything, or at
// once when the client is gone); the single-threaded ones, which must not block,
// close the instance instead (CloseHandle keeps unread data readable) and create a
// fresh one. Both behaviours were checked under Wine 8.

import * as k32 from './kernel32';
import { Win32Error, checkHandle } from './errors';
import { OutParams } from './memory';
import { Next, NextIo, SessionTable } from '../session';

const PIPE_BUFFER_BYTES = 4096;

/** Creates one instance of the pipe `name` (byte mode, blocking client reads). */
export function createInstance(name: string, overlapped: boolean, maxInstances = k32.PIPE_UNLIMITED_INSTANCES): number {
  const openMode = k32.PIPE_ACCESS_DUPLEX | (overlapped ? k32.FILE_FLAG_OVERLAPPED : 0);
  const pipeMode = k32.PIPE_TYPE_BYTE | k32.PIPE_READMODE_BYTE | k32.PIPE_WAIT;
  return checkHandle('CreateNamedPipeW', k32.CreateNamedPipeW(name, openMode, pipeMode, maxInstances, PIPE_BUFFER_BYTES, PIPE_BUFFER_BYTES, 0, null), name);
}

/**
 * Waits (blocking) for a client on a non-overlapped instance. True when one is
 * connected; false when the wait was cancelled (CancelIoEx at stop) or the client
 * left before we saw it (ERROR_NO_DATA: disconnect and wait again).
 */
export function connectBlocking(pipe: number): boolean {
  if (k32.ConnectNamedPipe(pipe, null) !== 0) return true;
  const code = k32.GetLastError();
  if (code === k32.ERROR_PIPE_CONNECTED) return true;
  if (code === k32.ERROR_OPERATION_ABORTED || code === k32.ERROR_NO_DATA) return false;
  throw new Win32Error('ConnectNamedPipe', code);
}

/**
 * Serves one session to its end with blocking ReadFile/WriteFile straight into
 * the session's slot: the whole waiting mechanism of sequential and
 * thread-per-client. Any failure (ERROR_BROKEN_PIPE, ERROR_OPERATION_ABORTED at
 * stop) ends the session as end of stream does.
 */
export function serveBlocking(sessions: SessionTable, id: number, pipe: number, tableAddress: number, out: OutParams): void {
  let next: NextIo = Next.READ;
  while (next !== Next.CLOSE) {
    const at = tableAddress + sessions.ioOffset(id);
    const length = sessions.ioLength(id);
    const ok = next === Next.READ ? k32.ReadFile(pipe, at, length, out.dword, null) : k32.WriteFile(pipe, at, length, out.dword, null);
    next = sessions.complete(id, ok !== 0 ? out.dwordValue : 0);
  }
}

/** Ends a blocking session and leaves the instance ready for ConnectNamedPipe again. */
export function disconnectAfterFlush(pipe: number): void {
  k32.FlushFileBuffers(pipe); // fails at once (ERROR_BROKEN_PIPE) when the client already left
  k32.DisconnectNamedPipe(pipe);
}
