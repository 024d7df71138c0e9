// The responsiveness probe: a separate process that, while a cell runs, asks for
// short sleeps and records how late it wakes up. A machine drowning in runnable
// threads wakes it late; that is the "machine became unusable" of the seed
// experiment, measured. The sleeping runs in a worker thread so the process's
// main thread stays free for the harness's messages.
//
// Harness side: Probe.spawn() (ready once the sleeping thread runs) -> record(from,
// to), a window on the shared clock (the measured phase) -> finish() (the probe
// reports and exits; reapAll() covers every other way out).

import * as os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { decodeHistogram, encodeHistogram, newHistogram } from '../../clients/histogram';
import { clockOffsetMs, sharedNowMs } from '../../clients/clock';
import { ProbeMessage, probeMessageSchema, ToProbeMessage } from '../../contract/messages';
import { Child, ChildFailure, forkChild, Log } from './processes';
import type { Responsiveness } from '../schema/results';
import { busyCpuShare } from '../measure/cpu-share';

export const PROBE_SLEEP_MS = 1;

// Shared by the probe's two threads: [FINISHING flag], and the window to record (shared-clock ms).
const FINISHING = 0;
const FROM = 0;
const TO = 1;

interface ProbeWorkerData {
  control: Int32Array;
  window: Float64Array;
  sleepMs: number;
}

/** The probe process itself (a child of the harness). */
export function probeMain(sleepMs: number): void {
  const control = new Int32Array(new SharedArrayBuffer(4));
  const window = new Float64Array(new SharedArrayBuffer(16)).fill(Infinity);
  const worker = new Worker(__filename, { workerData: { control, window, sleepMs } satisfies ProbeWorkerData });
  const finish = () => Atomics.store(control, FINISHING, 1);
  worker.on('message', (message: 'running' | { histogram: string }) => {
    // "ready" only once the sleeping thread runs, so a window that starts now is measured from its start.
    if (message === 'running') process.send?.({ type: 'ready' } satisfies ProbeMessage);
    else if (process.send && process.connected) process.send({ type: 'report', histogram: message.histogram } satisfies ProbeMessage, undefined, {}, () => process.disconnect());
  });
  worker.once('error', (error) => {
    process.stderr.write(`probe: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
  process.on('message', (message: ToProbeMessage) => {
    if (message.type === 'record') {
      window[FROM] = message.fromMs;
      window[TO] = message.toMs;
    } else if (message.type === 'finish') finish();
  });
  // A harness that went away must not leave a probe behind.
  process.once('disconnect', finish);
}

/** The sleeping loop (in the probe's worker thread). */
function sleepLoop({ control, window, sleepMs }: ProbeWorkerData): void {
  const histogram = newHistogram();
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const offsetMs = clockOffsetMs();
  parentPort!.postMessage('running');
  while (Atomics.load(control, FINISHING) === 0) {
    const asleepAt = performance.now();
    Atomics.wait(sleeper, 0, 0, sleepMs);
    const awakeAt = performance.now();
    const latenessNs = Math.round((awakeAt - asleepAt - sleepMs) * 1e6);
    // A sleep counts when it began and ended inside the window.
    if (asleepAt + offsetMs >= window[FROM] && awakeAt + offsetMs <= window[TO]) histogram.recordValue(latenessNs > 0 ? latenessNs : 1);
  }
  parentPort!.postMessage({ histogram: encodeHistogram(histogram) });
}

if (!isMainThread && (workerData as ProbeWorkerData | undefined)?.control instanceof Int32Array) sleepLoop(workerData as ProbeWorkerData);

export function summarizeLateness(encoded: string, sleepMs: number): Responsiveness {
  const histogram = decodeHistogram(encoded);
  const empty = histogram.totalCount === 0;
  return {
    sleepMs,
    samples: histogram.totalCount,
    p50LatenessNs: histogram.getValueAtPercentile(50),
    p99LatenessNs: histogram.getValueAtPercentile(99),
    maxLatenessNs: histogram.maxValue,
    meanLatenessNs: empty ? 0 : Math.round(histogram.mean),
  };
}

/** The harness's handle on one probe process. */
export class Probe {
  private report: Promise<string>;

  private constructor(readonly child: Child<ProbeMessage>) {
    this.report = child.waitFor((message) => message.type === 'report', 2 ** 31 - 1, 'a report').then((message) => (message.type === 'report' ? message.histogram : ''));
    this.report.catch(() => undefined); // awaited in finish(); an early exit must not count as unhandled
  }

  /** Starts a probe; resolves once its sleeping thread runs. Its output goes to `log`. */
  static async spawn(log: Log, timeoutMs: number): Promise<Probe> {
    const child = forkChild({ role: 'probe', sleepMs: PROBE_SLEEP_MS }, log, probeMessageSchema);
    const probe = new Probe(child);
    try {
      await child.waitFor((message) => message.type === 'ready', timeoutMs, 'probe ready');
    } catch (error) {
      child.kill();
      throw error;
    }
    return probe;
  }

  /** Wake-ups between these two moments (shared clock) count. */
  record(fromMs: number, toMs: number): void {
    if (this.child.process.connected) this.child.process.send({ type: 'record', fromMs, toMs } satisfies ToProbeMessage);
  }

  /** Stops the probe and returns what it measured since record(); the probe has exited when this resolves. */
  async finish(timeoutMs: number): Promise<Responsiveness> {
    if (this.child.process.connected) this.child.process.send({ type: 'finish' } satisfies ToProbeMessage);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ChildFailure(`probe did not report within ${timeoutMs} ms`)), timeoutMs);
      });
      const encoded = await Promise.race([this.report, timeout]);
      await Promise.race([this.child.exited, timeout]);
      return summarizeLateness(encoded, PROBE_SLEEP_MS);
    } finally {
      clearTimeout(timer);
      this.kill();
    }
  }

  kill(): void {
    this.child.kill();
  }
}

export interface IdleMachineReading {
  responsiveness: Responsiveness;
  /** Share of every core in use over the probe's window (the probe's own sleeps included, about 1%). */
  busyCpuShare: number | null;
}

/** The probe on a machine where nothing of ours runs: the baseline every cell is compared with. */
export async function measureIdle(log: Log, durationMs: number, timeoutMs: number): Promise<IdleMachineReading> {
  const probe = await Probe.spawn(log, timeoutMs);
  try {
    const fromMs = sharedNowMs();
    probe.record(fromMs, fromMs + durationMs);
    const cpusBefore = os.cpus().map((cpu) => cpu.times);
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    const busy = busyCpuShare(cpusBefore, os.cpus().map((cpu) => cpu.times));
    return { responsiveness: await probe.finish(timeoutMs), busyCpuShare: busy };
  } finally {
    probe.kill();
  }
}
