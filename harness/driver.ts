// The load driver: runs the matrix of cells (strategy x client count). For each
// cell it starts the server, waits for "ready", starts every client, waits until
// all are connected, releases them at once, collects their reports, checks the
// store is back where it started and stops the server.

import * as fs from 'node:fs';
import { mergeHistograms, encodeHistogram } from '../clients/histogram';
import type { ClientReport, WorkloadName } from '../clients/report';
import { scriptLength, WorkloadSpec } from '../clients/workloads';
import { backend, uniqueAddress } from '../strategies/platform';
import { strategy as strategyDescriptor } from '../strategies/catalog';
import type { StrategyName } from '../strategies/types';
import { describeEnvironment } from './environment';
import type { ClientMessage, ServerCost, ServerMessage } from './messages';
import { RunOutput, tail } from './output';
import { Child, describeExit, forkPipebench, reapAll } from './processes';
import { CellResult, ClientSummary, FailedCell, MeasuredCell, RESULTS_SCHEMA_VERSION, RunParameters, RunResults } from './results';
import { jainIndex, percentileCurve, summarizeLatency } from './stats';
import { countRecords } from './store-check';

export interface Timeouts {
  readyMs: number;
  connectMs: number;
  cellMs: number;
}

export interface RunOptions extends WorkloadSpec {
  strategies: StrategyName[];
  clients: number[];
  threads: number;
  capacity: number;
  cpuUs: number;
  storeLatencyUs: number;
  external: { address: string; label: string } | null;
  bail: boolean;
  timeouts: Timeouts;
  commandLine: string;
}

/** A server under test: one we start, or one somebody else started. */
type Target = { kind: 'strategy'; name: StrategyName; mechanism: string } | { kind: 'external'; label: string; address: string };

class CellFailure extends Error {}

