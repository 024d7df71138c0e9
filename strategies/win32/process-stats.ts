// Another process's threads, memory and CPU, read from outside on one handle held
// while the process is measured. Windows keeps no per-process count of context
// switches, so those stay null.
//
// Threads: NtGetNextThread walks the threads of this one process. The Toolhelp32
// snapshot used before copies every thread of the SYSTEM (thousands on a desktop)
// to find the server's, and the sampler takes one 20 times a second beside the
// processes it measures; NtQuerySystemInformation(SystemProcessInformation) is
// system-wide too. Memory: PeakWorkingSetSize, a peak the OS keeps itself.
//
// CPU: QueryProcessCycleTime counts the cycles charged to every thread the process
// ever had, at each context switch, where GetProcessTimes charges whole clock ticks
// (15.6 ms by default: ~11 ticks for a server at 30 % of a core over a 600 ms
// phase). Cycles are converted at the rate measured once per process (cpu-time.ts
// cycleRateHz): this thread's own cycles over busy spins timed by
// QueryPerformanceCounter. GetProcessTimes then only splits the total between user
// and kernel. Wine does not implement QueryProcessCycleTime (ERROR_CALL_NOT_IMPLEMENTED,
// Wine 8): there the reader falls back to GetProcessTimes and says so in `how`.

import type { ProcessCost, ProcessLoad, ProcessReader } from '../types';
import * as k32 from './kernel32';
import { checkHandle, check, errorName, Win32Error } from './errors';
import { addressOf, OutParams } from './memory';
import { cycleRateHz, cyclesToUs, splitCpu } from '../cpu-time';

/** PROCESS_MEMORY_COUNTERS on x64: cb@0, PageFaultCount@4, then SIZE_Ts: PeakWorkingSetSize@8, WorkingSetSize@16, ... */
const PROCESS_MEMORY_COUNTERS_BYTES = 72;
/** FILETIMEs in 100-ns units: creation, exit, kernel, user. */
const FILETIMES = 4;
/** Calibration: the fastest of these many spins of this length (cpu-time.ts says why the fastest). */
const CALIBRATION_SPINS = 5;
const CALIBRATION_SPIN_S = 0.01;

export function openProcess(pid: number): ProcessReader {
  const handle = checkHandle('OpenProcess', k32.OpenProcess(k32.PROCESS_QUERY_INFORMATION | k32.PROCESS_VM_READ, 0, pid), `pid ${pid}`);
  const memory = new BigInt64Array(new SharedArrayBuffer(PROCESS_MEMORY_COUNTERS_BYTES));
  const memoryAddress = addressOf(memory);
  const times = new BigInt64Array(new SharedArrayBuffer(FILETIMES * 8));
  const timesAddress = addressOf(times);
  const io = new BigInt64Array(new SharedArrayBuffer(k32.IO_COUNTERS_BYTES));
  const ioAddress = addressOf(io);
  const cycles = new BigInt64Array(new SharedArrayBuffer(8));
  const cyclesAddress = addressOf(cycles);
  const out = new OutParams();

  const threads = (): number => {
    let count = 0;
    for (let thread = 0; ; count++) {
      const status = k32.NtGetNextThread(handle, thread, k32.THREAD_QUERY_LIMITED_INFORMATION, 0, 0, out.pointer);
      if (thread !== 0) k32.CloseHandle(thread);
      if (status === k32.STATUS_NO_MORE_ENTRIES) return count;
      if (status !== k32.STATUS_SUCCESS) throw new Win32Error('NtGetNextThread', k32.RtlNtStatusToDosError(status), `pid ${pid}, NTSTATUS 0x${status.toString(16)}`);
      thread = out.pointerValue;
    }
  };

  const cycleCode = k32.QueryProcessCycleTime(handle, cyclesAddress) !== 0 ? k32.ERROR_SUCCESS : k32.GetLastError();
  const hz = cycleCode === k32.ERROR_SUCCESS ? cycleRate() : 0;
  const cpuHow =
    hz > 0
      ? `QueryProcessCycleTime at ${(hz / 1e6).toFixed(1)} MHz (measured against QueryPerformanceCounter), split between user and kernel as GetProcessTimes divides it`
      : `GetProcessTimes in the OS's clock ticks, NOT nanoseconds: QueryProcessCycleTime failed with ${errorName(cycleCode)} (${cycleCode})`;

  return {
    how: `NtGetNextThread (this process's threads), K32GetProcessMemoryInfo (PeakWorkingSetSize), ${cpuHow}; no context-switch counts on Windows`,
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
      const kernelUs = Number(times[2]) / 10;
      const userUs = Number(times[3]) / 10;
      let split = { cpuUserUs: userUs, cpuSystemUs: kernelUs };
      if (hz > 0) {
        check('QueryProcessCycleTime', k32.QueryProcessCycleTime(handle, cyclesAddress), `pid ${pid}`);
        split = splitCpu(cyclesToUs(BigInt.asUintN(64, cycles[0]), hz), userUs, kernelUs);
      }
      return { ...split, voluntaryContextSwitches: null, involuntaryContextSwitches: null };
    },
    bytesWritten(): number {
      check('GetProcessIoCounters', k32.GetProcessIoCounters(handle, ioAddress));
      return Number(io[4]); // WriteTransferCount
    },
    close() {
      k32.CloseHandle(handle);
    },
  };
}

let cycleRateCache = 0;

/**
 * Cycles a second of the counter QueryProcessCycleTime reads (the invariant time-stamp
 * counter on current processors), measured once per process: this thread's own
 * cycles (QueryThreadCycleTime) over busy spins timed by QueryPerformanceCounter.
 */
function cycleRate(): number {
  if (cycleRateCache > 0) return cycleRateCache;
  const words = new BigInt64Array(new SharedArrayBuffer(8 * 3)); // frequency, counter, cycles
  const at = addressOf(words);
  check('QueryPerformanceFrequency', k32.QueryPerformanceFrequency(at));
  const ticksPerSecond = Number(words[0]);
  const thread = k32.GetCurrentThread();
  const spins: { cycles: bigint; seconds: number }[] = [];
  for (let spin = 0; spin < CALIBRATION_SPINS; spin++) {
    check('QueryThreadCycleTime', k32.QueryThreadCycleTime(thread, at + 16));
    const startCycles = words[2];
    check('QueryPerformanceCounter', k32.QueryPerformanceCounter(at + 8));
    const startTicks = words[1];
    const endTicks = startTicks + BigInt(Math.round(CALIBRATION_SPIN_S * ticksPerSecond));
    do k32.QueryPerformanceCounter(at + 8);
    while (words[1] < endTicks);
    const seconds = Number(words[1] - startTicks) / ticksPerSecond;
    check('QueryThreadCycleTime', k32.QueryThreadCycleTime(thread, at + 16));
    spins.push({ cycles: words[2] - startCycles, seconds });
  }
  cycleRateCache = cycleRateHz(spins);
  return cycleRateCache;
}
