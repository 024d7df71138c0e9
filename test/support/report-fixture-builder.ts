// Builds test/fixtures/results-sample.json from the literal figures below:
//   node dist/test/support/report-fixture-builder.js
// Each cell's trials are made from its literals times a small fixed spread, and
// summarized by the harness's own summarizeCells, so the file is what a run
// would write. The report tests state their expectations from these literals.
//
// Servers: sequential, thread-per-client, iocp and an external edge-proxy, at
// 1, 4 and 8 clients, 3 trials each. On purpose: thread-per-client fails at 4
// clients; iocp's trial 2 at 1 client fails; edge-proxy at 4 clients has client
// errors; edge-proxy's trial 2 at 8 clients never settles; sequential at 1 client
// is noisy: its trials spread 3% where every other cell's spread 1%, significantly
// more than the run's noise (F test, Holm over the cells), so it is warned about
// ('noisy-cell'); its ±7.5% interval alone would not be. iocp at 1 client, two
// trials left, reaches only ±13% and is not warned about for it: the interval and
// the precision line show it. sequential's clients wait their turn.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeHistogram, encodeHistogram, newHistogram } from '../../clients/histogram';
import { percentileCurve } from '../../harness/measure/latency';
import type { Cell, ClientSummary, RunParameters, RunResults, Trial, Warning } from '../../harness/schema/results';
import { readRunResults } from '../../harness/schema/results';
import { jainIndex } from '../../harness/measure/statistics';
import { summarizeCells } from '../../harness/measure/summarize';

export const FIXTURE_FILE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'results-sample.json');

type Measured = Extract<Trial, { outcome: 'measured' }>;
type Failed = Extract<Trial, { outcome: 'failed' }>;

const CORES = 2;
const STARTED_MS = Date.parse('2026-01-15T10:00:00.000Z');
const TRANSACTIONS_PER_CLIENT = 1000;

/** One cell's figures (means over its trials), as the report tests quote them. */
interface Figures {
  throughputTps: number;
  p50Us: number;
  p99Us: number;
  worstDoneMs: number;
  /** null: an external server without --external-pid (no CPU, threads or memory). */
  cpuUsPerTransaction: number | null;
  peakThreads: number | null;
  peakRssMb: number | null;
  /** Clients served in the measured phase (sequential serves one). */
  served?: number;
  /** Spread of each trial's figures around the literals: the trials' mean is the literal. */
  spread?: number;
  /** How unevenly the clients were served (scales CLIENT_SHAPE's differences). */
  unevenness?: number;
}

interface CellSpec {
  strategy: string;
  clients: number;
  figures: Figures | null;
  /** Trials that fail: their number, why, and the server's last lines. */
  failedTrials?: Array<{ trial: number; reason: string; serverLog: string[] }>;
  /** Per trial number: how it went wrong while still measured. */
  trouble?: Record<number, 'client-errors' | 'no-steady-state'>;
}

const SEGFAULT = { reason: 'server exited with signal SIGSEGV (<worker 3>)', serverLog: ['accepting on /tmp/pb-thread-per-client-4', 'spawning worker 3', 'pthread_create failed: EAGAIN <&>'] };

