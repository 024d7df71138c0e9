// The load driver: runs the matrix of cells (strategy x client count). For each
// cell it starts the server, waits for "ready", starts every client, waits until
// all are connected, releases them at once, collects their reports, checks the
// store is back where it started and stops the server.

import * as os from 'node:os';
import { mergeHistograms, encodeHistogram } from '../clients/histogram';
import type { WorkloadName } from '../clients/workloads';
import { scriptLength } from '../clients/workloads';
import { platform } from '../strategies/platform';
import { strategy as strategyDescriptor } from '../strategies/catalog';
import type { StrategyName } from '../strategies/types';
import { describeEnvironment } from './environment';
import { ClientMessage, clientMessageSchema, ClientReport, ServerCost } from './messages';
import { RunOutput, tail } from './output';
import { Child, describeExit, forkChild, reapAll } from './processes';
import { startServer, StartedServer } from './server-process';
import type { RunOptions } from './options';
import {
  CellResult,
  ClientLoad,
  ClientSummary,
  FailedCell,
  MeasuredCell,
  PercentilePoint,
  Responsiveness,
  RESULTS_SCHEMA_VERSION,
  RunParameters,
  RunResults,
  ServerLoad,
  TrialStats,
  TrialSummary,
} from './results';
import { jainIndex, median, percentileCurve, summarizeLatency } from './stats';
import { countRecords } from './store-check';
import { DEFAULT_MAX_SESSIONS } from '../strategies/session';
import { clientBottleneckWarning, littlesLawWarning, trialSpreadWarning } from './checks';
import { measureIdle, Probe } from './probe';
import { sampleServer, ServerSampler } from './server-sampler';
import { spread, trialOrder } from './trials';

/** A server under test: one we start, or one somebody else started. */
type Target = { kind: 'strategy'; name: StrategyName; mechanism: string } | { kind: 'external'; label: string; address: string };

class CellFailure extends Error {}

