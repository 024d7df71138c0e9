// results.json: the one record of a run, written after every cell. Reports are
// rendered from it alone. Units are in the field names.

import type { WorkloadName } from '../clients/workloads';
import type { ClientErrors, ServerCost } from './messages';

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
  /** 'closed': each client sends its next request when the last answer arrives; 'open': on a fixed schedule. */
  loop: 'closed' | 'open';
  /** Open loop only: transactions per second each client is scheduled to send; null in a closed loop. */
  ratePerClientTps: number | null;
  /** Untimed, uncounted transactions each client runs after "go", before its script. */
  warmupTransactions: number;
  /** Times each cell runs; the trials of all cells are interleaved in a shuffled order. */
  repeat: number;
  /** Seed of that shuffle (pass --seed to run the same order again). */
  seed: number;
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
  /** CPU the client used between the first and last transaction of its script (warm-up and start-up excluded). */
  scriptCpuUserUs: number;
  scriptCpuSystemUs: number;
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
  /**
   * Jain's index over the clients' throughputs counted from the release (transactions / endMs), so
   * waiting to be served counts against a client: 1 is perfectly fair, 1/n is one client served.
   */
  fairness: number;
  errors: CellErrors;
  store: { countBefore: number; countAfter: number };
  clientDetails: ClientSummary[];
  serverCost: ServerCost | null;
  warnings: string[];
  /** The merged turnaround histogram (compressed HdrHistogram, base64); over all trials when repeated. */
  histogram: string;
  /**
   * Open loop: `latency` above is measured from each transaction's SCHEDULED start
   * (coordinated omission corrected); this one from the moment it was actually sent.
   * Null in a closed loop, where the two are the same.
   */
  latencyFromSend: LatencySummaryNs | null;
  /** What the server used while the cell ran (from "ready" to "stop"), and what was sampled from outside. */
  serverLoad: ServerLoad | null;
  /** What the client processes used while their scripts ran. */
  clientLoad: ClientLoad;
  /** How late a probe process woke from short sleeps while the cell ran. */
  responsiveness: Responsiveness | null;
  /**
   * Every trial of the cell, in the order of `trial`. The fields above are medians across
   * measured trials (each field on its own), except `histogram` (merged), `transactions`
   * and `errors` (summed) and `clientDetails`, `store` (the trial with the median throughput).
   */
  trials: TrialSummary[];
  /** Median and 95% confidence interval across trials; null with fewer than two measured trials. */
  trialStats: TrialStats | null;
}

export interface ServerLoad {
  /** CPU between "ready" and "stop" (the server's own process.resourceUsage()). */
  cpuUserUs: number;
  cpuSystemUs: number;
  /** That CPU divided by every transaction the server answered, warm-up included. */
  cpuUsPerTransaction: number;
  /** That CPU as a share of the machine (all cores) over the same ready-to-stop window (client start-up included); 1 = every core busy. */
  cpuShareOfMachine: number;
  /** Most threads the server process had at any sample (/proc Threads, or Toolhelp32 entries on Windows); null when no sample could be read (see `sampling`). */
  peakThreads: number | null;
  /** Peak resident memory (VmHWM or the largest VmRSS sampled; PeakWorkingSetSize on Windows); null when no sample could be read. */
  peakRssKb: number | null;
  /** How threads and memory were sampled, or why they were not. */
  sampling: string;
  samples: number;
}

export interface ClientLoad {
  cpuUserUs: number;
  cpuSystemUs: number;
  /** Clients' script CPU as a share of the machine over the makespan; 1 = every core busy. */
  cpuShareOfMachine: number;
}

export interface Responsiveness {
  /** The sleep the probe asked for each time. */
  sleepMs: number;
  samples: number;
  /** How much later than asked the probe woke up. */
  p50LatenessNs: number;
  p99LatenessNs: number;
  maxLatenessNs: number;
  meanLatenessNs: number;
}

export interface TrialSummary {
  /** 1-based trial number of this cell. */
  trial: number;
  /** 1-based position of this trial in the whole run's shuffled order. */
  runPosition: number;
  startedAt: string;
  outcome: 'measured' | 'failed';
  /** Why the trial failed; null when it was measured. */
  reason: string | null;
  transactions: number;
  throughputTps: number;
  makespanMs: number;
  maxCompletionMs: number;
  latency: LatencySummaryNs | null;
  responsiveness: Responsiveness | null;
  serverCpuUs: number | null;
}

export interface Spread {
  median: number;
  mean: number;
  /** 95% confidence interval of the mean (Student's t over the trials). */
  ci95Low: number;
  ci95High: number;
  /** (max - min) / median across trials. */
  relativeSpread: number;
}

export interface TrialStats {
  measuredTrials: number;
  throughputTps: Spread;
  p99Ns: Spread;
  makespanMs: Spread;
}

export interface FailedCell extends CellBase {
  outcome: 'failed';
  reason: string;
  /** The last lines the server wrote to stderr. */
  serverLog: string[];
  clientDetails: ClientSummary[];
  /** Every trial of the cell; all of them failed. */
  trials: TrialSummary[];
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
  /** The probe on the idle machine, measured before the first cell: compare each cell's `responsiveness` with it. */
  idleResponsiveness: Responsiveness | null;
  cells: CellResult[];
}
