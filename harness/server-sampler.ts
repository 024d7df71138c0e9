// Samples the server process from outside while a cell runs: its thread count and
// peak resident memory. On Linux both come from /proc/<pid>/status; on Windows
// (no /proc, and Node has no API for another process's threads) from kernel32
// through koffi: a Toolhelp32 thread snapshot and K32GetProcessMemoryInfo on one
// process handle held for the whole cell.

import * as fs from 'node:fs';
import { backend } from '../strategies/platform';

export const SAMPLE_INTERVAL_MS = 50;

export interface Sampled {
  peakThreads: number | null;
  peakRssKb: number | null;
  sampling: string;
  samples: number;
}

export interface ServerSampler {
  /** Takes one last sample (call it before the server stops) and ends sampling; later calls return the same result. */
  stop(): Sampled;
}

interface Reading {
  threads: number;
  /** Peak resident memory so far (or the current figure when larger). */
  peakRssKb: number;
}

/** How one OS reads a process: `how` goes into the results; `read` throws an Error saying what failed. */
interface ProcessReader {
  how: string;
  read(): Reading;
  close(): void;
}

export function sampleServer(pid: number): ServerSampler {
  let reader: ProcessReader;
  try {
    reader = backend === 'win32' ? win32Reader(pid) : procReader(pid);
  } catch (error) {
    const result: Sampled = { peakThreads: null, peakRssKb: null, sampling: `not measured: ${(error as Error).message}`, samples: 0 };
    return { stop: () => result };
  }
  let peakThreads = 0;
  let peakRssKb = 0;
  let samples = 0;
  let problem: string | null = null;
  const sample = () => {
    let reading: Reading;
    try {
      reading = reader.read();
    } catch (error) {
      problem ??= (error as Error).message;
      return;
    }
    samples++;
    peakThreads = Math.max(peakThreads, reading.threads);
    peakRssKb = Math.max(peakRssKb, reading.peakRssKb);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  let result: Sampled | null = null;
  return {
    stop() {
      if (result) return result;
      sample();
      clearInterval(timer);
      reader.close();
      result =
        samples === 0
          ? { peakThreads: null, peakRssKb: null, sampling: `not measured: ${problem ?? 'no sample'}`, samples }
          : { peakThreads, peakRssKb, sampling: `${reader.how}${problem ? `; some reads failed: ${problem}` : ''}`, samples };
      return result;
    },
  };
}

function procReader(pid: number): ProcessReader {
  const statusPath = `/proc/${pid}/status`;
  return {
    how: `${statusPath} every ${SAMPLE_INTERVAL_MS} ms: most Threads seen, VmHWM (peak resident)`,
    read() {
      let text: string;
      try {
        text = fs.readFileSync(statusPath, 'utf8');
      } catch (error) {
        throw new Error(`${statusPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const status = parseStatus(text);
      return { threads: status.threads, peakRssKb: Math.max(status.hwmKb, status.rssKb) };
    },
    close() {},
  };
}

function win32Reader(pid: number): ProcessReader {
  // Loaded only here: kernel32.dll exists on Windows alone.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const k32 = require('../strategies/win32/kernel32') as typeof import('../strategies/win32/kernel32');
  const handle = k32.checkHandle('OpenProcess', k32.OpenProcess(k32.PROCESS_QUERY_LIMITED_INFORMATION | k32.PROCESS_VM_READ, 0, pid), `pid ${pid}`);
  const threads = new k32.ThreadCounter();
  const memory = new k32.ProcessMemoryCounters();
  return {
    how: `Toolhelp32 thread snapshot and K32GetProcessMemoryInfo every ${SAMPLE_INTERVAL_MS} ms: most threads owned by the server, PeakWorkingSetSize`,
    read() {
      const count = threads.count(pid);
      // An exited process keeps its handle readable but owns no thread.
      if (count === 0) throw new Error(`pid ${pid} has no threads (exited)`);
      memory.read(handle);
      return { threads: count, peakRssKb: Math.round(Math.max(memory.peakWorkingSetBytes, memory.workingSetBytes) / 1024) };
    },
    close() {
      k32.CloseHandle(handle);
    },
  };
}

/** Threads, VmHWM and VmRSS of a /proc/<pid>/status text. */
export function parseStatus(text: string): { threads: number; hwmKb: number; rssKb: number } {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
    if (!match) throw new Error(`/proc status has no ${name} line`);
    return Number(match[1]);
  };
  return { threads: field('Threads'), hwmKb: field('VmHWM'), rssKb: field('VmRSS') };
}