export async function runBenchmark(options: RunOptions, output: RunOutput, progress: (line: string) => void): Promise<RunResults> {
  const results: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    environment: describeEnvironment(),
    parameters: parametersOf(options),
    cells: [],
  };
  output.writeResults(results);
  const stopOnSignal = (signal: NodeJS.Signals, exitCode: number) => () => {
    reapAll();
    removeSocketFiles();
    results.status = 'interrupted';
    results.finishedAt = new Date().toISOString();
    output.writeResults(results);
    progress(`${signal}: stopped; results of ${results.cells.length} finished cells are in ${output.resultsPath}`);
    process.exit(exitCode);
  };
  const onInt = stopOnSignal('SIGINT', 130);
  const onTerm = stopOnSignal('SIGTERM', 143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    const targets: Target[] = options.strategies.map((name) => ({ kind: 'strategy', name, mechanism: strategyDescriptor(name).mechanism }));
    if (options.external) targets.push({ kind: 'external', ...options.external });
    const plan = targets.flatMap((target) => options.clients.map((clients) => ({ target, clients })));
    for (const [index, { target, clients }] of plan.entries()) {
      const cell = await runCell(target, clients, options, output);
      results.cells.push(cell);
      output.writeResults(results);
      progress(`[${index + 1}/${plan.length}] ${describeCell(cell)}`);
      if (cell.outcome === 'failed' && options.bail) {
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
  return {
    strategies: options.strategies,
    clients: options.clients,
    workload: options.workload,
    transactions: options.transactions,
    batches: options.batches,
    batchSize: options.batchSize,
    threads: options.threads,
    capacity: options.capacity,
    cpuUs: options.cpuUs,
    storeLatencyUs: options.storeLatencyUs,
    external: options.external,
    commandLine: options.commandLine,
  };
}

function describeCell(cell: CellResult): string {
  const head = `${cell.strategy} x ${cell.clients} client${cell.clients === 1 ? '' : 's'}`;
  if (cell.outcome === 'failed') return `${head}: FAILED: ${cell.reason}`;
  const errors = cell.errors.unexpectedStatus + cell.errors.mismatches + cell.errors.failedClients;
  return `${head}: ${Math.round(cell.throughputTps).toLocaleString('en-US')} tps, mean ${(cell.latency.meanNs / 1000).toFixed(1)} us, p99 ${(cell.latency.p99Ns / 1000).toFixed(1)} us, ${errors} errors (${(cell.durationMs / 1000).toFixed(1)} s)`;
}

// Socket files of servers we started, removed however the run ends.
const socketFiles = new Set<string>();
function removeSocketFiles(): void {
  if (backend === 'win32') return;
  for (const file of socketFiles) fs.rmSync(file, { force: true });
  socketFiles.clear();
}

interface StartedServer {
  child: Child;
  logPath: string;
  stop(): Promise<ServerCost | null>;
}

async function runCell(target: Target, clients: number, options: RunOptions, output: RunOutput): Promise<CellResult> {
  const startedAt = new Date();
  const name = target.kind === 'strategy' ? target.name : target.label;
  const cellId = `${name}-${clients}c-${startedAt.getTime()}`;
  const base = {
    strategy: name,
    external: target.kind === 'external',
    mechanism: target.kind === 'strategy' ? target.mechanism : `external server at ${target.address}`,
    clients,
    workload: options.workload as WorkloadName,
    transactionsPerClient: scriptLength(options),
    startedAt: startedAt.toISOString(),
  };
  let server: StartedServer | null = null;
  let clientDetails: ClientSummary[] = [];
  try {
    const address = target.kind === 'external' ? target.address : uniqueAddress(`${name}-${clients}`);
    if (target.kind === 'strategy') server = await startServer(target.name, address, options, output, cellId);
    const countBefore = await countRecords(address, options.timeouts.connectMs);
    const run = await driveClients(address, clients, options, output, cellId, server);
    clientDetails = run.details;
    const countAfter = await countRecords(address, options.timeouts.connectMs);
    const serverCost = server ? await server.stop() : null;
    // A client that died mid-script may still hold the records it added; nobody else may leave any.
    const failedClients = run.details.filter((client) => client.fatal !== null).length;
    const heldPerClient = options.workload === 'batch' ? options.batchSize : 1;
    const leftover = countAfter - countBefore;
    if (leftover < 0 || leftover > failedClients * heldPerClient) {
      throw new CellFailure(`store integrity: COUNT was ${countBefore} before the cell and ${countAfter} after it`);
    }
    const cell = measured(base, run, { countBefore, countAfter }, serverCost, Date.now() - startedAt.getTime());
    if (leftover > 0) cell.warnings.push(`${leftover} record(s) left in the store by ${failedClients} failed client(s)`);
    return cell;
  } catch (error) {
    const failed: FailedCell = {
      ...base,
      outcome: 'failed',
      durationMs: Date.now() - startedAt.getTime(),
      reason: (error as Error).message,
      serverLog: server ? tail(server.logPath) : [],
      clientDetails,
    };
    return failed;
  } finally {
    reapAll(); // anything still running after a failure: stuck clients, a server that would not stop
    removeSocketFiles();
  }
}

function startServer(name: StrategyName, address: string, options: RunOptions, output: RunOutput, cellId: string): Promise<StartedServer> {
  const log = output.openLog(`${cellId}-server.log`);
  const args = ['serve', '--strategy', name, '--address', address, '--threads', String(options.threads), '--capacity', String(options.capacity)];
  args.push('--cpu-us', String(options.cpuUs), '--store-latency-us', String(options.storeLatencyUs));
  const child = forkPipebench(args, log.fd);
  fs.closeSync(log.fd);
  if (backend !== 'win32') socketFiles.add(address);
  let cost: ServerCost | null = null;
  child.process.on('message', (message: ServerMessage) => {
    if (message.type === 'stopped') cost = message.cost;
  });
  const server: StartedServer = {
    child,
    logPath: log.path,
    async stop() {
      child.process.send({ type: 'stop' });
      const exit = await withTimeout(child.exited, options.timeouts.readyMs, 'server did not stop');
      if (exit.code !== 0) throw new CellFailure(`server ${describeExit(exit)} while stopping`);
      return cost;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CellFailure(`server not ready within ${options.timeouts.readyMs} ms`)), options.timeouts.readyMs);
    child.process.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(server);
      }
    });
    void child.exited.then((exit) => {
      clearTimeout(timer);
      reject(new CellFailure(`server ${describeExit(exit)} before it was ready: ${tail(log.path, 3).join(' | ')}`));
    });
  });
}

