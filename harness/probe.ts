// The responsiveness probe: a separate process that, while a cell runs, asks for
// short sleeps and records how late it wakes up. A machine drowning in runnable
// threads wakes it late; that is the "machine became unusable" of the seed
// experiment, measured. The sleeping runs in a worker thread so the process's
// main thread stays free for the harness's messages.
//
// Harness side: Probe.spawn() -> record() when the cell's clients are released ->
// finish() when they are done (the probe exits; reapAll() covers every other way out).

import * as fs from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { decodeHistogram, encodeHistogram, newHistogram } from '../clients/histogram';
import { tail } from './output';
import { Child, describeExit, forkPipebench } from './processes';
import type { Responsiveness } from './results';

export const PROBE_SLEEP_MS = 1;

type ProbeMessage = { type: 'ready' } | { type: 'report'; histogram: string };
type ToProbeMessage = { type: 'record' } | { type: 'finish' };

// Control word shared by the probe's two threads (0: sleeping, not recording yet).
const RECORDING = 1;
const FINISHING = 2;

interface ProbeWorkerData {
  control: Int32Array;
  sleepMs: number;
}

/** `pipebench probe` (hidden): the probe process itself. */
export function probeMain(sleepMs: number): void {
  const control = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(__filename, { workerData: { control, sleepMs } satisfies ProbeWorkerData });
  const finish = () => Atomics.store(control, 0, FINISHING);
  worker.once('message', (histogram: string) => {
    const report: ProbeMessage = { type: 'report', histogram };
    if (process.send && process.connected) process.send(report, undefined, {}, () => process.disconnect());
  });
  worker.once('error', (error) => {
    process.stderr.write(`probe: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
  process.on('message', (message: ToProbeMessage) => {
    if (message.type === 'record') Atomics.store(control, 0, RECORDING);
    else if (message.type === 'finish') finish();
  });
  // A harness that went away must not leave a probe behind.
  process.once('disconnect', finish);
  process.send?.({ type: 'ready' } satisfies ProbeMessage);
}

/** The sleeping loop (in the probe's worker thread). */
function sleepLoop({ control, sleepMs }: ProbeWorkerData): void {
  const histogram = newHistogram();
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const state = Atomics.load(control, 0);
    if (state === FINISHING) break;
    const asleepAt = performance.now();
    Atomics.wait(sleeper, 0, 0, sleepMs);
    const latenessNs = Math.round((performance.now() - asleepAt - sleepMs) * 1e6);
    if (state === RECORDING) histogram.recordValue(latenessNs > 0 ? latenessNs : 1);
  }
  parentPort!.postMessage(encodeHistogram(histogram));
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

export class ProbeFailure extends Error {}

/** The harness's handle on one probe process. */
export class Probe {
  private report: Promise<string>;

  private constructor(
    readonly child: Child,
    logPath: string,
  ) {
    this.report = new Promise<string>((resolve, reject) => {
      child.process.on('message', (message: ProbeMessage) => {
        if (message.type === 'report') resolve(message.histogram);
      });
      void child.exited.then((exit) => reject(new ProbeFailure(`probe ${describeExit(exit)} without a report: ${tailOf(logPath)}`)));
    });
    this.report.catch(() => undefined); // awaited in finish(); an early exit must not count as unhandled
  }

  /** Starts a probe; resolves once its sleeping thread runs. Its output goes to `log`. */
  static spawn(log: { fd: number; path: string }, timeoutMs: number): Promise<Probe> {
    const child = forkPipebench(['probe', '--sleep-ms', String(PROBE_SLEEP_MS)], log.fd);
    fs.closeSync(log.fd);
    const probe = new Probe(child, log.path);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.process.kill('SIGKILL');
        reject(new ProbeFailure(`probe not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      child.process.on('message', (message: ProbeMessage) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve(probe);
      });
      void child.exited.then((exit) => {
        clearTimeout(timer);
        reject(new ProbeFailure(`probe ${describeExit(exit)} before it was ready: ${tailOf(log.path)}`));
      });
    });
  }

  /** From now on, wake-ups count. */
  record(): void {
    if (this.child.process.connected) this.child.process.send({ type: 'record' } satisfies ToProbeMessage);
  }

  /** Stops the probe and returns what it measured since record(); the probe has exited when this resolves. */
  async finish(timeoutMs: number): Promise<Responsiveness> {
    if (this.child.process.connected) this.child.process.send({ type: 'finish' } satisfies ToProbeMessage);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProbeFailure(`probe did not report within ${timeoutMs} ms`)), timeoutMs);
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
    const process = this.child.process;
    if (process.exitCode === null && process.signalCode === null) process.kill('SIGKILL');
  }
}

/** The probe on a machine where nothing of ours runs: the baseline every cell is compared with. */
export async function measureIdle(log: { fd: number; path: string }, durationMs: number, timeoutMs: number): Promise<Responsiveness> {
  const probe = await Probe.spawn(log, timeoutMs);
  try {
    probe.record();
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    return await probe.finish(timeoutMs);
  } finally {
    probe.kill();
  }
}

function tailOf(logPath: string): string {
  return tail(logPath, 3).join(' | ');
}
