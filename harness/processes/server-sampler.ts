// Samples the server process from outside while a cell runs: its thread count and
// peak resident memory, through the platform's process reader (/proc on Linux,
// NtGetNextThread over its own threads and K32GetProcessMemoryInfo on Windows).

import { platform } from '../../strategies/platform';
import type { ProcessReader } from '../../strategies/types';

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

export function sampleServer(pid: number): ServerSampler {
  let reader: ProcessReader;
  try {
    reader = platform.openProcess(pid);
  } catch (error) {
    const result: Sampled = { peakThreads: null, peakRssKb: null, sampling: `not measured: ${(error as Error).message}`, samples: 0 };
    return { stop: () => result };
  }
  let peakThreads = 0;
  let peakRssKb = 0;
  let samples = 0;
  let problem: string | null = null;
  const sample = () => {
    let reading;
    try {
      reading = reader.load();
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
          : { peakThreads, peakRssKb, sampling: `${reader.how}, every ${SAMPLE_INTERVAL_MS} ms${problem ? `; some reads failed: ${problem}` : ''}`, samples };
      return result;
    },
  };
}
