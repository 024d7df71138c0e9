// The few sentences a reader wants first, at the largest client count: who is
// best at each figure, said only when the best and the runner-up differ
// significantly (Welch's t test on their estimates, α = 0.05) and the margin's
// whole interval lies beyond the run's precision target (rankThreshold), and by how much,
// with the ratio's interval (harness/measure/ratio.ts); and the large differences
// the strategies exist to show, when they are real. Turnaround is ranked only
// among servers that served every client in the measured phase: a server that
// served one client while the others waited has that one client's turnaround,
// stated on its own line.

import type { CellSummary, Observation } from '../harness/schema/results';
import { ratioOfMeans } from '../harness/measure/ratio';
import { compareEstimates, Estimate } from '../harness/measure/statistics';
import { DEFAULT_NOISE_THRESHOLD } from '../harness/measure/compare';
import { clientsText, CellView, RunView } from './run-view';
import { precisionTarget } from '../harness/measure/precision-reached';
import type { RunParameters } from '../harness/schema/results';

export interface Claim {
  /** "Throughput at 8 clients" */
  figure: string;
  /** The server the claim is about (the best), or null when none stands out. */
  leader: string | null;
  text: string;
  /**
   * What a significance test decided, in the same words whenever it decides the same (the leader, "sequential later",
   * "no significant difference"), so runs can be checked for agreement; null for counts and measurements stated as they are.
   */
  verdict: string | null;
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
  /** Ranked only among servers that served every client in the measured phase. */
  everyClient?: boolean;
  read: (summary: CellSummary) => Estimate | null;
}

const THROUGHPUT: RankedFigure = { name: 'Throughput', noun: 'throughput', better: 'higher', unit: 'tx/s', scale: 1, phase: 'steady', read: (s) => s.steady?.throughputTps ?? null };
const COMPLETION: RankedFigure = { name: "Worst client's completion", noun: 'completion', better: 'lower', unit: 'ms', scale: 1, phase: 'script', read: (s) => s.script?.worstDoneMs ?? null };
const FAIRNESS: RankedFigure = { name: 'Fairness (Jain, measured phase)', noun: 'fairness', better: 'higher', unit: '', scale: 1, phase: 'steady', read: (s) => s.steady?.fairness ?? null };
const SERVER_CPU: RankedFigure = { name: 'Server CPU per transaction', noun: 'CPU per transaction', better: 'lower', unit: 'µs', scale: 1, phase: 'steady', read: (s) => s.steady?.serverCpuUsPerTransaction ?? null };
const P50: RankedFigure = { name: 'p50 turnaround', noun: 'p50 turnaround', better: 'lower', unit: 'µs', scale: 1e-3, phase: 'steady', everyClient: true, read: (s) => s.steady?.p50Ns ?? null };
const P99: RankedFigure = { name: 'p99 turnaround', noun: 'p99 turnaround', better: 'lower', unit: 'µs', scale: 1e-3, phase: 'steady', everyClient: true, read: (s) => s.steady?.p99Ns ?? null };

/**
 * The smallest lead the headline ranks: the run's precision target (±5% by default), never below compare's noise
 * threshold. A run measured to ±5% does not name a best server by a lead its interval cannot place beyond that: at
 * 2% (compare's threshold), the stored default sets of 2026-12-04/05 (19 sets of 3 runs) told the same story in
 * all three runs on 114 of 133 claims, every disagreement a comparison significant in some runs and not in others,
 * most often a near-tie significant in one run of three (p50 at 20 clients: thread-per-client 3-8% below
 * completion-routines, 17-22% in one run); at the precision target, 121.
 */
export function rankThreshold(parameters: RunParameters): number {
  return Math.max(DEFAULT_NOISE_THRESHOLD, precisionTarget(parameters));
}

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
  const threshold = rankThreshold(view.results.parameters);
  const ranked = (figure: RankedFigure) => {
    const claim = rank(figure, figure.everyClient ? compared.filter(servedEveryClient) : compared, threshold);
    if (claim) claims.push({ ...claim, figure: figure.name + at, verdict: claim.leader ?? 'no significant difference' });
  };
  // The seed's question first: how much gets done, when the last client is done, how fairly, at what cost, and what it does to the machine.
  ranked(THROUGHPUT);
  ranked(COMPLETION);
  const convoy = sequentialAgainstBest(compared, at);
  if (convoy) claims.push(convoy);
  ranked(FAIRNESS);
  ranked(SERVER_CPU);
  claims.push(...threadCounts(compared, at));
  const threads = threadContrast(compared, at);
  if (threads) claims.push(threads);
  const probe = responsiveness(compared, at, view.results.idleResponsiveness?.p99LatenessNs ?? null);
  if (probe) claims.push(probe);
  ranked(P50);
  ranked(P99);
  claims.push(...partialService(compared, at));
  return { clients, claims, leftOut };
}

