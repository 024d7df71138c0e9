// Process facts the test kit (spawned.ts) reads on Windows and the platform module
// does not offer: another process's handle count, and the live children of a
// process. Loaded on Windows only.

import koffi from '../../strategies/koffi';
import * as k32 from '../../strategies/win32/kernel32';
import { check, checkHandle, Win32Error } from '../../strategies/win32/errors';
import { addressOf } from '../../strategies/win32/memory';

const kernel32 = koffi.load('kernel32.dll');
const NtQuerySystemInformation = koffi.load('ntdll.dll').func('uint32_t NtQuerySystemInformation(int SystemInformationClass, void *SystemInformation, uint32_t SystemInformationLength, void *ReturnLength)') as (
  infoClass: number,
  buffer: Buffer,
  length: number,
  returned: null,
) => number;
const Process32FirstW = kernel32.func('int Process32FirstW(intptr_t hSnapshot, void *lppe)') as (snapshot: number, entry: number) => number;
const Process32NextW = kernel32.func('int Process32NextW(intptr_t hSnapshot, void *lppe)') as (snapshot: number, entry: number) => number;

const TH32CS_SNAPPROCESS = 0x2;
/** PROCESSENTRY32W on x64: dwSize@0, th32ProcessID@8, th32ParentProcessID@32, szExeFile@44 (260 WCHARs); 568 bytes. */
const PROCESSENTRY32W_BYTES = 568;

/** SystemExtendedHandleInformation: NumberOfHandles@0, then 40-byte entries from 16, each with UniqueProcessId@8. */
const SystemExtendedHandleInformation = 64;
const HANDLE_ENTRY_BYTES = 40;
const FIRST_ENTRY = 16;
const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004;

/**
 * How many handles the process holds (its open pipes, files, threads, events...),
 * counted in the system's handle table: GetProcessHandleCount is a stub under
 * Wine 8 (it returns 0 for every process), the handle table is not.
 */
export function handleCount(pid: number): number {
  for (let bytes = 1 << 20; ; bytes *= 2) {
    const table = Buffer.alloc(bytes);
    const status = NtQuerySystemInformation(SystemExtendedHandleInformation, table, bytes, null);
    if (status === STATUS_INFO_LENGTH_MISMATCH) continue;
    if (status !== 0) throw new Error(`NtQuerySystemInformation(SystemExtendedHandleInformation) failed: NTSTATUS 0x${status.toString(16)}`);
    const entries = Number(table.readBigUInt64LE(0));
    let count = 0;
    for (let i = 0; i < entries; i++) if (table.readBigUInt64LE(FIRST_ENTRY + i * HANDLE_ENTRY_BYTES + 8) === BigInt(pid)) count++;
    return count;
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
