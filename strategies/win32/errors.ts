// Win32 failures in one place: a failed kernel32 call becomes a Win32Error
// carrying the call, the GetLastError code (read right after the call) and its name.

import * as k32 from './kernel32';

// Codes pipebench meets, by name; others are shown by number.
const errorNames = new Map<number, string>([
  [0, 'ERROR_SUCCESS'],
  [2, 'ERROR_FILE_NOT_FOUND'],
  [5, 'ERROR_ACCESS_DENIED'],
  [6, 'ERROR_INVALID_HANDLE'],
  [18, 'ERROR_NO_MORE_FILES'],
  [87, 'ERROR_INVALID_PARAMETER'],
  [109, 'ERROR_BROKEN_PIPE'],
  [120, 'ERROR_CALL_NOT_IMPLEMENTED'],
  [121, 'ERROR_SEM_TIMEOUT'],
  [231, 'ERROR_PIPE_BUSY'],
  [232, 'ERROR_NO_DATA'],
  [233, 'ERROR_PIPE_NOT_CONNECTED'],
  [535, 'ERROR_PIPE_CONNECTED'],
  [536, 'ERROR_PIPE_LISTENING'],
  [995, 'ERROR_OPERATION_ABORTED'],
  [996, 'ERROR_IO_INCOMPLETE'],
  [997, 'ERROR_IO_PENDING'],
  [1168, 'ERROR_NOT_FOUND'],
]);

export function errorName(code: number): string {
  return errorNames.get(code) ?? `error ${code}`;
}

/** A failed kernel32 call: which call, the GetLastError code and its name. */
export class Win32Error extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly call: string;

  constructor(call: string, code: number, detail?: string) {
    super(`${call}${detail ? ` (${detail})` : ''} failed: ${errorName(code)} (${code})`);
    this.name = 'Win32Error';
    this.call = call;
    this.code = code;
    this.codeName = errorName(code);
  }
}

/** Throws Win32Error when a BOOL-returning call failed. */
export function check(call: string, ok: number, detail?: string): void {
  if (ok === 0) throw new Win32Error(call, k32.GetLastError(), detail);
}

/** Throws Win32Error when a HANDLE-returning call returned INVALID_HANDLE_VALUE (or NULL, for events and ports). */
export function checkHandle(call: string, handle: number, detail?: string): number {
  if (handle === k32.INVALID_HANDLE_VALUE || handle === 0) throw new Win32Error(call, k32.GetLastError(), detail);
  return handle;
}
