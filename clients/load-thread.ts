// The load of one client process under the harness, in a worker thread so the
// process's main thread stays free for the harness's messages. For each trial it
// connects, waits for "go", and runs its workload back to back through the phases
// the harness sets in shared memory (see phases.ts): warm-up and the measured phase
// without pause, then the script, then BYE, then its report. The thread lives from
// trial to trial, so the code the JIT optimised in one trial serves the next. Each
// finished transaction is counted in its window by the time it ended; no
// allocation, no promise, no logging per transaction.

import { parentPort, workerData } from 'node:worker_threads';
import type { Histogram } from './histogram';
import { encodeHistogram, mergeWindows, newHistogram, newWindowHistogram, WINDOW_HISTOGRAM_MAX_NS } from './histogram';
import { clockOffsetMs } from './clock';
import { ConnectionLost, Transport } from './transport';
import { Conversation, runScript, sayBye, scriptLength, TransactionObserver, waitUntil, workloadOf } from './workloads';
import { Phase, PhaseControl, PhaseValue, LoadThreadMessage, LoadThreadData, LoadThreadTrial, MAX_SCRIPT_SAMPLES } from './phases';
import { platform } from '../strategies/platform';

/** Nanoseconds for a histogram (which holds positive integers). */
function ns(ms: number): number {
  const value = Math.round(ms * 1e6);
  return value > 0 ? value : 1;
}

/**
 * A window histogram that has held the largest and smallest values it can: its fields
 * have taken the shapes the measured phase will give them, so recording into it later
 * never changes the layout optimised code was compiled for.
 */
function primed(): Histogram {
  const histogram = newWindowHistogram();
  histogram.recordValue(1);
  histogram.recordValue(WINDOW_HISTOGRAM_MAX_NS);
  histogram.reset();
  return histogram;
}

// SteadyObserver's times, in one typed array: elements, unlike an object's fields,
// can change without throwing away code V8 optimised while they held other values
// (a field written once is compiled in as a constant).
const GO = 0;
const WINDOW = 1;
const FROM = 2;
const MEASURE_WINDOW = 3;
const TO = 4;
const FIRST_SLOT = 5; // the slot of window 0: the scratch slot 0 before measure(), 1 after

/**
 * Counts every transaction in its progress window, and records it in its measuring
 * window. Until the measured phase is announced, every transaction goes through the
 * same code into a scratch window (slot 0, of infinite length) that is never
 * reported: the JIT has seen the measured phase's path before it starts, so no
 * function is deoptimised and compiled again at its first window (with 20 clients
 * on 2 CPUs each re-compile took a visible part of the phase).
 */
class SteadyObserver implements TransactionObserver {
  /** Shared-clock moments made this thread's: before measure(), FROM is below any performance.now(). */
  private readonly times = Float64Array.of(Infinity, 100, -1, Infinity, Infinity, 0);
  /** Transactions per window: slot 0 the scratch window, then the measured phase's. */
  private readonly counts: Int32Array;
  /** Each turnaround is recorded once, in its window (the same slots); the phase's histogram is their merge (same buckets, exact). */
  private readonly histograms: Histogram[];
  readonly sentHistogram: Histogram | null;

  constructor(
    private readonly progress: Int32Array,
    openLoop: boolean,
    private readonly measureWindows: number,
  ) {
    this.sentHistogram = openLoop ? newHistogram() : null;
    this.counts = new Int32Array(1 + measureWindows);
    this.histograms = Array.from({ length: 1 + measureWindows }, primed);
  }

  go(goMs: number, windowMs: number): void {
    this.times[GO] = goMs;
    this.times[WINDOW] = windowMs;
  }

