// Trials and results made up for tests: each figure given, the rest plausible and fixed.

import type { Cell, FailedTrial, LatencySummaryNs, MeasuredTrial, RunParameters, RunResults, Trial } from '../../harness/schema/results';
import { RESULTS_SCHEMA_VERSION } from '../../harness/schema/results';
import { summarizeCells } from '../../harness/measure/summarize';

export const PARAMETERS: RunParameters = {
  strategies: ['a', 'b'],
  clients: [1, 4],
  external: null,
  server: { threads: 2, capacity: 1000, cpuUs: 0, storeLatencyUs: 0, waitOrder: 'fair' },
  workload: { workload: 'transactions', transactions: 100, batches: 1, batchSize: 1, ratePerClientTps: null },
  measurement: { mode: 'both', windowMs: 100, measureWindows: 10, warmupMinMs: 300, warmupMinTransactions: 0, clientWarmupMs: 0, warmupMaxMs: 5000, steadyWindows: 5, steadyTolerance: 0.1, unstableHalfWidth: 0.05 },
  repeat: 3,
  precision: null,
  maxTimeMs: null,
  seed: 1,
  bail: false,
  commandLine: 'pipebench run',
};

function latency(p50Ns: number): LatencySummaryNs {
  return { meanNs: p50Ns * 1.1, p50Ns, p90Ns: p50Ns * 1.5, p99Ns: p50Ns * 3, p999Ns: p50Ns * 5, maxNs: p50Ns * 10, minNs: p50Ns / 2, stdDevNs: p50Ns / 3 };
}

export interface TrialSpec {
  trial: number;
  throughputTps: number;
  p50Ns?: number;
  clients?: number;
  clientsServed?: number;
  worstDoneMs?: number;
  /** The mean client's completion (default: the worst client's). */
  meanDoneMs?: number;
  serverCpuUs?: number;
  clientCpuUs?: number;
  errors?: Partial<MeasuredTrial['errors']>;
  steadyFromWindow?: number | null;
  loadAverage?: number;
  hostWakeupUs?: number | null;
  hostWakeupAfterUs?: number | null;
}

export function trial(spec: TrialSpec): MeasuredTrial & { outcome: 'measured' } {
  const clients = spec.clients ?? 1;
  const served = spec.clientsServed ?? clients;
  const transactions = Math.round(spec.throughputTps); // 10 windows of 100 ms: one second
  const perClient = Array.from({ length: clients }, (_, i) => (i < served ? Math.round(transactions / served) : 0));
  return {
    outcome: 'measured',
    trial: spec.trial,
    runPosition: spec.trial,
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 3000,
    phasesMs: { start: 500, warmup: 800, measure: 1100, script: 400, finish: 200 },
    warmup: { windowMs: 100, throughputTps: [spec.throughputTps], steadyFromWindow: spec.steadyFromWindow === undefined ? 3 : spec.steadyFromWindow, durationMs: 800, remeasured: 0, wandered: null },
    steady: {
      windowMs: 100,
      windows: Array.from({ length: 10 }, () => ({ throughputTps: spec.throughputTps, p50Ns: spec.p50Ns ?? 20_000, p99Ns: (spec.p50Ns ?? 20_000) * 3 })),
      transactions,
      throughputTps: spec.throughputTps,
      latency: latency(spec.p50Ns ?? 20_000),
      latencyFromSend: null,
      percentiles: [],
      histogram: 'HISTFAAAACN4nJNpmSzMwMDAzMDAwAilGSBsZjeDHQsYYPzDwUwAUoYEOQ==',
      perClient,
      clientsServed: served,
      fairness: served / clients,
      serverCost: spec.serverCpuUs === undefined ? null : { cpuUserUs: spec.serverCpuUs / 2, cpuSystemUs: spec.serverCpuUs / 2, voluntaryContextSwitches: 100, involuntaryContextSwitches: 0 },
      clientCpuUs: spec.clientCpuUs ?? 100_000,
      responsiveness: null,
    },
    script: {
      transactionsPerClient: 100,
      transactions: 100 * clients,
      makespanMs: spec.worstDoneMs ?? 10,
      throughputTps: 1000,
      latency: latency(20_000),
      latencyFromSend: null,
      percentiles: [],
      histogram: 'HISTFAAAACN4nJNpmSzMwMDAzMDAwAilGSBsZjeDHQsYYPzDwUwAUoYEOQ==',
      clients: Array.from({ length: clients }, (_, i) => ({ clientIndex: i, transactions: 100, doneMs: spec.worstDoneMs ?? 10 })),
      meanDoneMs: spec.meanDoneMs ?? spec.worstDoneMs ?? 10,
      worstDoneMs: spec.worstDoneMs ?? 10,
      fairness: 1,
    },
    clientDetails: Array.from({ length: clients }, (_, i) => ({ clientIndex: i, transactions: 1000, errors: { unexpectedStatus: 0, mismatches: 0 }, fatal: null, cpuUs: 1000 })),
    errors: { unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0, ...spec.errors },
    store: { countBefore: 0, countAfter: 0 },
    serverLoad: { peakThreads: 5, peakRssKb: 50_000, sampling: 'test', samples: 3 },
    loadAverage: spec.loadAverage ?? 0.5,
    hostWakeupUs: spec.hostWakeupUs ?? null,
    hostWakeupAfterUs: spec.hostWakeupAfterUs ?? null,
    warnings: [],
  };
}

export function failedTrial(number: number, reason: string): FailedTrial & { outcome: 'failed' } {
  return { outcome: 'failed', trial: number, runPosition: number, startedAt: '2026-11-23T00:00:00.000Z', durationMs: 100, reason, serverLog: ['ready'], clientDetails: [] };
}

export function cellOf(strategy: string, clients: number, trials: Trial[]): Omit<Cell, 'summary'> {
  return { strategy, external: false, mechanism: `${strategy}'s mechanism`, clients, trials };
}

export function resultsOf(cells: Cell[]): RunResults {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    startedAt: '2026-11-23T00:00:00.000Z',
    finishedAt: '2026-11-23T00:01:00.000Z',
    status: 'complete',
    ended: null,
    environment: { os: 'linux', osLabel: 'Linux 6.18', kernel: '6.18', wine: null, arch: 'x64', cpuModel: 'test', cpuCount: 2, memoryBytes: 1e9, node: 'v20', pipebench: '0.1.0', hostname: 'test', loadAverage: 0.1, clientTransport: null },
    parameters: PARAMETERS,
    idleResponsiveness: null,
    warnings: [],
    cells,
  };
}

/** A summarized run of two cells at 4 clients, iocp and node-net, whose trials give these throughputs (tx/s); p50 20 µs. */
export function twoCellRun(iocpTps: number[], nodeNetTps: number[]): RunResults {
  const cell = (strategy: string, tps: number[]) => cellOf(strategy, 4, tps.map((throughputTps, i) => trial({ trial: i + 1, throughputTps, clients: 4 })));
  return resultsOf(summarizeCells([cell('iocp', iocpTps), cell('node-net', nodeNetTps)], PARAMETERS, 2));
}
