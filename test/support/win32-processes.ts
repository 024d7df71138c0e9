// Process facts the test kit (spawned.ts) reads on Windows and the platform module
// does not offer: another process's handle count, and the live children of a
// process. Loaded on Windows only.

import koffi from '../../strategies/koffi';
import * as k32 from '../../strategies/win32/kernel32';
import { check, checkHandle, Win32Error } from '../../strategies/win32/errors';
import { addressOf, OutParams } from '../../strategies/win32/memory';

const kernel32 = koffi.load('kernel32.dll');
const GetProcessHandleCount = kernel32.func('int GetProcessHandleCount(intptr_t hProcess, void *pdwHandleCount)') as (process: number, count: number) => number;
const Process32FirstW = kernel32.func('int Process32FirstW(intptr_t hSnapshot, void *lppe)') as (snapshot: number, entry: number) => number;
const Process32NextW = kernel32.func('int Process32NextW(intptr_t hSnapshot, void *lppe)') as (snapshot: number, entry: number) => number;

const TH32CS_SNAPPROCESS = 0x2;
/** PROCESSENTRY32W on x64: dwSize@0, th32ProcessID@8, th32ParentProcessID@32, szExeFile@44 (260 WCHARs); 568 bytes. */
const PROCESSENTRY32W_BYTES = 568;

/** How many handles the process holds (its open pipes, files, threads, events...). */
export function handleCount(pid: number): number {
  const process = checkHandle('OpenProcess', k32.OpenProcess(k32.PROCESS_QUERY_LIMITED_INFORMATION, 0, pid), `pid ${pid}`);
  try {
    const out = new OutParams();
    check('GetProcessHandleCount', GetProcessHandleCount(process, out.dword), `pid ${pid}`);
    return out.dwordValue;
  } finally {
    k32.CloseHandle(process);
  }
}

/** Pids of the running processes whose parent is `parentPid` (Windows keeps the parent's pid after it exits). */
export function childrenOf(parentPid: number): number[] {
  const snapshot = checkHandle('CreateToolhelp32Snapshot', k32.CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0), 'TH32CS_SNAPPROCESS');
  try {
    const entry = new Uint32Array(new SharedArrayBuffer(PROCESSENTRY32W_BYTES));
    const at = addressOf(entry);
    entry[0] = PROCESSENTRY32W_BYTES;
    const pids: number[] = [];
    let call = 'Process32FirstW';
    for (let ok = Process32FirstW(snapshot, at); ok !== 0; ok = Process32NextW(snapshot, at)) {
      if (entry[8] === parentPid && entry[2] !== parentPid) pids.push(entry[2]);
      call = 'Process32NextW';
    }
    const code = k32.GetLastError();
    if (code !== k32.ERROR_NO_MORE_FILES) throw new Win32Error(call, code);
    return pids;
  } finally {
    k32.CloseHandle(snapshot);
  }
}