  /**
   * The measured phase: `windows` windows from `fromMs` (this thread's clock). Everything
   * it counts starts afresh: the harness measures again when a phase drifted.
   */
  measure(fromMs: number, windows: number): void {
    if (windows !== this.measureWindows) throw new Error(`the measured phase has ${windows} windows; this client was started for ${this.measureWindows}`);
    this.sentHistogram?.reset();
    this.counts.fill(0);
    for (let slot = 0; slot < this.histograms.length; slot++) this.histograms[slot].reset();
    this.times[FROM] = fromMs;
    this.times[MEASURE_WINDOW] = this.times[WINDOW];
    this.times[TO] = fromMs + windows * this.times[WINDOW];
    this.times[FIRST_SLOT] = 1;
  }

  get measuring(): boolean {
    return this.times[FIRST_SLOT] === 1;
  }

  ended(startedMs: number, sentMs: number, endedMs: number): void {
    const times = this.times;
    const window = Math.floor((endedMs - times[GO]) / times[WINDOW]);
    if (window >= 0 && window < this.progress.length) this.progress[window]++;
    if (endedMs < times[FROM] || endedMs >= times[TO]) return;
    const slot = times[FIRST_SLOT] + Math.floor((endedMs - times[FROM]) / times[MEASURE_WINDOW]);
    this.counts[slot]++;
    this.histograms[slot].recordValue(ns(endedMs - startedMs));
    this.sentHistogram?.recordValue(ns(endedMs - sentMs));
  }

  /** The measured phase's windows: their counts and histograms. */
  windowCounts(): number[] {
    return Array.from(this.counts.subarray(1));
  }

  windowHistograms(): Histogram[] {
    return this.histograms.slice(1);
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

const data = workerData as LoadThreadData;
const control = new PhaseControl(data.control);
const offsetMs = clockOffsetMs();
const local = (sharedMs: number) => sharedMs - offsetMs;

/** One trial, against the server at `address`; ends with the report (control and progress were reset by the main thread). */
function runTrial(address: string): void {
  const options = { ...data.setup, address };
  // Everything the load records into exists before the client says it is connected (the harness starts the load then).
  const rate = options.workload.ratePerClientTps;
  const steady = new SteadyObserver(new Int32Array(data.progress), rate !== null, options.measureWindows);
  const length = scriptLength(options.workload);
  const script = new ScriptObserver(Math.max(1, Math.ceil(length / MAX_SCRIPT_SAMPLES)), length, rate !== null);
  let transport: Transport;
  try {
    transport = platform.connect(options.address, { timeoutMs: options.connectTimeoutMs });
  } catch (error) {
    post({ type: 'failed', reason: (error as Error).message });
    return;
  }
  post({ type: 'connected' });
  const conversation = new Conversation(transport, rate === null ? 0 : 1000 / rate);
  let fatal: string | null = null;
  let phase = control.waitForGo();
  try {
    steady.go(local(control.goMs), control.windowMs);
    conversation.scheduleFrom(performance.now());
    conversation.observer = steady;
    const workload = workloadOf(options.workload, conversation, options.clientIndex);
    // What the harness changed (a measured phase, the end of the load), read off the hot
    // loop: called once before it too, so the loop's optimised code knows the call.
    let measuredFromMs = NaN;
    const follow = (): PhaseValue => {
      if (control.measureWindows > 0 && control.measureStartMs !== measuredFromMs) {
        measuredFromMs = control.measureStartMs;
        steady.measure(local(measuredFromMs), control.measureWindows);
      }
      return control.phase();
    };
    let version = control.version();
    phase = follow();
    while (phase === Phase.RUNNING) {
      workload.step();
      if (control.version() === version) continue;
      version = control.version();
      phase = follow();
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
  const measured = steady.measuring;
  post({
    type: 'report',
    transactions: conversation.transactions,
    errors: conversation.errors,
    fatal,
    steady: measured
      ? {
          windowCounts: steady.windowCounts(),
          windowHistograms: steady.windowHistograms().map(encodeHistogram),
          histogram: encodeHistogram(mergeWindows(steady.windowHistograms())),
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

parentPort!.on('message', (trial: LoadThreadTrial) => runTrial(trial.address));
