// The few sentences a reader wants first, at the largest client count: who is
// best at each figure, said only when the best and the runner-up differ
// significantly (Welch's t test on their estimates, α = 0.05), and by how much;
// and the large differences the strategies exist to show, when they are real.

import type { CellSummary, Observation } from '../harness/schema/results';
import { compareEstimates, Estimate } from '../harness/measure/statistics';
import { clientsText, CellView, RunView } from './run-view';

export interface Claim {
  /** "Throughput at 8 clients" */
  figure: string;
  /** The server the claim is about (the best), or null when none stands out. */
  leader: string | null;
  text: string;
}

export interface Headline {
  clients: number | null;
  claims: Claim[];
  /** Servers at that count not compared, and why: "thread-per-client (no trial measured)". */
  leftOut: string[];
}

interface RankedFigure {
  name: string;
  /** "the throughput of X" reads better than "higher than X". */
  noun: string;
  better: 'higher' | 'lower';
  unit: string;
  /** Into the unit shown (ns → µs). */
  scale: number;
  phase: 'steady' | 'script';
  read: (summary: CellSummary) => Estimate | null;
}

const FIGURES: RankedFigure[] = [
  { name: 'Throughput', noun: 'throughput', better: 'higher', unit: 'tx/s', scale: 1, phase: 'steady', read: (s) => s.steady?.throughputTps ?? null },
  { name: 'p50 turnaround', noun: 'p50 turnaround', better: 'lower', unit: 'µs', scale: 1e-3, phase: 'steady', read: (s) => s.steady?.p50Ns ?? null },
  { name: 'p99 turnaround', noun: 'p99 turnaround', better: 'lower', unit: 'µs', scale: 1e-3, phase: 'steady', read: (s) => s.steady?.p99Ns ?? null },
  { name: "Worst client's completion", noun: 'completion', better: 'lower', unit: 'ms', scale: 1, phase: 'script', read: (s) => s.script?.worstDoneMs ?? null },
  { name: 'Server CPU per transaction', noun: 'CPU per transaction', better: 'lower', unit: 'µs', scale: 1, phase: 'steady', read: (s) => s.steady?.serverCpuUsPerTransaction ?? null },
];

/** A ratio this large reads as "2.1×"; smaller ones as a percentage. */
const RATIO_FROM = 1.5;

export function headline(view: RunView): Headline {
  const clients = view.largestClients;
  if (clients === null) return { clients, claims: [], leftOut: [] };
  const atLargest = view.servers.flatMap((server) => {
    const cell = view.at(server.name, clients);
    return cell ? [cell] : [];
  });
  // A server that failed, erred or lost a trial is not ranked: its figures are not comparable.
  const compared = atLargest.filter((cell) => cell.verdict.problemCount === 0);
  const leftOut = atLargest.filter((cell) => cell.verdict.problemCount > 0).map((cell) => `${cell.server.label} (${whyLeftOut(cell)})`);
  const at = ` at ${clientsText(clients)}`;
  const claims: Claim[] = [];
  for (const figure of FIGURES) {
    const claim = rank(figure, compared);
    if (claim) claims.push({ ...claim, figure: figure.name + at });
  }
  claims.push(...threadCounts(compared, at));
  const convoy = sequentialAgainstBest(compared, at);
  if (convoy) claims.push(convoy);
  const threads = threadContrast(compared, at);
  if (threads) claims.push(threads);
  return { clients, claims, leftOut };
}

function whyLeftOut(cell: CellView): string {
  const v = cell.verdict;
  if (v.failed) return 'no trial measured';
  const parts: string[] = [];
  if (v.failedTrials > 0) parts.push(`${v.failedTrials} trial${v.failedTrials === 1 ? '' : 's'} failed`);
  if (v.problemCount > v.failedTrials) parts.push('errors');
  return parts.join(', ');
}

interface Entry {
  cell: CellView;
  estimate: Estimate;
}

function entries(figure: RankedFigure, cells: CellView[]): Entry[] {
  return cells.flatMap((cell) => {
    const estimate = cell.cell.summary && figure.read(cell.cell.summary);
    return estimate ? [{ cell, estimate }] : [];
  });
}

