// Progress on stderr: one line per trial, with where the run stands and when it
// should end (the mean trial so far times the trials left).

import type { Trial } from '../schema/results';

export interface Progress {
  line(text: string): void;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** "[3/72] iocp x 20 clients, trial 1 of 3: 52,300 tx/s, p50 22.0 µs, p99 80.1 µs, worst client done 410.2 ms (2.6 s; ETA 2m10s)" */
export function trialLine(done: number, total: number, what: string, trial: Trial, repeat: number, elapsedMs: number): string {
  const of = trial.trial > repeat ? `, trial ${trial.trial} (added for precision)` : repeat > 1 ? `, trial ${trial.trial} of ${repeat}` : '';
  const eta = done < total ? `; ETA ${formatDuration((elapsedMs / done) * (total - done))}` : '';
  const head = `[${done}/${total}] ${what}${of}`;
  const tail = ` (${(trial.durationMs / 1000).toFixed(1)} s${eta})`;
  if (trial.outcome === 'failed') return `${head}: FAILED: ${trial.reason}${tail}`;
  const figures: string[] = [];
  if (trial.steady) {
    const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;
    figures.push(`${Math.round(trial.steady.throughputTps).toLocaleString('en-US')} tx/s`, `p50 ${us(trial.steady.latency.p50Ns)}`, `p99 ${us(trial.steady.latency.p99Ns)}`);
  }
  if (trial.script) figures.push(`worst client done ${trial.script.worstDoneMs.toFixed(1)} ms`);
  const errors = trial.errors.unexpectedStatus + trial.errors.mismatches + trial.errors.failedClients + trial.errors.missingTransactions;
  if (errors > 0) figures.push(`${errors} ERRORS`);
  if (trial.warmup.steadyFromWindow === null) figures.push('no steady state');
  return `${head}: ${figures.join(', ')}${tail}`;
}
