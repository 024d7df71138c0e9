// One trial's figures from its clients' reports: pure arithmetic, so every figure
// can be checked on made-up reports. Throughput counts only what ended inside the
// measured phase, when every client was running; turnaround comes from the same
// transactions; fairness compares what each client got in a common window.

import { encodeHistogram, mergeHistograms } from '../../clients/histogram';
import type { ClientReport } from '../../contract/messages';
import type { CellErrors, ClientSummary, Responsiveness, ScriptTrial, SteadyTrial, WindowCost } from '../schema/results';
import { percentileCurve, summarizeLatency } from './latency';
import { jainIndex, sum } from './statistics';
import type { ProcessCost } from '../../strategies/types';

export interface SteadyPhase {
  startMs: number;
  windows: number;
  windowMs: number;
}

export interface TrialInputs {
  clients: number;
  reports: ReadonlyMap<number, ClientReport>;
  /** Clients that ended without a report, and why. */
  fatalities: ReadonlyMap<number, string>;
  steady: SteadyPhase | null;
  /** When the script began (shared clock), and how long each client's is; null when no script ran. */
  script: { startMs: number; transactionsPerClient: number } | null;
  /** The server's cost read at the start and end of the measured phase. */
  serverCost: { start: ProcessCost; end: ProcessCost } | null;
  responsiveness: Responsiveness | null;
}

export function clientDetails(input: TrialInputs): ClientSummary[] {
  return Array.from({ length: input.clients }, (_, index) => {
    const report = input.reports.get(index);
    if (!report) return { clientIndex: index, transactions: 0, errors: { unexpectedStatus: 0, mismatches: 0 }, fatal: input.fatalities.get(index) ?? 'no report', cpuUs: 0 };
    return { clientIndex: index, transactions: report.transactions, errors: report.errors, fatal: report.fatal, cpuUs: report.cpu.userUs + report.cpu.systemUs };
  });
}

export function trialErrors(input: TrialInputs): CellErrors {
  const details = clientDetails(input);
  const scripted = input.script;
  return {
    unexpectedStatus: sum(details.map((c) => c.errors.unexpectedStatus)),
    mismatches: sum(details.map((c) => c.errors.mismatches)),
    failedClients: details.filter((c) => c.fatal !== null).length,
    missingTransactions: scripted
      ? sum(Array.from({ length: input.clients }, (_, i) => Math.max(0, scripted.transactionsPerClient - (input.reports.get(i)?.script?.transactions ?? 0))))
      : 0,
  };
}

export function steadyFigures(input: TrialInputs): SteadyTrial | null {
  const phase = input.steady;
  if (!phase) return null;
  const parts = [...input.reports.values()].flatMap((r) => (r.steady ? [r.steady] : []));
  const windows = Array.from({ length: phase.windows }, (_, w) => {
    const count = sum(parts.map((p) => p.windowCounts[w] ?? 0));
    const merged = mergeHistograms(parts.flatMap((p) => (p.windowHistograms[w] ? [p.windowHistograms[w]] : [])));
    return { throughputTps: (count * 1000) / phase.windowMs, p50Ns: merged.getValueAtPercentile(50), p99Ns: merged.getValueAtPercentile(99) };
  });
  const histogram = mergeHistograms(parts.map((p) => p.histogram));
  const sent = parts.flatMap((p) => (p.sentHistogram ? [p.sentHistogram] : []));
  const perClient = Array.from({ length: input.clients }, (_, i) => sum(input.reports.get(i)?.steady?.windowCounts ?? []));
  const transactions = sum(perClient);
  return {
    windowMs: phase.windowMs,
    windows,
    transactions,
    throughputTps: (transactions * 1000) / (phase.windows * phase.windowMs),
    latency: summarizeLatency(histogram),
    latencyFromSend: sent.length ? summarizeLatency(mergeHistograms(sent)) : null,
    percentiles: percentileCurve(histogram),
    histogram: encodeHistogram(histogram),
    perClient,
    clientsServed: perClient.filter((n) => n > 0).length,
    fairness: jainIndex(perClient),
    serverCost: input.serverCost ? costBetween(input.serverCost.start, input.serverCost.end) : null,
    clientCpuUs: sum([...input.reports.values()].map((r) => (r.measuredCpu ? r.measuredCpu.userUs + r.measuredCpu.systemUs : 0))),
    responsiveness: input.responsiveness,
  };
}

export function costBetween(start: ProcessCost, end: ProcessCost): WindowCost {
  const difference = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  return {
    cpuUserUs: end.cpuUserUs - start.cpuUserUs,
    cpuSystemUs: end.cpuSystemUs - start.cpuSystemUs,
    voluntaryContextSwitches: difference(start.voluntaryContextSwitches, end.voluntaryContextSwitches),
    involuntaryContextSwitches: difference(start.involuntaryContextSwitches, end.involuntaryContextSwitches),
  };
}

/**
 * How many script transactions a client had done `atMs` after the script began,
 * from its sampled end times (every `every`-th); exact for a client already done.
 */
export function doneBy(part: NonNullable<ClientReport['script']>, startMs: number, atMs: number): number {
  if (part.endMs - startMs <= atMs) return part.transactions;
  let samples = 0;
  while (samples < part.endsMs.length && part.endsMs[samples] - startMs <= atMs) samples++;
  return samples * part.every;
}

export function scriptFigures(input: TrialInputs): ScriptTrial | null {
  const script = input.script;
  if (!script) return null;
  const clients = Array.from({ length: input.clients }, (_, index) => {
    const part = input.reports.get(index)?.script ?? null;
    const finished = part !== null && part.transactions >= script.transactionsPerClient && input.reports.get(index)!.fatal === null;
    return { clientIndex: index, transactions: part?.transactions ?? 0, doneMs: finished ? part.endMs - script.startMs : null, part };
  });
  const done = clients.flatMap((c) => (c.doneMs === null ? [] : [c.doneMs]));
  const parts = clients.flatMap((c) => (c.part ? [c.part] : []));
  const transactions = sum(clients.map((c) => c.transactions));
  const makespanMs = parts.length ? Math.max(...parts.map((p) => p.endMs - script.startMs)) : 0;
  const firstDoneMs = done.length ? Math.min(...done) : makespanMs;
  const histogram = mergeHistograms(parts.map((p) => p.histogram));
  const sent = parts.flatMap((p) => (p.sentHistogram ? [p.sentHistogram] : []));
  return {
    transactionsPerClient: script.transactionsPerClient,
    transactions,
    makespanMs,
    throughputTps: makespanMs > 0 ? (transactions * 1000) / makespanMs : 0,
    latency: summarizeLatency(histogram),
    latencyFromSend: sent.length ? summarizeLatency(mergeHistograms(sent)) : null,
    percentiles: percentileCurve(histogram),
    histogram: encodeHistogram(histogram),
    clients: clients.map(({ clientIndex, transactions: n, doneMs }) => ({ clientIndex, transactions: n, doneMs })),
    meanDoneMs: done.length ? sum(done) / done.length : 0,
    worstDoneMs: done.length ? Math.max(...done) : 0,
    fairness: jainIndex(clients.map((c) => (c.part ? doneBy(c.part, script.startMs, firstDoneMs) : 0))),
  };
}
