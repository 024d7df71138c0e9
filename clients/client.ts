// A client process under the harness: this (main) thread hears the harness and
// sets the phases; a load thread (load-thread.ts) connects and runs the
// transactions. The main thread also reports warm-up progress per window, reads
// the process's CPU at the edges of the measured phase, and sends one report per
// trial. The process serves trial after trial until the harness kills it or goes.

import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { sharedNowMs } from './clock';
import { LoadThreadData, LoadThreadMessage, LoadThreadTrial, MAX_PROGRESS_WINDOWS, PhaseControl } from './phases';
import type { ClientReport, ClientSetup, ToClientMessage } from '../contract/messages';

export type { ClientOptions, ClientSetup } from '../contract/messages';

/** How a client talks to the harness (IPC in harness/child.ts). */
export interface ClientLink {
  send(message: { type: 'connected' } | { type: 'done' } | { type: 'progress'; fromWindow: number; counts: number[] } | { type: 'report'; report: ClientReport }): Promise<void>;
  onMessage(listener: (message: ToClientMessage) => void): void;
  /** Called when the harness went away. */
  onGone(listener: () => void): void;
}

// V8 optimises a function once it has run a budget of bytecode (132 KB by default).
// Twenty clients on two CPUs each get a twentieth of a CPU, so at that pace the load
// loop was still partly unoptimised seconds into the measured phase (perf: inline-cache
// stubs reached from interpreted code). An eighth of the budget gets it optimised within
// the warm-up: paired runs at 20 clients against ref-server (2026-12-03) cost 22.5-26.1
// µs/tx of client CPU instead of 25.7-34.1, and served 4-8 % more. Set before the load
// thread's isolate exists; a V8 without the flag ignores it.
const TIER_UP_BUDGET_FLAG = '--interrupt-budget=16384';

// Progress, for the harness's steady-state watch: once a window, just after it ends, so the
// warm-up ends as soon as it is steady and a measured phase is checked as soon as it is over
// (sent every 100 ms at whatever moment, a window waited 50 ms on average to be sent). It goes
// on through the measured phase, which the watch no longer reads, so that both phases run under
// the same observation: when it stopped at the measured phase, twenty clients' messages (every
// 50 ms then) had held the warm-up 13-16 % below the measured windows (sequential x 20,
// 2026-12-04), and every such step was flagged as drift.
// A transaction is counted a few microseconds after it ends: report a window only once it is this long over.
const WINDOW_SETTLE_MS = 5;

/**
 * A load thread the scheduler held past WINDOW_SETTLE_MS counts its last transaction after its window was
 * sent: among twenty clients on two CPUs the progress read up to 1.5% below the reports' counts for the same
 * windows (3 of 233 trials beyond 1%, 2026-12-06), and the check of a measured phase on the progress held
 * where the same check on the reports found drift (two trials in 54 default runs, both within 1% of the
 * line). So each send repeats the window sent last, counted in full by then; the harness keeps the later count.
 */
export function progressToSend(progress: Int32Array, reported: number, complete: number): { fromWindow: number; counts: number[] } | null {
  if (complete <= reported) return null;
  const fromWindow = Math.max(0, reported - 1);
  return { fromWindow, counts: Array.from(progress.subarray(fromWindow, complete)) };
}

/** When the window after the `reported` first ones is over and may be sent (shared clock). */
export function progressDueMs(goMs: number, windowMs: number, reported: number): number {
  return goMs + (reported + 1) * windowMs + WINDOW_SETTLE_MS;
}

/** Runs trials as the harness asks, one at a time, until the process is killed or the harness goes. */
export function runClient(setup: ClientSetup, link: ClientLink): void {
  v8.setFlagsFromString(TIER_UP_BUDGET_FLAG);
  const control = PhaseControl.create();
  const progress = new Int32Array(new SharedArrayBuffer(MAX_PROGRESS_WINDOWS * 4));
  const data: LoadThreadData = { setup, control: control.buffer, progress: progress.buffer };
  const worker = new Worker(path.join(__dirname, 'load-thread.js'), { workerData: data });
  let trial: ClientTrial | null = null;

  link.onMessage((message) => {
    if (message.type !== 'trial') return trial?.hear(message);
    if (trial && !trial.finished) return quit(`the harness started a trial while trial at ${trial.address} was running`);
    control.reset();
    progress.fill(0);
    trial = new ClientTrial(message.address, setup.clientIndex, control, progress, link);
    worker.postMessage({ address: message.address } satisfies LoadThreadTrial);
  });
  worker.on('message', (message: LoadThreadMessage) => trial?.fromLoad(message));
  // A dead load thread ends the process: its trial (if any) hears why first.
  const lost = (reason: string) => {
    if (trial && !trial.finished) void trial.lost(reason).finally(() => quit(reason));
    else quit(reason);
  };
  worker.once('error', (error) => lost(`load thread failed: ${error.message}`));
  worker.once('exit', (code) => lost(`load thread exited (code ${code}) without a report`));
  link.onGone(() => {
    if (!trial || trial.finished) process.exit(0);
    control.stop();
    // A load thread stuck on a server that never answers must not keep this process alive.
    setTimeout(() => process.exit(1), 2000);
  });
}

