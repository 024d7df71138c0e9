// The phases of a client under the harness, and the shared memory through which
// the process's main thread (which hears the harness) sets them for its load
// thread (which runs the transactions). Times are on the shared clock (clock.ts).
//
//   IDLE ── go ──▶ RUNNING ──▶ SCRIPT ──▶ BYE, done ──▶ REPORT     warm-up and measured phase run back
//                     └──────▶ STOP ────▶ BYE, done ──┘            to back; "measure" only marks which
//                                                                  windows count. Reports wait until every
//                                                                  client is done, so no report is built
//                                                                  and no process exits while others measure.

import type { ClientErrors } from '../contract/messages';
import type { ClientSetup } from '../contract/messages';

export const Phase = { IDLE: 0, RUNNING: 1, SCRIPT: 2, STOP: 3, REPORT: 4 } as const;
export type PhaseValue = (typeof Phase)[keyof typeof Phase];

/** Warm-up progress windows a client keeps; the harness caps warm-up well below this. */
export const MAX_PROGRESS_WINDOWS = 4096;
/** At most this many completion times per script are reported (every k-th transaction). */
export const MAX_SCRIPT_SAMPLES = 2000;

// Int32 slots, then Float64 slots (from byte 16).
const PHASE = 0;
const VERSION = 1;
const GO = 0;
const WINDOW = 1;
const MEASURE_START = 2;
const MEASURE_WINDOWS = 3;
const SCRIPT_START = 4;
const CONTROL_BYTES = 16 + 5 * 8;

export class PhaseControl {
  private readonly ints: Int32Array;
  private readonly times: Float64Array;

  static create(): PhaseControl {
    return new PhaseControl(new SharedArrayBuffer(CONTROL_BYTES));
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.ints = new Int32Array(buffer, 0, 4);
    this.times = new Float64Array(buffer, 16, 5);
  }

  // The main thread's side: write the times first, then publish with the version.
  go(atMs: number, windowMs: number): void {
    this.times[GO] = atMs;
    this.times[WINDOW] = windowMs;
    this.publish(Phase.RUNNING);
  }

  measure(startMs: number, windows: number): void {
    this.times[MEASURE_START] = startMs;
    this.times[MEASURE_WINDOWS] = windows;
    this.publish(this.phase());
  }

  script(startMs: number): void {
    this.times[SCRIPT_START] = startMs;
    this.publish(Phase.SCRIPT);
  }

  stop(): void {
    this.publish(Phase.STOP);
  }

  report(): void {
    this.publish(Phase.REPORT);
  }

  /** Back to IDLE for the next trial (only while the load thread is between trials). */
  reset(): void {
    this.times.fill(0);
    Atomics.store(this.ints, PHASE, Phase.IDLE);
  }

  private publish(phase: PhaseValue): void {
    Atomics.store(this.ints, PHASE, phase);
    Atomics.add(this.ints, VERSION, 1);
    Atomics.notify(this.ints, PHASE);
  }

  // The load thread's side.
  /** Blocks until the phase leaves IDLE; returns it. */
  waitForGo(): PhaseValue {
    while (Atomics.load(this.ints, PHASE) === Phase.IDLE) Atomics.wait(this.ints, PHASE, Phase.IDLE);
    return this.phase();
  }

  /** Blocks until the harness asks for reports (or the client is stopping because the harness went away). */
  waitForReport(): void {
    for (let phase = this.phase(); phase !== Phase.REPORT && phase !== Phase.STOP; phase = this.phase()) Atomics.wait(this.ints, PHASE, phase);
  }

  version(): number {
    return Atomics.load(this.ints, VERSION);
  }

  phase(): PhaseValue {
    return Atomics.load(this.ints, PHASE) as PhaseValue;
  }

  get goMs(): number {
    return this.times[GO];
  }
  get windowMs(): number {
    return this.times[WINDOW];
  }
  get measureStartMs(): number {
    return this.times[MEASURE_START];
  }
  get measureWindows(): number {
    return this.times[MEASURE_WINDOWS];
  }
  get scriptStartMs(): number {
    return this.times[SCRIPT_START];
  }
}

export interface LoadThreadData {
  setup: ClientSetup;
  control: SharedArrayBuffer;
  /** Int32 transactions per progress window since "go", by the time each ended. */
  progress: SharedArrayBuffer;
}

/** What the load thread found in the measured phase: per window, counts and turnaround histograms. */
export interface SteadyPart {
  windowCounts: number[];
  windowHistograms: string[];
  histogram: string;
  sentHistogram: string | null;
}

/** What the load thread found in the script. Times on the shared clock. */
export interface ScriptPart {
  transactions: number;
  endMs: number;
  /** endsMs[i]: when transaction (i + 1) * every of the script ended. */
  every: number;
  endsMs: number[];
  histogram: string;
  sentHistogram: string | null;
}

/** The main thread starts each trial of the load thread with the server's address. */
export interface LoadThreadTrial {
  address: string;
}

export type LoadThreadMessage =
  | { type: 'connected' }
  | { type: 'done' }
  | { type: 'failed'; reason: string }
  | { type: 'report'; transactions: number; errors: ClientErrors; fatal: string | null; steady: SteadyPart | null; script: ScriptPart | null };
