// Named-pipe instances and the blocking session loop, shared by the Win32 strategies.
//
// Ending a session: DisconnectNamedPipe discards whatever the client has not read
// yet, so when the server ends a session right after its last write (BYE,
// BAD_COMMAND) the client would lose that reply. Blocking strategies call
// FlushFileBuffers first (it returns once the client has read everything, or at
// once when the client is gone); the single-threaded ones, which must not block,
// close the instance instead (CloseHandle keeps unread data readable), after
// creating a fresh one, so the name never goes away while the server runs. Both
// behaviours were checked under Wine 8.
//
// Taking the name: a server's first instance is created with
// FILE_FLAG_FIRST_PIPE_INSTANCE and every later one without it; every instance
// rejects remote clients and carries a descriptor granting the current user only.

import koffi from '../koffi';
import { AddressInUse } from '../address';
import * as k32 from './kernel32';
import { Win32Error, check, checkHandle, errorName } from './errors';
import { OutParams, addressOf } from './memory';
import { Next, NextIo, SessionTable } from '../session';

const PIPE_BUFFER_BYTES = 4096;
// Byte mode, blocking client reads, and local clients only.
const PIPE_MODE = k32.PIPE_TYPE_BYTE | k32.PIPE_READMODE_BYTE | k32.PIPE_WAIT | k32.PIPE_REJECT_REMOTE_CLIENTS;

/**
 * What every thread of a server needs to create instances of its pipe: the name,
 * and SECURITY_ATTRIBUTES (shared memory, one address in every thread) whose
 * descriptor grants access to the current user only. releasePipe frees it at stop.
 */
export interface PipeSpec {
  name: string;
  attributes: SharedArrayBuffer;
  attributesAddress: number;
}

/**
 * Takes the name: creates the server's first instance with
 * FILE_FLAG_FIRST_PIPE_INSTANCE, so a name that exists already (whoever holds it)
 * is refused instead of joined. Wine 8 ignores that flag, so an instance count
 * above one after creation is refused too. Throws one line naming the pipe.
 */
export function claimPipe(name: string, overlapped: boolean, maxInstances = k32.PIPE_UNLIMITED_INSTANCES): { pipe: PipeSpec; first: number } {
  const pipe = pipeSpec(name);
  try {
    const first = k32.CreateNamedPipeW(name, openMode(overlapped) | k32.FILE_FLAG_FIRST_PIPE_INSTANCE, PIPE_MODE, maxInstances, PIPE_BUFFER_BYTES, PIPE_BUFFER_BYTES, 0, pipe.attributesAddress);
    if (first === k32.INVALID_HANDLE_VALUE) {
      const code = k32.GetLastError();
      if (code !== k32.ERROR_ACCESS_DENIED && code !== k32.ERROR_PIPE_BUSY) throw new Win32Error('CreateNamedPipeW', code, name);
      throw new AddressInUse(`${inUse(name)} (CreateNamedPipeW with FILE_FLAG_FIRST_PIPE_INSTANCE: ${errorName(code)} (${code}))`);
    }
    const out = new OutParams();
    check('GetNamedPipeHandleStateW', k32.GetNamedPipeHandleStateW(first, null, out.dword, null, null, null, 0), name);
    if (out.dwordValue > 1) {
      k32.CloseHandle(first);
      throw new AddressInUse(`${inUse(name)} (it has ${out.dwordValue - 1} other instance(s): FILE_FLAG_FIRST_PIPE_INSTANCE did not refuse the name, as under Wine)`);
    }
    return { pipe, first };
  } catch (error) {
    releasePipe(pipe);
    throw error;
  }
}

function inUse(name: string): string {
  return `another process already has a pipe named ${name}`;
}

/** Creates a later instance of the server's pipe (the first one comes from claimPipe). */
export function createInstance(pipe: PipeSpec, overlapped: boolean, maxInstances = k32.PIPE_UNLIMITED_INSTANCES): number {
  const handle = k32.CreateNamedPipeW(pipe.name, openMode(overlapped), PIPE_MODE, maxInstances, PIPE_BUFFER_BYTES, PIPE_BUFFER_BYTES, 0, pipe.attributesAddress);
  return checkHandle('CreateNamedPipeW', handle, pipe.name);
}