function servedEveryClient(cell: CellView): boolean {
  return cell.cell.summary?.steady?.clientsServed === cell.cell.clients;
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

function rank(figure: RankedFigure, cells: CellView[], threshold: number): Omit<Claim, 'figure' | 'verdict'> | null {
  const sign = figure.better === 'higher' ? -1 : 1;
  const ranked = entries(figure, cells).sort((a, b) => sign * (a.estimate.mean - b.estimate.mean));
  if (ranked.length === 0) return null;
  const [best, runnerUp] = ranked;
  const value = (e: Entry) => formatFigure(e.estimate.mean * figure.scale);
  const unit = figure.unit ? ` ${figure.unit}` : '';
  if (!runnerUp) return { leader: best.cell.server.label, text: `the only server measured: ${value(best)}${unit}` };
  const both = `${value(best)} vs ${value(runnerUp)}${unit}`;
  const comparison = compareEstimates(runnerUp.estimate, best.estimate);
  const names = `${best.cell.server.label} and ${runnerUp.cell.server.label}`;
  if (comparison === null) return { leader: null, text: `${names} cannot be told apart: one of them has no interval (${both})` };
  if (!comparison.significant) return { leader: null, text: `no significant difference between ${names} (${both}; p = ${comparison.pValue.toFixed(2)})` };
  // Significant, but perhaps smaller than the run was measured to: the whole interval of the test's relative difference must lie beyond the threshold (as compare tests its own).
  if (!(comparison.relativeLow > threshold || comparison.relativeHigh < -threshold)) {
    const beyond = `${formatPercent(threshold)}%`;
    return { leader: null, text: `no difference beyond ${beyond} between ${names} (${both}; p = ${formatP(comparison.pValue)}, the difference's interval reaches within ${beyond})` };
  }
  const caveat = waitingCaveat(best.cell, figure);
  return { leader: best.cell.server.label, text: `${margin(figure, best.estimate, runnerUp.estimate, runnerUp.cell.server.label)} (${both})${caveat}` };
}

/**
 * "1.8× ± 0.2 the throughput of node-net", "6.4× ± 0.5 lower than iocp", "12.5% ± 3.0% lower than iocp":
 * the ratio of the larger mean to the smaller, with the half-width of its 95% interval.
 */
function margin(figure: RankedFigure, best: Estimate, other: Estimate, otherName: string): string {
  const higher = figure.better === 'higher';
  const ratio = higher ? ratioOfMeans(best, other) : ratioOfMeans(other, best);
  const value = higher ? best.mean / other.mean : other.mean / best.mean;
  const half = ratio ? ratio.halfWidth : null;
  if (value >= RATIO_FROM) return `${times(value, half)} ${higher ? `the ${figure.noun} of` : 'lower than'} ${otherName}`;
  // Below RATIO_FROM, the same interval said in percent: best / other - 1 more, or 1 - best / other lower (other / best's interval, scaled).
  if (higher) return `${percent(value - 1, half)} more ${figure.noun} than ${otherName}`;
  const lower = 1 - best.mean / other.mean;
  return `${percent(lower, half === null ? null : half / (value * value))} lower than ${otherName}`;
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
  return [{ figure: `Peak server threads${at}`, leader: null, text: `${counted.map((c) => `${c.label} ${c.threads}`).join(', ')} (counted, not estimated)`, verdict: null }];
}

/** The probe's p99 lateness, per server: measured in every trial and averaged, not estimated, so stated, never ranked. */
function responsiveness(cells: CellView[], at: string, idleP99Ns: number | null): Claim | null {
  const probed = cells.flatMap((cell) => {
    const r = cell.cell.summary?.steady?.responsiveness;
    return r ? [{ label: cell.server.label, lateMs: r.p99LatenessNs / 1e6 }] : [];
  });
  if (probed.length === 0) return null;
  probed.sort((a, b) => a.lateMs - b.lateMs);
  const idle = idleP99Ns === null ? '' : `; idle machine before the run ${milliseconds(idleP99Ns / 1e6)}`;
  return {
    figure: `Machine responsiveness${at}`,
    leader: null,
    text: `a probe's p99 lateness waking from sleep: ${probed.map((p) => `${p.label} ${milliseconds(p.lateMs)}`).join(', ')}${idle} (measured, not estimated)`,
    verdict: null,
  };
}

/** A server that did not serve every client in the measured phase: its turnaround is that of the clients it served, said on its own line. */
function partialService(cells: CellView[], at: string): Claim[] {
  return cells.flatMap((cell) => {
    const steady = cell.cell.summary?.steady;
    if (!steady || servedEveryClient(cell)) return [];
    const served = steady.clientsServed === 1 ? 'the one client it served at a time' : `the ${steady.clientsServed} clients it served`;
    const microseconds = (e: Estimate) => `${formatFigure(e.mean * 1e-3)} µs`;
    return [
      {
        figure: `${cell.server.label}'s turnaround${at}`,
        leader: null,
        text: `p50 ${microseconds(steady.p50Ns)}, p99 ${microseconds(steady.p99Ns)}: that of ${served} (${steady.clientsServed} of ${cell.cell.clients} served in the measured phase), not ranked against servers that served every client`,
        verdict: null,
      },
    ];
  });
}

/** A one-at-a-time server against the best concurrent one: its last client waits for all the others. */
function sequentialAgainstBest(cells: CellView[], at: string): Claim | null {
  const figure = COMPLETION;
  const all = entries(figure, cells);
  const sequential = all.find((e) => e.cell.server.name === 'sequential');
  const best = all.filter((e) => e !== sequential).sort((a, b) => a.estimate.mean - b.estimate.mean)[0];
  if (!sequential || !best) return null;
  const claim = `${figure.name}${at}: sequential vs the best concurrent server`;
  const both = `${formatFigure(sequential.estimate.mean)} vs ${formatFigure(best.estimate.mean)} ms`;
  const comparison = compareEstimates(best.estimate, sequential.estimate);
  if (comparison === null) return { figure: claim, leader: null, text: `sequential and ${best.cell.server.label} cannot be told apart: one of them has no interval (${both})`, verdict: 'not comparable' };
  if (!comparison.significant) {
    return { figure: claim, leader: null, text: `no significant difference between sequential and ${best.cell.server.label} (${both}; p = ${formatP(comparison.pValue)})`, verdict: 'no significant difference' };
  }
  const ratio = sequential.estimate.mean / best.estimate.mean;
  if (ratio < 1) {
    return { figure: claim, leader: null, text: `sequential's last client was done after ${formatFigure(sequential.estimate.mean)} ms, earlier than under ${best.cell.server.label} (${formatFigure(best.estimate.mean)} ms)`, verdict: 'sequential earlier' };
  }
  const half = ratioOfMeans(sequential.estimate, best.estimate)?.halfWidth ?? null;
  const later = ratio >= RATIO_FROM ? `${times(ratio, half)} later than` : `${percent(ratio - 1, half)} later than`;
  return {
    figure: claim,
    leader: null,
    text: `sequential's last client was done after ${formatFigure(sequential.estimate.mean)} ms, ${later} under ${best.cell.server.label} (${formatFigure(best.estimate.mean)} ms)`,
    verdict: 'sequential later',
  };
}

/** A thread per client against a pool: the count is the point of the comparison. */
function threadContrast(cells: CellView[], at: string): Claim | null {
  const threadsOf = (name: string) => cells.find((cell) => cell.server.name === name)?.cell.summary?.peakThreads ?? null;
  const perClient = threadsOf('thread-per-client');
  const pooled = threadsOf('iocp');
  if (perClient === null || pooled === null) return null;
  return { figure: `Peak server threads${at}: thread-per-client vs iocp`, leader: null, text: `${perClient} vs ${pooled} threads`, verdict: null };
}

/** "2.1× ± 0.2"; a half-width under 0.1 gets a second decimal, so it never reads "± 0.0". */
function times(ratio: number, halfWidth: number | null): string {
  const digits = ratio >= 10 ? 0 : halfWidth !== null && halfWidth < 0.1 ? 2 : 1;
  return `${ratio.toFixed(digits)}×${halfWidth === null ? '' : ` ± ${halfWidth.toFixed(digits)}`}`;
}

/** "12.5% ± 3.0%" */
function percent(share: number, halfWidth: number | null): string {
  return `${(share * 100).toFixed(1)}%${halfWidth === null ? '' : ` ± ${(halfWidth * 100).toFixed(1)}%`}`;
}

function milliseconds(ms: number): string {
  return `${ms.toFixed(ms < 1 ? 2 : 1)} ms`;
}

/** Three significant figures at most, whole numbers grouped: "61,000", "330", "95.0", "9.00". */
function formatFigure(value: number): string {
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A share as a percentage without trailing zeros: 0.05 "5", 0.025 "2.5". */
export function formatPercent(share: number): string {
  return String(Number((share * 100).toFixed(1)));
}

/** Small p values in a form that reads: "0.03", "2e-4". */
function formatP(p: number): string {
  return p >= 0.01 ? p.toFixed(2) : p.toExponential(0);
}