const CELLS: CellSpec[] = [
  { strategy: 'sequential', clients: 1, figures: { throughputTps: 56000, p50Us: 14, p99Us: 45, worstDoneMs: 18, cpuUsPerTransaction: 9, peakThreads: 7, peakRssMb: 71, spread: 0.03 } },
  { strategy: 'sequential', clients: 4, figures: { throughputTps: 55000, p50Us: 14, p99Us: 48, worstDoneMs: 75, cpuUsPerTransaction: 9, peakThreads: 7, peakRssMb: 72, served: 1 } },
  { strategy: 'sequential', clients: 8, figures: { throughputTps: 30000, p50Us: 28, p99Us: 95, worstDoneMs: 300, cpuUsPerTransaction: 9, peakThreads: 7, peakRssMb: 72, served: 1 } },
  { strategy: 'thread-per-client', clients: 1, figures: { throughputTps: 50000, p50Us: 16, p99Us: 55, worstDoneMs: 20, cpuUsPerTransaction: 11, peakThreads: 8, peakRssMb: 74 } },
  { strategy: 'thread-per-client', clients: 4, figures: null, failedTrials: [1, 2, 3].map((trial) => ({ trial, ...SEGFAULT })) },
  { strategy: 'thread-per-client', clients: 8, figures: { throughputTps: 45000, p50Us: 150, p99Us: 600, worstDoneMs: 190, cpuUsPerTransaction: 16, peakThreads: 15, peakRssMb: 96, unevenness: 2 } },
  {
    strategy: 'iocp',
    clients: 1,
    figures: { throughputTps: 46000, p50Us: 17, p99Us: 62, worstDoneMs: 21, cpuUsPerTransaction: 12, peakThreads: 11, peakRssMb: 80 },
    failedTrials: [{ trial: 2, reason: 'server exited with code 1 during the warm-up', serverLog: ['listening', 'GetQueuedCompletionStatus: ERROR_ABANDONED_WAIT_0'] }],
  },
  { strategy: 'iocp', clients: 4, figures: { throughputTps: 60000, p50Us: 55, p99Us: 210, worstDoneMs: 70, cpuUsPerTransaction: 10, peakThreads: 11, peakRssMb: 82 } },
  { strategy: 'iocp', clients: 8, figures: { throughputTps: 61000, p50Us: 110, p99Us: 330, worstDoneMs: 140, cpuUsPerTransaction: 10, peakThreads: 11, peakRssMb: 84 } },
  { strategy: 'edge-proxy', clients: 1, figures: { throughputTps: 40000, p50Us: 20, p99Us: 70, worstDoneMs: 25, cpuUsPerTransaction: null, peakThreads: null, peakRssMb: null } },
  {
    strategy: 'edge-proxy',
    clients: 4,
    figures: { throughputTps: 52000, p50Us: 65, p99Us: 300, worstDoneMs: 80, cpuUsPerTransaction: null, peakThreads: null, peakRssMb: null },
    trouble: { 3: 'client-errors' },
  },
  {
    strategy: 'edge-proxy',
    clients: 8,
    figures: { throughputTps: 60400, p50Us: 116, p99Us: 990, worstDoneMs: 141, cpuUsPerTransaction: null, peakThreads: null, peakRssMb: null },
    trouble: { 2: 'no-steady-state' },
  },
];

const EXTERNAL = { address: '/tmp/edge-proxy.sock', label: 'edge-proxy', pid: null };
const MECHANISMS: Record<string, string> = {
  sequential: 'one client at a time: accept, blocking read/write',
  'thread-per-client': 'a thread per connection, blocking read/write',
  iocp: 'a completion port (io_uring) served by a pool of threads',
  'edge-proxy': 'external server',
};

const PARAMETERS: RunParameters = {
  strategies: ['sequential', 'thread-per-client', 'iocp'],
  clients: [1, 4, 8],
  external: EXTERNAL,
  server: { threads: 4, capacity: 1048576, cpuUs: 0, storeLatencyUs: 0, waitOrder: 'fair' },
  workload: { workload: 'transactions', transactions: TRANSACTIONS_PER_CLIENT, batches: 10, batchSize: 1000, ratePerClientTps: null },
  measurement: { mode: 'both', windowMs: 100, measureWindows: 10, warmupMinMs: 300, warmupMinTransactions: 0, clientWarmupMs: 0, warmupMaxMs: 5000, steadyWindows: 5, steadyTolerance: 0.1, unstableHalfWidth: 0.05 },
  repeat: 3,
  precision: null,
  maxTimeMs: null,
  seed: 20260115,
  bail: false,
  commandLine: 'pipebench run --strategy sequential,thread-per-client,iocp --external /tmp/edge-proxy.sock --label edge-proxy --clients 1,4,8 --repeat 3',
};

/** Multipliers of each measured trial's figures: their mean is exactly 1. */
function spreadOf(measured: number, spread: number): number[] {
  return measured === 1 ? [1] : measured === 2 ? [1 + spread, 1 - spread] : [1, 1 + spread, 1 - spread];
}

