// results.json: the one record of a run, written after every cell. Reports are
// rendered from it alone. Units are in the field names.

import type { ClientErrors, WorkloadName } from '../clients/report';
import type { ServerCost } from './messages';

export const RESULTS_SCHEMA_VERSION = 1;

export interface Environment {
  os: string; // process.platform
  osLabel: string; // "Linux 6.18.44" or "Windows under Wine 8.0"
  kernel: string;
  wine: string | null;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  memoryBytes: number;
  node: string;
  pipebench: string;
  hostname: string;
}

export interface RunParameters {
  strategies: string[];
  clients: number[];
  workload: WorkloadName;
  transactions: number;
  batches: number;
  batchSize: number;
  threads: number;
  capacity: number;
  cpuUs: number;
  storeLatencyUs: number;
  external: { address: string; label: string } | null;
  commandLine: string;
}

export interface LatencySummaryNs {
  meanNs: number;
  p50Ns: number;
  p90Ns: number;
  p99Ns: number;
  p999Ns: number;
  maxNs: number;
  minNs: number;
  stdDevNs: number;
}

export interface PercentilePoint {
  percentile: number;
  valueNs: number;
}

export interface ClientSummary {
  clientIndex: number;
  transactions: number;
  errors: ClientErrors;
  fatal: string | null;
  /** Script start and end, relative to the moment the harness released the clients. */
  startMs: number;
  endMs: number;
  completionMs: number;
  throughputTps: number;
  cpuUserUs: number;
  cpuSystemUs: number;
}

export interface CellErrors {
  unexpectedStatus: number;
  mismatches: number;
  failedClients: number;
  /** Transactions the scripts asked for but never ran (clients that died or disconnected). */
  missingTransactions: number;
}

interface CellBase {
  /** Strategy name, or the --label of an external server. */
  strategy: string;
  external: boolean;
  mechanism: string;
  clients: number;
  workload: WorkloadName;
  /** Transactions each client's script runs. */
  transactionsPerClient: number;
  startedAt: string;
  durationMs: number;
}

export interface MeasuredCell extends CellBase {
  outcome: 'measured';
  transactions: number;
  latency: LatencySummaryNs;
  percentiles: PercentilePoint[];
  throughputTps: number;
  makespanMs: number;
  meanCompletionMs: number;
  maxCompletionMs: number;
  /** Jain's index over the clients' throughputs: 1 is perfectly fair, 1/n is one client served. */
  fairness: number;
  errors: CellErrors;
  store: { countBefore: number; countAfter: number };
  clientDetails: ClientSummary[];
  serverCost: ServerCost | null;
  warnings: string[];
  /** The merged turnaround histogram (compressed HdrHistogram, base64). */
  histogram: string;
}

export interface FailedCell extends CellBase {
  outcome: 'failed';
  reason: string;
  /** The last lines the server wrote to stderr. */
  serverLog: string[];
  clientDetails: ClientSummary[];
}

export type CellResult = MeasuredCell | FailedCell;

export interface RunResults {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  startedAt: string;
  finishedAt: string | null;
  /** 'complete', or why the run ended early. */
  status: 'running' | 'complete' | 'interrupted' | 'bailed';
  environment: Environment;
  parameters: RunParameters;
  cells: CellResult[];
}
