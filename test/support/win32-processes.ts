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

/** When the process was created (ms since the epoch); null when it is gone. */
function createdAtMs(pid: number): number | null {
  const process = k32.OpenProcess(k32.PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
  if (process === 0) return null;
  try {
    const times = new BigInt64Array(new SharedArrayBuffer(4 * 8)); // creation, exit, kernel, user
    const at = addressOf(times);
    check('GetProcessTimes', k32.GetProcessTimes(process, at, at + 8, at + 16, at + 24), `pid ${pid}`);
    return Number(times[0] / 10_000n) - EPOCH_FROM_1601_MS;
  } finally {
    k32.CloseHandle(process);
  }
}

/** FILETIMEs count 100 ns from 1601-01-01; Date from 1970-01-01. */
const EPOCH_FROM_1601_MS = 11_644_473_600_000;
/** Clocks read in two processes: a child cannot be created much before its parent was spawned. */
const CLOCK_SLACK_MS = 1000;

/**
 * Pids of the running processes whose parent is `parentPid`, created no earlier than
 * `parentStartedAtMs`: Windows keeps a parent's pid in its children after it exits,
 * and reuses pids, so an older process can name a pid that is now the parent's.
 */
export function childrenOf(parentPid: number, parentStartedAtMs: number): number[] {
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
    return pids.filter((pid) => {
      const created = createdAtMs(pid);
      return created !== null && created >= parentStartedAtMs - CLOCK_SLACK_MS;
    });
  } finally {
    k32.CloseHandle(snapshot);
  }
}