interface ClientRun {
  goNs: bigint;
  reports: ClientReport[];
  details: ClientSummary[];
}

async function driveClients(address: string, count: number, options: RunOptions, output: RunOutput, cellId: string, server: StartedServer | null): Promise<ClientRun> {
  const log = output.openLog(`${cellId}-clients.log`);
  const args = (index: number) => [
    'client',
    '--address', address,
    '--index', String(index),
    '--workload', options.workload,
    '--transactions', String(options.transactions),
    '--batches', String(options.batches),
    '--batch-size', String(options.batchSize),
    '--connect-timeout-ms', String(options.timeouts.connectMs),
  ];
  const reports = new Map<number, ClientReport>();
  const fatalities = new Map<number, string>();
  const clients: Child[] = [];
  let connected = 0;
  let notifyConnected = () => {};
  for (let index = 0; index < count; index++) {
    const child = forkPipebench(args(index), log.fd);
    clients.push(child);
    child.process.on('message', (message: ClientMessage) => {
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
  fs.closeSync(log.fd);
  const serverDied = server
    ? server.child.exited.then((exit) => {
        throw new CellFailure(`server ${describeExit(exit)} during the cell: ${tail(server.logPath, 3).join(' | ')}`);
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
      `only ${connected} of ${count} clients connected`,
    ),
  ]);
  const goNs = process.hrtime.bigint();
  for (const client of clients) if (client.process.connected) client.process.send({ type: 'go' });
  const finished = Promise.all(clients.map((client) => Promise.all([client.exited, disconnected(client)])));
  await Promise.race([serverDied, withTimeout(finished, options.timeouts.cellMs, `clients still running after ${options.timeouts.cellMs} ms`)]);

  const details: ClientSummary[] = [];
  for (let index = 0; index < count; index++) {
    const report = reports.get(index);
    details.push(report ? summarizeClient(report, goNs) : lostClient(index, fatalities.get(index) ?? 'no report'));
  }
  return { goNs, reports: [...reports.values()], details };
}

function disconnected(child: Child): Promise<void> {
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
  };
}

function measured(
  base: Omit<MeasuredCell, 'outcome' | 'durationMs' | 'transactions' | 'latency' | 'percentiles' | 'throughputTps' | 'makespanMs' | 'meanCompletionMs' | 'maxCompletionMs' | 'fairness' | 'errors' | 'store' | 'clientDetails' | 'serverCost' | 'warnings' | 'histogram'>,
  run: ClientRun,
  store: { countBefore: number; countAfter: number },
  serverCost: ServerCost | null,
  durationMs: number,
): MeasuredCell {
  const histogram = mergeHistograms(run.reports.map((report) => report.histogram));
  const ran = run.details.filter((client) => client.transactions > 0);
  const transactions = run.details.reduce((sum, client) => sum + client.transactions, 0);
  const makespanMs = ran.length ? Math.max(...ran.map((c) => c.endMs)) - Math.min(...ran.map((c) => c.startMs)) : 0;
  const completions = ran.map((c) => c.completionMs);
  return {
    ...base,
    outcome: 'measured',
    durationMs,
    transactions,
    latency: summarizeLatency(histogram),
    percentiles: percentileCurve(histogram),
    throughputTps: makespanMs > 0 ? transactions / (makespanMs / 1000) : 0,
    makespanMs,
    meanCompletionMs: completions.length ? completions.reduce((a, b) => a + b, 0) / completions.length : 0,
    maxCompletionMs: completions.length ? Math.max(...completions) : 0,
    fairness: jainIndex(run.details.map((c) => c.throughputTps)),
    errors: {
      unexpectedStatus: run.details.reduce((sum, c) => sum + c.errors.unexpectedStatus, 0),
      mismatches: run.details.reduce((sum, c) => sum + c.errors.mismatches, 0),
      failedClients: run.details.filter((c) => c.fatal !== null).length,
      missingTransactions: run.details.reduce((sum, c) => sum + Math.max(0, base.transactionsPerClient - c.transactions), 0),
    },
    store,
    clientDetails: run.details,
    serverCost,
    warnings: [],
    histogram: encodeHistogram(histogram),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CellFailure(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
