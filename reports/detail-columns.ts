// The columns of a cell's details: one row per trial (how each went: its phases,
// its warm-up, its figures), and one per client of the trial its timeline shows.

import type { ClientSummary, Trial } from '../harness/schema/results';
import { Column, count, text } from './columns';

type Measured = Extract<Trial, { outcome: 'measured' }>;
const measured = (read: (trial: Measured) => number | null | undefined) => count((trial: Trial) => (trial.outcome === 'measured' ? read(trial) : null));

function phases(trial: Trial): string {
  if (trial.outcome === 'failed') return '';
  const p = trial.phasesMs;
  return [`start ${p.start}`, `warm-up ${p.warmup}`, `measure ${p.measure}`, `script ${Math.round(p.script)}`, `finish ${p.finish}`].join(' · ');
}

function settled(trial: Trial): string {
  if (trial.outcome === 'failed') return '';
  const from = trial.warmup.steadyFromWindow;
  return from === null ? 'no (cap reached)' : `yes, from window ${from}`;
}

function trialErrors(trial: Trial): string {
  if (trial.outcome === 'failed') return trial.reason;
  const e = trial.errors;
  const parts: Array<[number, string]> = [
    [e.unexpectedStatus, 'unexpected status'],
    [e.mismatches, 'mismatches'],
    [e.failedClients, 'failed clients'],
    [e.missingTransactions, 'missing transactions'],
  ];
  return parts.flatMap(([n, what]) => (n > 0 ? [`${n} ${what}`] : [])).join(', ');
}

export const TRIAL_COLUMNS: Array<Column<Trial>> = [
  { header: 'trial', ...count((t: Trial) => t.trial) },
  { header: 'position in run', ...count((t: Trial) => t.runPosition) },
  { header: 'outcome', ...text((t: Trial) => t.outcome) },
  { header: 'duration ms', digits: 0, ...count((t: Trial) => t.durationMs) },
  { header: 'phases ms', ...text(phases) },
  { header: 'warm-up ms', digits: 0, ...measured((t) => t.warmup.durationMs) },
  { header: 'warm-up windows', ...measured((t) => t.warmup.throughputTps.length) },
  { header: 'settled', ...text(settled) },
  { header: 'tx/s', digits: 0, ...measured((t) => t.steady?.throughputTps) },
  { header: 'p50 µs', scale: 1e-3, digits: 1, ...measured((t) => t.steady?.latency.p50Ns) },
  { header: 'p99 µs', scale: 1e-3, digits: 1, ...measured((t) => t.steady?.latency.p99Ns) },
  { header: 'fairness (steady)', digits: 3, ...measured((t) => t.steady?.fairness) },
  { header: 'worst client done ms', digits: 1, ...measured((t) => t.script?.worstDoneMs) },
  { header: 'mean client done ms', digits: 1, ...measured((t) => t.script?.meanDoneMs) },
  { header: 'makespan ms', digits: 1, ...measured((t) => t.script?.makespanMs) },
  { header: 'fairness (script)', digits: 3, ...measured((t) => t.script?.fairness) },
  { header: 'peak threads', ...measured((t) => t.serverLoad?.peakThreads) },
  { header: 'warnings', ...measured((t) => t.warnings.length) },
  { header: 'errors, or why it failed', ...text(trialErrors) },
];

/** One client of a trial: its details, with what it did in each phase. */
export interface ClientRow {
  detail: ClientSummary;
  steadyTransactions: number | null;
  script: { transactions: number; doneMs: number | null } | null;
}

export const CLIENT_COLUMNS: Array<Column<ClientRow>> = [
  { header: 'client', ...count((c: ClientRow) => c.detail.clientIndex) },
  { header: 'transactions (all phases)', ...count((c: ClientRow) => c.detail.transactions) },
  { header: 'in the measured phase', ...count((c: ClientRow) => c.steadyTransactions) },
  { header: 'in the script', ...count((c: ClientRow) => c.script?.transactions) },
  { header: 'done after start ms', digits: 1, ...count((c: ClientRow) => c.script?.doneMs) },
  { header: 'client CPU ms', scale: 1e-3, digits: 1, ...count((c: ClientRow) => c.detail.cpuUs) },
  { header: 'unexpected status', ...count((c: ClientRow) => c.detail.errors.unexpectedStatus) },
  { header: 'mismatches', ...count((c: ClientRow) => c.detail.errors.mismatches) },
  { header: 'stopped early because', ...text((c: ClientRow) => c.detail.fatal ?? '') },
];