/** Ten windows around `value` whose mean is `value`. */
const WINDOW_SHAPE = [1.02, 0.98, 1.01, 0.99, 1.0, 1.03, 0.97, 1.0, 1.01, 0.99];

/** A turnaround histogram through (min, p50, p99, max), log-linear between them. */
function histogramOf(p50Ns: number, p99Ns: number): string {
  const histogram = newHistogram();
  const anchors: Array<[number, number]> = [
    [0, p50Ns * 0.4],
    [0.5, p50Ns],
    [0.9, p50Ns + (p99Ns - p50Ns) * 0.3],
    [0.99, p99Ns],
    [1, p99Ns * 4],
  ];
  for (let i = 0; i < 200; i++) {
    const q = (i + 0.5) / 200;
    const k = anchors.findIndex(([at]) => at >= q);
    const [q0, v0] = anchors[k - 1];
    const [q1, v1] = anchors[k];
    histogram.recordValue(Math.round(v0 * (v1 / v0) ** ((q - q0) / (q1 - q0))));
  }
  return encodeHistogram(histogram);
}

function latencyOf(p50Ns: number, p99Ns: number, meanNs: number) {
  return { meanNs, p50Ns, p90Ns: p50Ns + (p99Ns - p50Ns) * 0.3, p99Ns, p999Ns: p99Ns * 2, maxNs: p99Ns * 4, minNs: p50Ns * 0.4, stdDevNs: meanNs * 0.6 };
}

/** Shares that differ from client to client (1 on average). */
const CLIENT_SHAPE = [1.0, 0.9, 1.1, 0.85, 1.15, 0.95, 1.05, 1.0];

