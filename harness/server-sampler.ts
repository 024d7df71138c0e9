// Samples the server process from outside while a cell runs: its thread count and
// resident memory. On Linux both come from /proc/<pid>/status. Windows has no Node
// API for another process's thread count; there the fields are null and say so
// (a later sampler could walk CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD) entries
// whose th32OwnerProcessID is the server, and read GetProcessMemoryInfo's
// PeakWorkingSetSize, through koffi).

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
  /** Takes one last sample (call it before the server stops) and ends sampling. */
  stop(): Sampled;
}

export function sampleServer(pid: number): ServerSampler {
  if (backend === 'win32') {
    return {
      stop: () => ({
        peakThreads: null,
        peakRssKb: null,
        sampling: 'not measured on this OS: Node has no API for another process\'s threads or working set on Windows',
        samples: 0,
      }),
    };
  }
  const statusPath = `/proc/${pid}/status`;
  let peakThreads = 0;
  let peakRssKb = 0;
  let samples = 0;
  let problem: string | null = null;
  const sample = () => {
    let text: string;
    try {
      text = fs.readFileSync(statusPath, 'utf8');
    } catch (error) {
      problem ??= `${statusPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      return;
    }
    const status = parseStatus(text);
    samples++;
    peakThreads = Math.max(peakThreads, status.threads);
    peakRssKb = Math.max(peakRssKb, status.hwmKb, status.rssKb);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  return {
    stop() {
      sample();
      clearInterval(timer);
      if (samples === 0) return { peakThreads: null, peakRssKb: null, sampling: `not measured: ${problem ?? 'no sample'}`, samples };
      return {
        peakThreads,
        peakRssKb,
        sampling: `${statusPath} every ${SAMPLE_INTERVAL_MS} ms: most Threads seen, VmHWM (peak resident)${problem ? `; some reads failed: ${problem}` : ''}`,
        samples,
      };
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