function quit(reason: string): void {
  process.stderr.write(`pipebench client: ${reason}\n`);
  process.exit(1);
}

/** One trial of the process: the phases the harness announces, the progress it is sent, the report. */
class ClientTrial {
  finished = false;
  private reported = 0;
  private progressTimer: NodeJS.Timeout | undefined;
  private measureLateMs = 0;
  private readonly cpuAtStart = process.cpuUsage();
  private cpuAtMeasureStart: NodeJS.CpuUsage | null = null;
  private measuredCpu: { userUs: number; systemUs: number } | null = null;

  constructor(
    readonly address: string,
    private readonly clientIndex: number,
    private readonly control: PhaseControl,
    private readonly progress: Int32Array,
    private readonly link: ClientLink,
  ) {}

  hear(message: Exclude<ToClientMessage, { type: 'trial' }>): void {
    const control = this.control;
    switch (message.type) {
      case 'go':
        control.go(message.atMs, message.windowMs);
        this.scheduleProgress();
        break;
      case 'measure': {
        this.measureLateMs = Math.max(0, sharedNowMs() - message.startMs);
        control.measure(message.startMs, message.windows);
        at(message.startMs, () => (this.cpuAtMeasureStart = process.cpuUsage()));
        at(message.startMs + message.windows * control.windowMs, () => {
          if (!this.cpuAtMeasureStart) return;
          const cpu = process.cpuUsage(this.cpuAtMeasureStart);
          this.measuredCpu = { userUs: cpu.user, systemUs: cpu.system };
        });
        break;
      }
      case 'script':
        clearTimeout(this.progressTimer);
        control.script(message.startMs);
        break;
      case 'stop':
        clearTimeout(this.progressTimer);
        control.stop();
        break;
      case 'report':
        control.report();
        break;
    }
  }

  fromLoad(message: LoadThreadMessage): void {
    if (message.type === 'connected' || message.type === 'done') void this.link.send({ type: message.type }).catch(() => undefined);
    else if (message.type === 'failed') void this.lost(message.reason);
    else {
      if (this.reported > 0 || this.progressTimer) this.sendProgress();
      const { transactions, errors, fatal, steady, script } = message;
      void this.finish({ transactions, errors, fatal, steady, script });
    }
  }

  /** Reports a trial the load thread could not run (no connection, a dead thread). */
  lost(fatal: string): Promise<void> {
    return this.finish({ transactions: 0, errors: { unexpectedStatus: 0, mismatches: 0 }, fatal, steady: null, script: null });
  }

  /** Sends the trial's one report: what the load thread found, with what this thread measured. */
  private finish(load: Pick<ClientReport, 'transactions' | 'errors' | 'fatal' | 'steady' | 'script'>): Promise<void> {
    if (this.finished) return Promise.resolve();
    this.finished = true;
    clearTimeout(this.progressTimer);
    const report: ClientReport = { clientIndex: this.clientIndex, pid: process.pid, ...load, measureLateMs: this.measureLateMs, cpu: this.cpuSoFar(), measuredCpu: this.measuredCpu };
    return this.link.send({ type: 'report', report }).catch(() => undefined);
  }

  /** Sends each window once it is over; a timer that fired early (timers count whole milliseconds) is set again for the same window. */
  private scheduleProgress(): void {
    if (this.reported >= MAX_PROGRESS_WINDOWS) return;
    this.progressTimer = at(progressDueMs(this.control.goMs, this.control.windowMs, this.reported), () => {
      this.sendProgress();
      this.scheduleProgress();
    });
  }

  private sendProgress(): void {
    const control = this.control;
    const complete = Math.min(MAX_PROGRESS_WINDOWS, Math.floor((sharedNowMs() - control.goMs - WINDOW_SETTLE_MS) / control.windowMs));
    const sending = progressToSend(this.progress, this.reported, complete);
    if (!sending) return;
    void this.link.send({ type: 'progress', ...sending }).catch(() => undefined);
    this.reported = complete;
  }

  private cpuSoFar(): { userUs: number; systemUs: number } {
    const cpu = process.cpuUsage(this.cpuAtStart);
    return { userUs: cpu.user, systemUs: cpu.system };
  }
}

function at(sharedMs: number, action: () => void): NodeJS.Timeout {
  return setTimeout(action, Math.max(0, sharedMs - sharedNowMs()));
}