function measuredTrial(spec: CellSpec, figures: Figures, trial: number, factor: number, runPosition: number): Measured {
  const n = spec.clients;
  const served = figures.served ?? n;
  const trouble = spec.trouble?.[trial];
  const tps = figures.throughputTps * factor;
  const p50Ns = figures.p50Us * 1000 * factor;
  const p99Ns = figures.p99Us * 1000 * factor;
  // Little's law: a closed loop keeps each served client's transaction in flight.
  const meanNs = (served / tps) * 1e9;
  const windowMs = PARAMETERS.measurement.windowMs;
  const transactions = Math.round((tps * PARAMETERS.measurement.measureWindows * windowMs) / 1000);
  const shares = CLIENT_SHAPE.slice(0, n).map((share) => 1 + (share - 1) * (figures.unevenness ?? 1));
  const perClient = Array.from({ length: n }, (_, i) => (i < served ? Math.round((transactions / served) * (served === 1 ? 1 : shares[i])) : 0));
  perClient[0] += transactions - perClient.reduce((a, b) => a + b, 0);

  const settled = trouble !== 'no-steady-state';
  const steadyFrom = 2 + ((trial + n) % 3);
  const ramp = (i: number) => Math.round(tps * (1 - 0.5 * Math.exp(-i / 1.2)));
  const warmupTps = settled
    ? Array.from({ length: steadyFrom + PARAMETERS.measurement.steadyWindows }, (_, i) => (i < steadyFrom ? ramp(i) : Math.round(tps * WINDOW_SHAPE[i % 10])))
    : Array.from({ length: PARAMETERS.measurement.warmupMaxMs / windowMs }, (_, i) => Math.round(tps * (i % 2 ? 0.8 : 1.2)));
  const warmupMs = warmupTps.length * windowMs;

  // The script: sequential serves one client after another (a staircase); the others serve all at once.
  const worst = figures.worstDoneMs * factor;
  const lost = trouble === 'client-errors' ? 2 : -1;
  const doneMs = Array.from({ length: n }, (_, k) => (served < n ? (worst * (k + 1)) / n : worst * (0.9 + (0.1 * (k + 1)) / n)));
  // Clients finish in an order that is not their index order.
  const order = Array.from({ length: n }, (_, i) => (i * 3 + trial) % n);
  const clients = order.map((clientIndex, k) => ({
    clientIndex,
    transactions: clientIndex === lost ? 600 : TRANSACTIONS_PER_CLIENT,
    doneMs: clientIndex === lost ? null : doneMs[k],
  }));
  clients.sort((a, b) => a.clientIndex - b.clientIndex);
  const done = clients.flatMap((c) => (c.doneMs === null ? [] : [c.doneMs]));
  const scriptTransactions = clients.reduce((total, c) => total + c.transactions, 0);
  const scriptP99Ns = p99Ns * 1.1;
  const steadyHistogram = histogramOf(p50Ns, p99Ns);
  const scriptHistogram = histogramOf(p50Ns, scriptP99Ns);

  const cost = figures.cpuUsPerTransaction === null ? null : figures.cpuUsPerTransaction * factor * transactions;
  const warnings: Warning[] = [];
  if (!settled) warnings.push({ kind: 'no-steady-state', trial, warmupMs });
  if (trouble === 'client-errors') warnings.push({ kind: 'records-left', records: 1, failedClients: 1 });
  const clientDetails: ClientSummary[] = Array.from({ length: n }, (_, clientIndex) => ({
    clientIndex,
    transactions: perClient[clientIndex] + clients[clientIndex].transactions + 100,
    errors: { unexpectedStatus: 0, mismatches: clientIndex === lost ? 1 : 0 },
    fatal: clientIndex === lost ? 'connection reset by the server (ECONNRESET)' : null,
    cpuUs: 150000 + perClient[clientIndex] * 4,
  }));
  return {
    outcome: 'measured',
    trial,
    runPosition,
    startedAt: new Date(STARTED_MS + (runPosition - 1) * 4000).toISOString(),
    durationMs: 1200 + warmupMs + 1050 + worst + 90,
    phasesMs: { start: 1200, warmup: warmupMs, measure: 1050, script: worst, finish: 90 },
    warmup: { windowMs, throughputTps: warmupTps, steadyFromWindow: settled ? steadyFrom : null, durationMs: warmupMs, remeasured: 0, wandered: null },
    steady: {
      windowMs,
      windows: WINDOW_SHAPE.map((shape) => ({ throughputTps: Math.round(tps * shape), p50Ns: Math.round(p50Ns * shape), p99Ns: Math.round(p99Ns * shape) })),
      transactions,
      throughputTps: tps,
      latency: latencyOf(p50Ns, p99Ns, meanNs),
      latencyFromSend: null,
      percentiles: percentileCurve(decodeHistogram(steadyHistogram)),
      histogram: steadyHistogram,
      perClient,
      clientsServed: served,
      fairness: jainIndex(perClient),
      serverCost: cost === null ? null : { cpuUserUs: cost * 0.2, cpuSystemUs: cost * 0.8, voluntaryContextSwitches: Math.round(transactions * 1.1), involuntaryContextSwitches: 40 },
      // The clients' cost per transaction is the same in every trial: a cell's spread is its server's, not the host's.
      clientCpuUs: (300000 + 50000 * n) * factor,
      responsiveness: { sleepMs: 1, samples: 900, p50LatenessNs: 100000 + 15000 * n, p99LatenessNs: 150000 + 120000 * n, maxLatenessNs: 600000 + 200000 * n, meanLatenessNs: 105000 + 16000 * n },
    },
    script: {
      transactionsPerClient: TRANSACTIONS_PER_CLIENT,
      transactions: scriptTransactions,
      makespanMs: worst,
      throughputTps: (scriptTransactions * 1000) / worst,
      latency: latencyOf(p50Ns, scriptP99Ns, meanNs),
      latencyFromSend: null,
      percentiles: percentileCurve(decodeHistogram(scriptHistogram)),
      histogram: scriptHistogram,
      clients,
      meanDoneMs: done.reduce((a, b) => a + b, 0) / done.length,
      worstDoneMs: Math.max(...done),
      // When the first client finished, a one-at-a-time server had served only it.
      fairness: served < n ? 1 / n : jainIndex(shares),
    },
    clientDetails,
    errors: { unexpectedStatus: 0, mismatches: lost >= 0 ? 1 : 0, failedClients: lost >= 0 ? 1 : 0, missingTransactions: lost >= 0 ? 400 : 0 },
    store: { countBefore: 0, countAfter: lost >= 0 ? 1 : 0 },
    serverLoad: figures.peakThreads === null ? null : { peakThreads: figures.peakThreads, peakRssKb: figures.peakRssMb! * 1024, sampling: '/proc/PID/status (Threads, VmHWM) every 50 ms', samples: 60 },
    loadAverage: 0.3,
    hostWakeupUs: 27,
    hostWakeupAfterUs: 27,
    warnings,
  };
}

