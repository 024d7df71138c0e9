// Another process's threads, memory and CPU, read from outside through kernel32:
// a Toolhelp32 thread snapshot, K32GetProcessMemoryInfo and GetProcessTimes on
// one handle held while the process is measured. Windows keeps no per-process
// count of context switches, so those stay null.

import type { ProcessCost, ProcessLoad, ProcessReader } from '../types';
import * as k32 from './kernel32';
import { checkHandle, check, Win32Error } from './errors';
import { addressOf } from './memory';

/** THREADENTRY32: dwSize@0, cntUsage@4, th32ThreadID@8, th32OwnerProcessID@12, tpBasePri@16, tpDeltaPri@20, dwFlags@24. */
const THREADENTRY32_BYTES = 28;
/** PROCESS_MEMORY_COUNTERS on x64: cb@0, PageFaultCount@4, then SIZE_Ts: PeakWorkingSetSize@8, WorkingSetSize@16, ... */
const PROCESS_MEMORY_COUNTERS_BYTES = 72;
/** FILETIMEs in 100-ns units: creation, exit, kernel, user. */
const FILETIMES = 4;

export function openProcess(pid: number): ProcessReader {
  const handle = checkHandle('OpenProcess', k32.OpenProcess(k32.PROCESS_QUERY_LIMITED_INFORMATION | k32.PROCESS_VM_READ, 0, pid), `pid ${pid}`);
  const entry = new Uint32Array(new SharedArrayBuffer(THREADENTRY32_BYTES));
  const entryAddress = addressOf(entry);
  const memory = new BigInt64Array(new SharedArrayBuffer(PROCESS_MEMORY_COUNTERS_BYTES));
  const memoryAddress = addressOf(memory);
  const times = new BigInt64Array(new SharedArrayBuffer(FILETIMES * 8));
  const timesAddress = addressOf(times);

  // Walks one TH32CS_SNAPTHREAD snapshot (it holds every thread of the system), counting this pid's.
  const threads = (): number => {
    const snapshot = checkHandle('CreateToolhelp32Snapshot', k32.CreateToolhelp32Snapshot(k32.TH32CS_SNAPTHREAD, 0), 'TH32CS_SNAPTHREAD');
    try {
      entry[0] = THREADENTRY32_BYTES; // dwSize: Thread32First fails without it
      let count = 0;
      let call = 'Thread32First';
      for (let ok = k32.Thread32First(snapshot, entryAddress); ok !== 0; ok = k32.Thread32Next(snapshot, entryAddress)) {
        if (entry[3] === pid) count++;
        call = 'Thread32Next';
      }
      const code = k32.GetLastError();
      if (code !== k32.ERROR_NO_MORE_FILES) throw new Win32Error(call, code);
      return count;
    } finally {
      k32.CloseHandle(snapshot);
    }
  };

  return {
    how: 'Toolhelp32 thread snapshot, K32GetProcessMemoryInfo (PeakWorkingSetSize) and GetProcessTimes; no context-switch counts on Windows',
    load(): ProcessLoad {
      const threadCount = threads();
      // An exited process keeps its handle readable but owns no thread.
      if (threadCount === 0) throw new Error(`pid ${pid} has no threads (exited)`);
      memory[0] = BigInt(PROCESS_MEMORY_COUNTERS_BYTES); // cb (PageFaultCount, the upper half, is an output)
      check('K32GetProcessMemoryInfo', k32.K32GetProcessMemoryInfo(handle, memoryAddress, PROCESS_MEMORY_COUNTERS_BYTES));
      return { threads: threadCount, peakRssKb: Math.round(Math.max(Number(memory[1]), Number(memory[2])) / 1024) };
    },
    cost(): ProcessCost {
      check('GetProcessTimes', k32.GetProcessTimes(handle, timesAddress, timesAddress + 8, timesAddress + 16, timesAddress + 24));
      return {
        cpuSystemUs: Number(times[2]) / 10,
        cpuUserUs: Number(times[3]) / 10,
        voluntaryContextSwitches: null,
        involuntaryContextSwitches: null,
      };
    },
    close() {
      k32.CloseHandle(handle);
    },
  };
}