export async function runBenchmark(options: RunOptions, output: RunOutput, progress: (line: string) => void): Promise<RunResults> {
  const parameters = parametersOf(options);
  const results: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    environment: describeEnvironment(),
    parameters,
    idleResponsiveness: null,
    cells: [],
  };
  output.writeResults(results);
  const stopOnSignal = (signal: NodeJS.Signals, exitCode: number) => () => {
    reapAll();
    removeSocketFiles();
    results.status = 'interrupted';
    results.finishedAt = new Date().toISOString();
    output.writeResults(results);
    progress(`${signal}: stopped; results of ${results.cells.length} cells are in ${output.resultsPath}`);
    process.exit(exitCode);
  };
  const onInt = stopOnSignal('SIGINT', 130);
  const onTerm = stopOnSignal('SIGTERM', 143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    const idleMs = options.idleProbeMs;
    if (idleMs > 0) {
      results.idleResponsiveness = await measureIdle(output.openLog('probe-idle.log'), idleMs, options.timeouts.readyMs);
      output.writeResults(results);
      progress(`idle machine: probe woke ${describeResponsiveness(results.idleResponsiveness)}`);
    }
    const targets: Target[] = options.strategies.map((name) => ({ kind: 'strategy', name, mechanism: strategyDescriptor(name).mechanism }));
    if (options.external) targets.push({ kind: 'external', ...options.external });
    const plan = targets.flatMap((target) => options.clients.map((clients) => ({ target, clients })));
    const order = trialOrder(plan.length, parameters.repeat, parameters.seed);
    const trials: Trial[][] = plan.map(() => []);
    for (const [index, { cell, trial }] of order.entries()) {
      const { target, clients } = plan[cell];
      const outcome = await runTrial(target, clients, options, output);
      trials[cell].push({ trial, runPosition: index + 1, outcome });
      results.cells = trials.filter((done) => done.length > 0).map((done) => combineTrials(done, parameters.repeat, parameters.loop === 'open'));
      output.writeResults(results);
      const of = parameters.repeat > 1 ? ` (trial ${trial}/${parameters.repeat})` : '';
      progress(`[${index + 1}/${order.length}] ${describeCell(outcome)}${of}`);
      if (outcome.outcome === 'failed' && options.bail) {
        results.status = 'bailed';
        break;
      }
    }
    if (results.status === 'running') results.status = 'complete';
    results.finishedAt = new Date().toISOString();
    output.writeResults(results);
    return results;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

function parametersOf(options: RunOptions): RunParameters {
  const { workload, server } = options;
  return {
    strategies: options.strategies,
    clients: options.clients,
    workload: workload.workload,
    transactions: workload.transactions,
    batches: workload.batches,
    batchSize: workload.batchSize,
    threads: server.threads,
    capacity: server.capacity,
    cpuUs: server.cpuUs,
    storeLatencyUs: server.storeLatencyUs,
    external: options.external,
    commandLine: options.commandLine,
    loop: workload.ratePerClientTps === null ? 'closed' : 'open',
    ratePerClientTps: workload.ratePerClientTps,
    warmupTransactions: workload.warmupTransactions,
    repeat: options.repeat,
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
}

function describeResponsiveness(r: Responsiveness): string {
  return `p50 ${(r.p50LatenessNs / 1000).toFixed(0)} us, p99 ${(r.p99LatenessNs / 1000).toFixed(0)} us, max ${(r.maxLatenessNs / 1000).toFixed(0)} us late (${r.samples} ${r.sleepMs} ms sleeps)`;
}

function describeCell(cell: CellResult): string {
  const head = `${cell.strategy} x ${cell.clients} client${cell.clients === 1 ? '' : 's'}`;
  if (cell.outcome === 'failed') return `${head}: FAILED: ${cell.reason}`;
  const errors = cell.errors.unexpectedStatus + cell.errors.mismatches + cell.errors.failedClients;
  const threads = cell.serverLoad?.peakThreads == null ? '' : `, server ${cell.serverLoad.peakThreads} threads`;
  const probe = cell.responsiveness ? `, probe p99 ${(cell.responsiveness.p99LatenessNs / 1000).toFixed(0)} us late` : '';
  return `${head}: ${Math.round(cell.throughputTps).toLocaleString('en-US')} tps, mean ${(cell.latency.meanNs / 1000).toFixed(1)} us, p99 ${(cell.latency.p99Ns / 1000).toFixed(1)} us, ${errors} errors${threads}${probe} (${(cell.durationMs / 1000).toFixed(1)} s)`;
}

// Addresses of servers we started, released however the run ends.
const socketFiles = new Set<string>();
function removeSocketFiles(): void {
  for (const file of socketFiles) platform.releaseAddress(file);
  socketFiles.clear();
}

/** One run of a cell: its result on its own, and where it ran in the shuffled order. */
interface Trial {
  trial: number;
  runPosition: number;
  outcome: CellResult;
}

async function runTrial(target: Target, clients: number, options: RunOptions, output: RunOutput): Promise<CellResult> {
  const startedAt = new Date();
  const name = target.kind === 'strategy' ? target.name : target.label;
  const cellId = `${name}-${clients}c-${startedAt.getTime()}`;
  const base = {
    strategy: name,
    external: target.kind === 'external',
    mechanism: target.kind === 'strategy' ? target.mechanism : `external server at ${target.address}`,
    clients,
    workload: options.workload.workload as WorkloadName,
    transactionsPerClient: scriptLength(options.workload),
    startedAt: startedAt.toISOString(),
  };
  let server: StartedServer | null = null;
  let serverLogPath: string | null = null;
  let sampler: ServerSampler | null = null;
  let clientDetails: ClientSummary[] = [];
  try {
    const address = target.kind === 'external' ? target.address : platform.uniqueAddress(`${name}-${clients}`);
    if (target.kind === 'strategy') {
      socketFiles.add(address);
      const log = output.openLog(`${cellId}-server.log`);
      serverLogPath = log.path;
      server = await startServer(target.name, { address, maxSessions: DEFAULT_MAX_SESSIONS, knobs: options.server }, log, options.timeouts.readyMs).catch((error: Error) => {
        throw new CellFailure(error.message);
      });
      sampler = sampleServer(server.pid);
    }
    const countBefore = await countRecords(address, options.timeouts.connectMs);
    const probe = Probe.spawn(output.openLog(`${cellId}-probe.log`), options.timeouts.readyMs).catch((error: Error) => error);
    const run = await driveClients(address, clients, options, output, cellId, server, probe);
    clientDetails = run.details;
    const countAfter = await countRecords(address, options.timeouts.connectMs);
    let serverSide: ServerSide | null = null;
    if (server) {
      const sampled = sampler!.stop();
      const windowMs = Date.now() - server.readyAtMs;
      const cost = await server.stop(options.timeouts.readyMs).catch((error: Error) => {
        throw new CellFailure(error.message);
      });
      serverSide = { readyCost: server.readyCost, cost, sampled, windowMs };
    }
    // A client that died mid-script may still hold the records it added; nobody else may leave any.
    const failedClients = run.details.filter((client) => client.fatal !== null).length;
    const heldPerClient = options.workload.workload === 'batch' ? options.workload.batchSize : 1;
    const leftover = countAfter - countBefore;
    if (leftover < 0 || leftover > failedClients * heldPerClient) {
      throw new CellFailure(`store integrity: COUNT was ${countBefore} before the cell and ${countAfter} after it`);
    }
    const cell = measured(base, run, { countBefore, countAfter }, serverSide, Date.now() - startedAt.getTime(), options);
    if (leftover > 0) cell.warnings.push(`${leftover} record(s) left in the store by ${failedClients} failed client(s)`);
    return cell;
  } catch (error) {
    const failed: FailedCell = {
      ...base,
      outcome: 'failed',
      durationMs: Date.now() - startedAt.getTime(),
      reason: (error as Error).message,
      serverLog: serverLogPath ? tail(serverLogPath) : [],
      clientDetails,
      trials: [],
    };
    return failed;
  } finally {
    sampler?.stop();
    reapAll(); // anything still running after a failure: stuck clients, a probe, a server that would not stop
    removeSocketFiles();
  }
}

interface ClientRun {
  goNs: bigint;
  reports: ClientReport[];
  details: ClientSummary[];
  /** What the probe measured while the clients ran, or why it could not. */
  responsiveness: Responsiveness | Error;
}

async function driveClients(
  address: string,
  count: number,
  options: RunOptions,
  output: RunOutput,
  cellId: string,
  server: StartedServer | null,
  probing: Promise<Probe | Error>,
): Promise<ClientRun> {
  const reports = new Map<number, ClientReport>();
  const fatalities = new Map<number, string>();
  const clients: Child<ClientMessage>[] = [];
  let connected = 0;
  let notifyConnected = () => {};
  for (let index = 0; index < count; index++) {
    const start = { address, clientIndex: index, connectTimeoutMs: options.timeouts.connectMs, workload: options.workload };
    const child = forkChild({ role: 'client', options: start }, output.openLog(`${cellId}-client-${index}.log`), clientMessageSchema);
    clients.push(child);
    child.onMessage((message) => {
      if (message.type === 'connected') {
        connected++;
        notifyConnected();
      } else if (message.type === 'report') {
        reports.set(index, message.report);
      }
    });
    void child.exited.then((exit) => {
      if (!reports.has(index)) fatalities.set(index, `client ${describeExit(exit)} without a report`);
      notifyConnected();
    });
  }
  const serverDied = server
    ? server.child.exited.then((exit) => {
        throw new CellFailure(`server ${describeExit(exit)} during the cell: ${tail(server.child.logPath, 3).join(' | ')}`);
      })
    : new Promise<never>(() => {});
  serverDied.catch(() => undefined);

  // The barrier: every client connected (or gone) before any transaction runs.
  await Promise.race([
    serverDied,
    withTimeout(
      new Promise<void>((resolve) => {
        notifyConnected = () => {
          if (connected + fatalities.size >= count) resolve();
        };
        notifyConnected();
      }),
      options.timeouts.connectMs + 5000,
      () => `only ${connected} of ${count} clients connected`,
    ),
  ]);
  const probe = await probing;
  if (probe instanceof Probe) probe.record();
  const goNs = process.hrtime.bigint();
  for (const client of clients) if (client.process.connected) client.process.send({ type: 'go' });
  const finished = Promise.all(clients.map((client) => Promise.all([client.exited, disconnected(client)])));
  await Promise.race([serverDied, withTimeout(finished, options.timeouts.cellMs, `clients still running after ${options.timeouts.cellMs} ms`)]);
  let responsiveness = probe instanceof Probe ? await probe.finish(options.timeouts.readyMs).catch((error: Error) => error) : probe;
  if (!(responsiveness instanceof Error) && responsiveness.samples === 0) responsiveness = new Error('the clients finished before the probe woke once');

  const details: ClientSummary[] = [];
  for (let index = 0; index < count; index++) {
    const report = reports.get(index);
    details.push(report ? summarizeClient(report, goNs) : lostClient(index, fatalities.get(index) ?? 'no report'));
  }
  return { goNs, reports: [...reports.values()], details, responsiveness };
}

function disconnected(child: Child<ClientMessage>): Promise<void> {
  if (!child.process.connected) return Promise.resolve();
  return new Promise((resolve) => child.process.once('disconnect', resolve));
}

function summarizeClient(report: ClientReport, goNs: bigint): ClientSummary {
  const startMs = Number(BigInt(report.startNs) - goNs) / 1e6;
  const endMs = Number(BigInt(report.endNs) - goNs) / 1e6;
  const completionMs = endMs - startMs;
  return {
    clientIndex: report.clientIndex,
    transactions: report.transactions,
    errors: report.errors,
    fatal: report.fatal,
    startMs,
    endMs,
    completionMs,
    throughputTps: completionMs > 0 ? report.transactions / (completionMs / 1000) : 0,
    cpuUserUs: report.cpuUserUs,
    cpuSystemUs: report.cpuSystemUs,
    scriptCpuUserUs: report.scriptCpuUserUs,
    scriptCpuSystemUs: report.scriptCpuSystemUs,
  };
}

function lostClient(clientIndex: number, fatal: string): ClientSummary {
  return {
    clientIndex,
    transactions: 0,
    errors: { unexpectedStatus: 0, mismatches: 0 },
    fatal,
    startMs: 0,
    endMs: 0,
    completionMs: 0,
    throughputTps: 0,
    cpuUserUs: 0,
    cpuSystemUs: 0,
    scriptCpuUserUs: 0,
    scriptCpuSystemUs: 0,
  };
}

interface ServerSide {
  readyCost: ServerCost;
  cost: ServerCost | null;
  sampled: ReturnType<ServerSampler['stop']>;
  /** Wall time from "ready" to "stop". */
  windowMs: number;
}

const cpuCount = os.availableParallelism();

function measured(
  base: Pick<MeasuredCell, 'strategy' | 'external' | 'mechanism' | 'clients' | 'workload' | 'transactionsPerClient' | 'startedAt'>,
  run: ClientRun,
  store: { countBefore: number; countAfter: number },
  serverSide: ServerSide | null,
  durationMs: number,
  options: RunOptions,
): MeasuredCell {
  const histogram = mergeHistograms(run.reports.map((report) => report.histogram));
  const sent = run.reports.flatMap((report) => (report.sentHistogram === null ? [] : [report.sentHistogram]));
  const ran = run.details.filter((client) => client.transactions > 0);
  const transactions = run.details.reduce((sum, client) => sum + client.transactions, 0);
  const makespanMs = ran.length ? Math.max(...ran.map((c) => c.endMs)) - Math.min(...ran.map((c) => c.startMs)) : 0;
  const completions = ran.map((c) => c.completionMs);
  const throughputTps = makespanMs > 0 ? transactions / (makespanMs / 1000) : 0;
  const latency = summarizeLatency(histogram);
  const clientLoad = clientLoadOf(run.details, makespanMs);
  const warmups = run.reports.reduce((sum, report) => sum + report.warmupTransactions, 0);
  const notes = run.responsiveness instanceof Error ? [`responsiveness not measured: ${run.responsiveness.message}`] : [];
  const cell: MeasuredCell = {
    ...base,
    outcome: 'measured',
    durationMs,
    transactions,
    latency,
    percentiles: percentileCurve(histogram),
    throughputTps,
    makespanMs,
    meanCompletionMs: completions.length ? completions.reduce((a, b) => a + b, 0) / completions.length : 0,
    maxCompletionMs: completions.length ? Math.max(...completions) : 0,
    // Counted from the release, so time spent waiting to be served counts against a client (the convoy).
    fairness: jainIndex(run.details.map((c) => (c.endMs > 0 ? c.transactions / c.endMs : 0))),
    errors: {
      unexpectedStatus: run.details.reduce((sum, c) => sum + c.errors.unexpectedStatus, 0),
      mismatches: run.details.reduce((sum, c) => sum + c.errors.mismatches, 0),
      failedClients: run.details.filter((c) => c.fatal !== null).length,
      missingTransactions: run.details.reduce((sum, c) => sum + Math.max(0, base.transactionsPerClient - c.transactions), 0),
    },
    store,
    clientDetails: run.details,
    serverCost: serverSide?.cost ?? null,
    warnings: notes,
    histogram: encodeHistogram(histogram),
    latencyFromSend: sent.length ? summarizeLatency(mergeHistograms(sent)) : null,
    serverLoad: serverSide ? serverLoadOf(serverSide, transactions + warmups) : null,
    clientLoad,
    responsiveness: run.responsiveness instanceof Error ? null : run.responsiveness,
    trials: [],
    trialStats: null,
  };
  cell.warnings.push(...checks(cell, Boolean(options.workload.ratePerClientTps !== null)));
  return cell;
}

/** Warnings recomputed from a cell's (median) figures. */
function checks(cell: MeasuredCell, openLoop: boolean): string[] {
  const warnings: (string | null)[] = [clientBottleneckWarning(cell.clientLoad.cpuShareOfMachine, cpuCount)];
  // Little's law holds for a closed loop only: an open loop's in-flight count is set by the schedule.
  if (!openLoop) warnings.push(littlesLawWarning(cell.clients, cell.throughputTps, cell.latency.meanNs));
  return warnings.filter((w): w is string => w !== null);
}

function serverLoadOf(side: ServerSide, transactions: number): ServerLoad | null {
  if (!side.cost) return null;
  const cpuUserUs = side.cost.cpuUserUs - side.readyCost.cpuUserUs;
  const cpuSystemUs = side.cost.cpuSystemUs - side.readyCost.cpuSystemUs;
  return {
    cpuUserUs,
    cpuSystemUs,
    cpuUsPerTransaction: transactions > 0 ? (cpuUserUs + cpuSystemUs) / transactions : 0,
    cpuShareOfMachine: side.windowMs > 0 ? (cpuUserUs + cpuSystemUs) / (side.windowMs * 1000 * cpuCount) : 0,
    peakThreads: side.sampled.peakThreads,
    peakRssKb: side.sampled.peakRssKb === null ? null : Math.max(side.sampled.peakRssKb, side.cost.maxRssKb),
    sampling: side.sampled.sampling,
    samples: side.sampled.samples,
  };
}

function clientLoadOf(details: ClientSummary[], makespanMs: number): ClientLoad {
  const cpuUserUs = details.reduce((sum, c) => sum + c.scriptCpuUserUs, 0);
  const cpuSystemUs = details.reduce((sum, c) => sum + c.scriptCpuSystemUs, 0);
  return { cpuUserUs, cpuSystemUs, cpuShareOfMachine: makespanMs > 0 ? (cpuUserUs + cpuSystemUs) / (makespanMs * 1000 * cpuCount) : 0 };
}

function trialSummary(t: Trial): TrialSummary {
  const cell = t.outcome;
  const common = { trial: t.trial, runPosition: t.runPosition, startedAt: cell.startedAt };
  if (cell.outcome === 'failed') {
    return { ...common, outcome: 'failed', reason: cell.reason, transactions: 0, throughputTps: 0, makespanMs: 0, maxCompletionMs: 0, latency: null, responsiveness: null, serverCpuUs: null };
  }
  return {
    ...common,
    outcome: 'measured',
    reason: null,
    transactions: cell.transactions,
    throughputTps: cell.throughputTps,
    makespanMs: cell.makespanMs,
    maxCompletionMs: cell.maxCompletionMs,
    latency: cell.latency,
    responsiveness: cell.responsiveness,
    serverCpuUs: cell.serverLoad ? cell.serverLoad.cpuUserUs + cell.serverLoad.cpuSystemUs : null,
  };
}

/**
 * One cell from its trials so far: medians across the measured ones, field by field
 * (see MeasuredCell.trials), plus the disagreement between them.
 */
function combineTrials(trials: Trial[], repeat: number, openLoop: boolean): CellResult {
  const sorted = [...trials].sort((a, b) => a.trial - b.trial);
  const summaries = sorted.map(trialSummary);
  const ok = sorted.map((t) => t.outcome).filter((c): c is MeasuredCell => c.outcome === 'measured');
  const failed = sorted.filter((t) => t.outcome.outcome === 'failed');
  if (ok.length === 0) return { ...(sorted[sorted.length - 1].outcome as FailedCell), trials: summaries };
  if (sorted.length === 1) return { ...ok[0], trials: summaries };
  // The trial with the median throughput lends the per-client details.
  const byThroughput = [...ok].sort((a, b) => a.throughputTps - b.throughputTps);
  const representative = byThroughput[Math.floor((byThroughput.length - 1) / 2)];
  const cell: MeasuredCell = {
    ...representative,
    durationMs: ok.reduce((sum, c) => sum + c.durationMs, 0),
    transactions: ok.reduce((sum, c) => sum + c.transactions, 0),
    latency: medianOf(ok.map((c) => c.latency)),
    percentiles: medianCurve(ok.map((c) => c.percentiles)),
    throughputTps: median(ok.map((c) => c.throughputTps)),
    makespanMs: median(ok.map((c) => c.makespanMs)),
    meanCompletionMs: median(ok.map((c) => c.meanCompletionMs)),
    maxCompletionMs: median(ok.map((c) => c.maxCompletionMs)),
    fairness: median(ok.map((c) => c.fairness)),
    errors: {
      unexpectedStatus: ok.reduce((sum, c) => sum + c.errors.unexpectedStatus, 0),
      mismatches: ok.reduce((sum, c) => sum + c.errors.mismatches, 0),
      failedClients: ok.reduce((sum, c) => sum + c.errors.failedClients, 0),
      missingTransactions: ok.reduce((sum, c) => sum + c.errors.missingTransactions, 0),
    },
    serverCost: medianOfNullable(ok.map((c) => c.serverCost)),
    histogram: encodeHistogram(mergeHistograms(ok.map((c) => c.histogram))),
    latencyFromSend: medianOfNullable(ok.map((c) => c.latencyFromSend)),
    serverLoad: medianOfNullable(ok.map((c) => c.serverLoad)),
    clientLoad: medianOf(ok.map((c) => c.clientLoad)),
    responsiveness: medianOfNullable(ok.map((c) => c.responsiveness)),
    trials: summaries,
    trialStats: null,
    warnings: [],
  };
  const warnings: (string | null)[] = [];
  for (const t of sorted) {
    if (t.outcome.outcome === 'failed') continue;
    for (const note of t.outcome.warnings) if (note.startsWith('responsiveness not measured')) warnings.push(`trial ${t.trial}: ${note}`);
  }
  if (failed.length) warnings.push(`${failed.length} of ${sorted.length} trials failed: ${failed.map((t) => `trial ${t.trial}: ${(t.outcome as FailedCell).reason}`).join('; ')}`);
  if (sorted.length < repeat) warnings.push(`${sorted.length} of ${repeat} trials run so far`);
  if (ok.length >= 2) {
    const stats: TrialStats = {
      measuredTrials: ok.length,
      throughputTps: spread(ok.map((c) => c.throughputTps)),
      p99Ns: spread(ok.map((c) => c.latency.p99Ns)),
      makespanMs: spread(ok.map((c) => c.makespanMs)),
    };
    cell.trialStats = stats;
    const tps = (v: number) => `${Math.round(v)} tps`;
    const us = (v: number) => `${(v / 1000).toFixed(1)} us`;
    warnings.push(trialSpreadWarning('throughput', ok.map((c) => c.throughputTps), stats.throughputTps.relativeSpread, tps));
    warnings.push(trialSpreadWarning('p99 turnaround', ok.map((c) => c.latency.p99Ns), stats.p99Ns.relativeSpread, us));
  }
  cell.warnings = [...warnings.filter((w): w is string => w !== null), ...checks(cell, openLoop)];
  return cell;
}

/** Field-by-field median of objects of one shape; non-numeric fields (and null numbers) come from the first. */
function medianOf<T extends object>(values: T[]): T {
  const result = { ...values[0] } as Record<string, unknown>;
  for (const key of Object.keys(result)) {
    const numbers = values.map((v) => (v as Record<string, unknown>)[key]).filter((n): n is number => typeof n === 'number');
    if (numbers.length === values.length) result[key] = median(numbers);
  }
  return result as T;
}

function medianOfNullable<T extends object>(values: (T | null)[]): T | null {
  const present = values.filter((v): v is T => v !== null);
  return present.length ? medianOf(present) : null;
}

function medianCurve(curves: PercentilePoint[][]): PercentilePoint[] {
  const full = curves.filter((curve) => curve.length > 0);
  if (full.length === 0) return [];
  return full[0].map((point, i) => ({ percentile: point.percentile, valueNs: median(full.map((curve) => curve[i].valueNs)) }));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CellFailure(`${typeof what === 'function' ? what() : what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