function failedTrial(spec: CellSpec, failure: { trial: number; reason: string; serverLog: string[] }, runPosition: number): Failed {
  return {
    outcome: 'failed',
    trial: failure.trial,
    runPosition,
    startedAt: new Date(STARTED_MS + (runPosition - 1) * 4000).toISOString(),
    durationMs: 1500,
    reason: failure.reason,
    serverLog: failure.serverLog,
    clientDetails: Array.from({ length: spec.clients }, (_, clientIndex) => ({
      clientIndex,
      transactions: 0,
      errors: { unexpectedStatus: 0, mismatches: 0 },
      fatal: 'the server closed the connection',
      cpuUs: 20000,
    })),
  };
}

export function buildFixture(): RunResults {
  const total = CELLS.length * PARAMETERS.repeat;
  const cells: Array<Omit<Cell, 'summary'>> = CELLS.map((spec, cellIndex) => {
    const failures = spec.failedTrials ?? [];
    const measuredCount = PARAMETERS.repeat - failures.length;
    const factors = spreadOf(measuredCount, spec.figures?.spread ?? 0.01);
    let measuredIndex = 0;
    const trials: Trial[] = [];
    for (let trial = 1; trial <= PARAMETERS.repeat; trial++) {
      // A fixed shuffle of the run's trials: 7 is prime to 36.
      const runPosition = (((cellIndex * PARAMETERS.repeat + trial - 1) * 7) % total) + 1;
      const failure = failures.find((f) => f.trial === trial);
      trials.push(failure ? failedTrial(spec, failure, runPosition) : measuredTrial(spec, spec.figures!, trial, factors[measuredIndex++], runPosition));
    }
    const external = spec.strategy === EXTERNAL.label;
    return { strategy: spec.strategy, external, mechanism: MECHANISMS[spec.strategy], clients: spec.clients, trials };
  });
  const results: RunResults = {
    schemaVersion: 3,
    startedAt: new Date(STARTED_MS).toISOString(),
    finishedAt: new Date(STARTED_MS + total * 4000).toISOString(),
    status: 'complete',
    ended: null,
    environment: {
      os: 'linux',
      osLabel: 'Linux 6.8.0',
      kernel: '6.8.0-31-generic',
      wine: null,
      arch: 'x64',
      cpuModel: 'Example CPU @ 3.0GHz',
      cpuCount: CORES,
      memoryBytes: 8 * 2 ** 30,
      node: 'v20.11.1',
      pipebench: '0.1.0',
      hostname: 'bench-host',
      loadAverage: 0.2,
      clientTransport: null,
    },
    parameters: PARAMETERS,
    idleResponsiveness: { sleepMs: 1, samples: 900, p50LatenessNs: 95000, p99LatenessNs: 140000, maxLatenessNs: 500000, meanLatenessNs: 98000 },
    warnings: [],
    cells: summarizeCells(cells, PARAMETERS, CORES),
  };
  // Round trip through JSON and the reader: the fixture is exactly a file the reports accept.
  return readRunResults(JSON.parse(JSON.stringify(results)), '');
}

/** The fixture file's text: JSON indented down to a trial's fields, each field's value on one line (small, and a change shows as one line). */
export function fixtureText(): string {
  return formatJson(buildFixture()) + '\n';
}

function formatJson(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object' || depth >= 5) return JSON.stringify(value);
  const pad = ' '.repeat(depth + 1);
  const items = Array.isArray(value) ? value.map((item) => formatJson(item, depth + 1)) : Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${formatJson(item, depth + 1)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return items.length === 0 ? `${open}${close}` : `${open}\n${items.map((item) => pad + item).join(',\n')}\n${' '.repeat(depth)}${close}`;
}

if (require.main === module) {
  fs.writeFileSync(FIXTURE_FILE, fixtureText());
  process.stdout.write(`wrote ${FIXTURE_FILE}\n`);
}
