// A client process under the harness: this (main) thread hears the harness and
// sets the phases; a load thread (load-thread.ts) connects and runs the
// transactions. The main thread also reports warm-up progress per window, reads
// the process's CPU at the edges of the measured phase, and sends one report.

import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { sharedNowMs } from './clock';
import { LoadThreadData, LoadThreadMessage, MAX_PROGRESS_WINDOWS, PhaseControl } from './phases';
import type { ClientOptions, ClientReport, ToClientMessage } from '../contract/messages';

export type { ClientOptions } from '../contract/messages';


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

// Warm-up progress, for the harness's steady-state watch (every 50 ms): often, so the warm-up
// ends soon after it is steady; and only until the measured phase is announced, which ends the watch.
const PROGRESS_EVERY_MS = 50;
// A transaction is counted a few microseconds after it ends: report a window only once it is this long over.
const WINDOW_SETTLE_MS = 5;

export function runClient(options: ClientOptions, link: ClientLink): Promise<void> {
  v8.setFlagsFromString(TIER_UP_BUDGET_FLAG);
  const control = PhaseControl.create();
  const progress = new Int32Array(new SharedArrayBuffer(MAX_PROGRESS_WINDOWS * 4));
  const data: LoadThreadData = { options, control: control.buffer, progress: progress.buffer };
  const worker = new Worker(path.join(__dirname, 'load-thread.js'), { workerData: data });
  let reported = 0;
  let progressTimer: NodeJS.Timeout | undefined;
  let measureLateMs = 0;
  let cpuAtMeasureStart: NodeJS.CpuUsage | null = null;
  let measuredCpu: { userUs: number; systemUs: number } | null = null;

  const sendProgress = () => {
    const complete = Math.min(MAX_PROGRESS_WINDOWS, Math.floor((sharedNowMs() - control.goMs - WINDOW_SETTLE_MS) / control.windowMs));
    if (complete <= reported) return;
    const counts = Array.from(progress.subarray(reported, complete));
    void link.send({ type: 'progress', fromWindow: reported, counts }).catch(() => undefined);
    reported = complete;
  };
  const at = (sharedMs: number, action: () => void) => setTimeout(action, Math.max(0, sharedMs - sharedNowMs()));

  link.onMessage((message) => {
    switch (message.type) {
      case 'go':
        control.go(message.atMs, message.windowMs);
        progressTimer = setInterval(sendProgress, PROGRESS_EVERY_MS);
        break;
      case 'measure': {
        clearInterval(progressTimer);
        measureLateMs = Math.max(0, sharedNowMs() - message.startMs);
        control.measure(message.startMs, message.windows);
        at(message.startMs, () => (cpuAtMeasureStart = process.cpuUsage()));
        at(message.startMs + message.windows * control.windowMs, () => {
          if (!cpuAtMeasureStart) return;
          const cpu = process.cpuUsage(cpuAtMeasureStart);
          measuredCpu = { userUs: cpu.user, systemUs: cpu.system };
        });
        break;
      }
      case 'script':
        control.script(message.startMs);
        break;
      case 'stop':
        control.stop();
        break;
      case 'report':
        control.report();
        break;
    }
  });
  link.onGone(() => {
    control.stop();
    // A load thread stuck on a server that never answers must not keep this process alive.
    setTimeout(() => process.exit(1), 2000).unref();
  });

  return new Promise((resolve) => {
    let finished = false;
    const finish = (report: ClientReport) => {
      if (finished) return;
      finished = true;
      clearInterval(progressTimer);
      void link.send({ type: 'report', report }).finally(resolve);
    };
    const lost = (fatal: string) =>
      finish({ clientIndex: options.clientIndex, pid: process.pid, transactions: 0, errors: { unexpectedStatus: 0, mismatches: 0 }, fatal, steady: null, script: null, measureLateMs, cpu: cpuNow(), measuredCpu });
    worker.on('message', (message: LoadThreadMessage) => {
      if (message.type === 'connected' || message.type === 'done') void link.send({ type: message.type }).catch(() => undefined);
      else if (message.type === 'failed') lost(message.reason);
      else {
        if (reported > 0 || progressTimer) sendProgress();
        finish({
          clientIndex: options.clientIndex,
          pid: process.pid,
          transactions: message.transactions,
          errors: message.errors,
          fatal: message.fatal,
          steady: message.steady,
          script: message.script,
          measureLateMs,
          cpu: cpuNow(),
          measuredCpu,
        });
      }
    });
    worker.once('error', (error) => lost(`load thread failed: ${error.message}`));
    worker.once('exit', (code) => lost(`load thread exited (code ${code}) without a report`));
  });
}

function cpuNow(): { userUs: number; systemUs: number } {
  const cpu = process.cpuUsage();
  return { userUs: cpu.user, systemUs: cpu.system };
}