/**
 * The listening step of a server with one accepting thread: an overlapped
 * ConnectNamedPipe on `first` (the instance that claimed the name) or on a fresh
 * instance; whether a client was there already (then no event fires: the caller
 * signals its own). A client that opened the instance and closed it before
 * ConnectNamedPipe leaves it ERROR_NO_DATA: that instance is closed once a fresh
 * one listens, so the name never goes away.
 */
export function listenForClient(pipe: PipeSpec, first: number, overlappedAddress: () => number): { instance: number; connectedAtOnce: boolean } {
  for (let candidate = first, gone = 0; ; candidate = 0) {
    const instance = candidate || createInstance(pipe, true);
    if (gone !== 0) k32.CloseHandle(gone);
    const connected = k32.ConnectNamedPipe(instance, overlappedAddress()) !== 0;
    const code = connected ? k32.ERROR_SUCCESS : k32.GetLastError();
    if (code === k32.ERROR_NO_DATA) {
      gone = instance;
      continue;
    }
    if (!connected && code !== k32.ERROR_PIPE_CONNECTED && code !== k32.ERROR_IO_PENDING) throw new Win32Error('ConnectNamedPipe', code);
    return { instance, connectedAtOnce: connected || code === k32.ERROR_PIPE_CONNECTED };
  }
}

function openMode(overlapped: boolean): number {
  return k32.PIPE_ACCESS_DUPLEX | (overlapped ? k32.FILE_FLAG_OVERLAPPED : 0);
}

/** Frees the security descriptor, once every thread that creates instances has stopped. */
export function releasePipe(pipe: PipeSpec): void {
  const words = new BigInt64Array(pipe.attributes);
  if (words[1] !== 0n) k32.LocalFree(Number(words[1]));
  words[1] = 0n;
}

/** The DACL every instance gets: full access for the current user, nobody else (P: no inherited entries). */
export function userOnlySddl(sid: string): string {
  return `D:P(A;;GA;;;${sid})`;
}

function pipeSpec(name: string): PipeSpec {
  const sddl = userOnlySddl(currentUserSid());
  const out = new OutParams();
  check(
    'ConvertStringSecurityDescriptorToSecurityDescriptorW',
    k32.ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, k32.SDDL_REVISION_1, out.pointer, null),
    sddl,
  );
  const attributes = new SharedArrayBuffer(k32.SECURITY_ATTRIBUTES_BYTES);
  new Uint32Array(attributes)[0] = k32.SECURITY_ATTRIBUTES_BYTES; // nLength; bInheritHandle stays FALSE
  new BigInt64Array(attributes)[1] = BigInt(out.pointerValue); // lpSecurityDescriptor
  return { name, attributes, attributesAddress: addressOf(new Uint32Array(attributes)) };
}

/** The current user's SID as a string (S-1-5-21-...), from the process token. */
export function currentUserSid(): string {
  const out = new OutParams();
  check('OpenProcessToken', k32.OpenProcessToken(k32.GetCurrentProcess(), k32.TOKEN_QUERY, out.pointer));
  const token = out.pointerValue;
  try {
    // TOKEN_USER (its PSID first) with the SID right after it; a SID is at most 68 bytes.
    const user = new BigInt64Array(new SharedArrayBuffer(256));
    check('GetTokenInformation', k32.GetTokenInformation(token, k32.TokenUser, addressOf(user), user.byteLength, out.dword), 'TokenUser');
    check('ConvertSidToStringSidW', k32.ConvertSidToStringSidW(Number(user[0]), out.pointer));
    const text = out.pointerValue;
    try {
      return koffi.decode.string16(BigInt(text)) as string;
    } finally {
      k32.LocalFree(text);
    }
  } finally {
    k32.CloseHandle(token);
  }
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