function rank(figure: RankedFigure, cells: CellView[]): Omit<Claim, 'figure'> | null {
  const sign = figure.better === 'higher' ? -1 : 1;
  const ranked = entries(figure, cells).sort((a, b) => sign * (a.estimate.mean - b.estimate.mean));
  if (ranked.length === 0) return null;
  const [best, runnerUp] = ranked;
  const value = (e: Entry) => formatFigure(e.estimate.mean * figure.scale);
  if (!runnerUp) return { leader: best.cell.server.label, text: `the only server measured: ${value(best)} ${figure.unit}` };
  const both = `${value(best)} vs ${value(runnerUp)} ${figure.unit}`;
  const comparison = compareEstimates(runnerUp.estimate, best.estimate);
  const names = `${best.cell.server.label} and ${runnerUp.cell.server.label}`;
  if (comparison === null) return { leader: null, text: `${names} cannot be told apart: one of them has no interval (${both})` };
  if (!comparison.significant) return { leader: null, text: `no significant difference between ${names} (${both}; p = ${comparison.pValue.toFixed(2)})` };
  const caveat = waitingCaveat(best.cell, figure);
  return { leader: best.cell.server.label, text: `${margin(figure, best.estimate.mean, runnerUp.estimate.mean, runnerUp.cell.server.label)} (${both})${caveat}` };
}

/** "1.8× the throughput of node-net", "6.4× lower than iocp", "12.5% lower than iocp". */
function margin(figure: RankedFigure, best: number, other: number, otherName: string): string {
  const ratio = figure.better === 'higher' ? best / other : other / best;
  if (ratio >= RATIO_FROM) return figure.better === 'higher' ? `${times(ratio)} the ${figure.noun} of ${otherName}` : `${times(ratio)} lower than ${otherName}`;
  return figure.better === 'higher' ? `${percent(best / other - 1)} more ${figure.noun} than ${otherName}` : `${percent(1 - best / other)} lower than ${otherName}`;
}

/** A steady-phase figure of a server that served only some clients is those clients' figure: say so. */
function waitingCaveat(cell: CellView, figure: RankedFigure): string {
  if (figure.phase !== 'steady') return '';
  const waiting = cell.cell.summary?.observations.find((o): o is Extract<Observation, { kind: 'clients-waiting' }> => o.kind === 'clients-waiting');
  return waiting ? `; ${cell.server.label} served ${waiting.served} of ${waiting.clients} clients in the measured phase (see the notes)` : '';
}

/** Thread counts are counts (the most seen in any trial): stated as measured, never ranked by a test. */
function threadCounts(cells: CellView[], at: string): Claim[] {
  const counted = cells.flatMap((cell) => (cell.cell.summary?.peakThreads == null ? [] : [{ label: cell.server.label, threads: cell.cell.summary.peakThreads }]));
  if (counted.length === 0) return [];
  counted.sort((a, b) => a.threads - b.threads);
  return [{ figure: `Peak server threads${at}`, leader: null, text: `${counted.map((c) => `${c.label} ${c.threads}`).join(', ')} (counted, not estimated)` }];
}

/** A one-at-a-time server against the best concurrent one: its last client waits for all the others. */
function sequentialAgainstBest(cells: CellView[], at: string): Claim | null {
  const figure = FIGURES.find((f) => f.phase === 'script')!;
  const all = entries(figure, cells);
  const sequential = all.find((e) => e.cell.server.name === 'sequential');
  const best = all.filter((e) => e !== sequential).sort((a, b) => a.estimate.mean - b.estimate.mean)[0];
  if (!sequential || !best || !compareEstimates(best.estimate, sequential.estimate)?.significant) return null;
  const ratio = sequential.estimate.mean / best.estimate.mean;
  const later = ratio >= RATIO_FROM ? `${times(ratio)} later than` : `${percent(ratio - 1)} later than`;
  return {
    figure: `${figure.name}${at}: sequential vs the best concurrent server`,
    leader: null,
    text: `sequential's last client was done after ${formatFigure(sequential.estimate.mean)} ms, ${later} under ${best.cell.server.label} (${formatFigure(best.estimate.mean)} ms)`,
  };
}

/** A thread per client against a pool: the count is the point of the comparison. */
function threadContrast(cells: CellView[], at: string): Claim | null {
  const threadsOf = (name: string) => cells.find((cell) => cell.server.name === name)?.cell.summary?.peakThreads ?? null;
  const perClient = threadsOf('thread-per-client');
  const pooled = threadsOf('iocp');
  if (perClient === null || pooled === null) return null;
  return { figure: `Peak server threads${at}: thread-per-client vs iocp`, leader: null, text: `${perClient} vs ${pooled} threads` };
}

function times(ratio: number): string {
  return `${ratio.toFixed(ratio < 10 ? 1 : 0)}×`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Three significant figures at most, whole numbers grouped: "61,000", "330", "95.0", "9.00". */
function formatFigure(value: number): string {
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
