// The load of one client process under the harness, in a worker thread so the
// process's main thread stays free for the harness's messages. It connects, waits
// for "go", and runs its workload back to back through the phases the harness
// sets in shared memory (see phases.ts): warm-up and the measured phase without
// pause, then the script, then BYE. Each finished transaction is counted in its
// window by the time it ended; no allocation, no promise, no logging per
// transaction.

import { parentPort, workerData } from 'node:worker_threads';
import type { Histogram } from './histogram';
import { encodeHistogram, mergeWindows, newHistogram, newWindowHistogram } from './histogram';
import { clockOffsetMs } from './clock';
import { ConnectionLost, Transport } from './transport';
import { Conversation, runScript, sayBye, scriptLength, TransactionObserver, waitUntil, workloadOf } from './workloads';
import { Phase, PhaseControl, LoadThreadMessage, LoadThreadData, MAX_SCRIPT_SAMPLES } from './phases';
import { platform } from '../strategies/platform';

/** Nanoseconds for a histogram (which holds positive integers). */
function ns(ms: number): number {
  const value = Math.round(ms * 1e6);
  return value > 0 ? value : 1;
}

/** Counts every transaction in its progress window, and inside the measured phase in its measuring window too. */
class SteadyObserver implements TransactionObserver {
  goMs = Infinity;
  windowMs = 100;
  measureFromMs = Infinity;
  measureToMs = -Infinity;
  measureWindows: Int32Array = new Int32Array(0);
  /** Each turnaround is recorded once, in its window; the phase's histogram is their merge (same buckets, exact). */
  windowHistograms: Histogram[] = [];
  readonly sentHistogram: Histogram | null;

  constructor(
    private readonly progress: Int32Array,
    openLoop: boolean,
  ) {
    this.sentHistogram = openLoop ? newHistogram() : null;
  }

  ended(startedMs: number, sentMs: number, endedMs: number): void {
    const window = Math.floor((endedMs - this.goMs) / this.windowMs);
    if (window >= 0 && window < this.progress.length) this.progress[window]++;
    if (endedMs < this.measureFromMs || endedMs >= this.measureToMs) return;
    const measuring = Math.floor((endedMs - this.measureFromMs) / this.windowMs);
    this.measureWindows[measuring]++;
    this.windowHistograms[measuring].recordValue(ns(endedMs - startedMs));
    this.sentHistogram?.recordValue(ns(endedMs - sentMs));
  }
}

/** Times the script's transactions, and when every `every`-th of them ended. */
class ScriptObserver implements TransactionObserver {
  readonly histogram = newHistogram();
  readonly sentHistogram: Histogram | null;
  readonly ends: Float64Array;
  count = 0;
  lastEndMs = NaN;

  constructor(
    readonly every: number,
    length: number,
    openLoop: boolean,
  ) {
    this.sentHistogram = openLoop ? newHistogram() : null;
    this.ends = new Float64Array(Math.ceil(length / every));
  }

  ended(startedMs: number, sentMs: number, endedMs: number): void {
    this.histogram.recordValue(ns(endedMs - startedMs));
    this.sentHistogram?.recordValue(ns(endedMs - sentMs));
    this.count++;
    this.lastEndMs = endedMs;
    if (this.count % this.every === 0) this.ends[this.count / this.every - 1] = endedMs;
  }
}

function post(message: LoadThreadMessage): void {
  parentPort!.postMessage(message);
}

function run(data: LoadThreadData): void {
  const control = new PhaseControl(data.control);
  const offsetMs = clockOffsetMs();
  const local = (sharedMs: number) => sharedMs - offsetMs;
  const { options } = data;
  let transport: Transport;
  try {
    transport = platform.connect(options.address, { timeoutMs: options.connectTimeoutMs });
  } catch (error) {
    post({ type: 'failed', reason: (error as Error).message });
    return;
  }
  post({ type: 'connected' });
  const rate = options.workload.ratePerClientTps;
  const conversation = new Conversation(transport, rate === null ? 0 : 1000 / rate);
  const steady = new SteadyObserver(new Int32Array(data.progress), rate !== null);
  const length = scriptLength(options.workload);
  const script = new ScriptObserver(Math.max(1, Math.ceil(length / MAX_SCRIPT_SAMPLES)), length, rate !== null);
  let fatal: string | null = null;
  let phase = control.waitForGo();
  try {
    steady.goMs = local(control.goMs);
    steady.windowMs = control.windowMs;
    conversation.scheduleFrom(performance.now());
    conversation.observer = steady;
    const workload = workloadOf(options.workload, conversation, options.clientIndex);
    let version = control.version();
    while (phase === Phase.RUNNING) {
      workload.step();
      if (control.version() === version) continue;
      version = control.version();
      phase = control.phase();
      if (control.measureWindows > steady.measureWindows.length) {
        steady.measureFromMs = local(control.measureStartMs);
        steady.measureToMs = steady.measureFromMs + control.measureWindows * steady.windowMs;
        steady.measureWindows = new Int32Array(control.measureWindows);
        steady.windowHistograms = Array.from({ length: control.measureWindows }, newWindowHistogram);
      }
    }
    workload.drain();
    if (phase === Phase.SCRIPT) {
      const startMs = local(control.scriptStartMs);
      waitUntil(startMs);
      conversation.observer = script;
      conversation.scheduleFrom(startMs);
      runScript(options.workload, conversation, options.clientIndex);
    }
    conversation.observer = { ended() {} };
    fatal = sayBye(transport);
  } catch (error) {
    fatal = error instanceof ConnectionLost ? error.message : (error as Error).message;
  } finally {
    transport.close();
  }
  post({ type: 'done' });
  control.waitForReport();
  const measured = steady.measureWindows.length > 0;
  post({
    type: 'report',
    transactions: conversation.transactions,
    errors: conversation.errors,
    fatal,
    steady: measured
      ? {
          windowCounts: Array.from(steady.measureWindows),
          windowHistograms: steady.windowHistograms.map(encodeHistogram),
          histogram: encodeHistogram(mergeWindows(steady.windowHistograms)),
          sentHistogram: steady.sentHistogram && encodeHistogram(steady.sentHistogram),
        }
      : null,
    script:
      script.count > 0
        ? {
            transactions: script.count,
            endMs: script.lastEndMs + offsetMs,
            every: script.every,
            endsMs: Array.from(script.ends.subarray(0, Math.floor(script.count / script.every)), (t) => t + offsetMs),
            histogram: encodeHistogram(script.histogram),
            sentHistogram: script.sentHistogram && encodeHistogram(script.sentHistogram),
          }
        : null,
  });
}

run(workerData as LoadThreadData);
