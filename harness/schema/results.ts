// results.json: the one record of a run, written after every trial. Reports are
// rendered from it alone. The schema below is both the TypeScript types and the
// reader that checks a file (readResults): one definition, so they cannot drift.
// Units are in the field names; times on the harness's release of the clients
// are in ms after that release.

import { absentOrNullable, array, boolean, integer, literal, nullable, number, object, Read, Reader, ShapeError, string, variant } from '../../contract/check';
import { serverKnobsSchema, workloadSchema } from '../../contract/messages';
import { knobsReader, MEASURE_KNOBS } from '../../contract/knobs';

/** Bumped whenever the shape changes; a reader refuses other versions by name. */
export const RESULTS_SCHEMA_VERSION = 3;

const latencySchema = object({
  meanNs: number,
  p50Ns: number,
  p90Ns: number,
  p99Ns: number,
  p999Ns: number,
  maxNs: number,
  minNs: number,
  stdDevNs: number,
});
export type LatencySummaryNs = Read<typeof latencySchema>;

const percentilePointSchema = object({ percentile: number, valueNs: number });
export type PercentilePoint = Read<typeof percentilePointSchema>;

const responsivenessSchema = object({
  /** The sleep the probe asked for each time. */
  sleepMs: number,
  samples: integer,
  /** How much later than asked the probe woke up. */
  p50LatenessNs: number,
  p99LatenessNs: number,
  maxLatenessNs: number,
  meanLatenessNs: number,
});
export type Responsiveness = Read<typeof responsivenessSchema>;

const cellErrorsSchema = object({
  unexpectedStatus: integer,
  mismatches: integer,
  failedClients: integer,
  /** Script transactions that never ran (clients that died or disconnected). */
  missingTransactions: integer,
});
export type CellErrors = Read<typeof cellErrorsSchema>;

/** A figure over a cell's trials, with its 95% interval (harness/statistics.ts Estimate). */
const estimateSchema = object({
  mean: number,
  low: number,
  high: number,
  standardError: nullable(number),
  df: number,
  /** 'pooled' and 'windows' come from files written before intervals were per cell (issue 22). */
  method: literal('own', 'log', 'pooled', 'windows', 'none'),
  samples: array(number),
});

/**
 * Why a drifted measured phase was not measured again: it had been MAX_REMEASURES times; the warm-up cap had
 * passed; the clients' progress for its windows did not arrive in time; the check on that progress saw no drift
 * (the reports after the trial did).
 */
export const NOT_REMEASURED = ['limit', 'cap', 'progress-late', 'no-drift-in-progress'] as const;
export type NotRemeasured = (typeof NOT_REMEASURED)[number];

/** A warning is a problem with a cell's figures; each kind has its own text (harness/warnings.ts). */
const warningSchema = variant('kind', {
  'no-steady-state': object({ trial: integer, warmupMs: number }),
  'client-bound': object({ clientShare: number, serverShare: nullable(number), cores: integer }),
  'records-left': object({ records: integer, failedClients: integer }),
  'trial-failed': object({ trial: integer, reason: string }),
  'late-start': object({ trial: integer, clients: integer, lateMs: number }),
  'littles-law': object({ expectedNs: number, measuredNs: number }),
  starved: object({ served: integer, clients: integer }),
  'not-measured': object({ what: string, reason: string }),
  /**
   * The measured windows moved from the warm-up's steady level (levelShift) or trended (trend), each as a share of the level;
   * notRemeasured: why the phase was not measured again after more warm-up (null in results from before it was recorded).
   */
  drift: object({ trial: integer, levelShift: number, trend: number, notRemeasured: absentOrNullable(literal(...NOT_REMEASURED)) }),
  /** Trials that varied significantly more than the run's other cells (one-sided F test, Holm over the cells); trialValues: the trials' figures as the cell's estimate used them (absent in older files). */
  'noisy-cell': object({ figure: string, relativeSd: number, runRelativeSd: number, pValue: number, trialValues: absentOrNullable(array(number)) }),
  /**
   * The run's client warm-up (before the first trial, against `server`): failedClients of its `clients` processes ended
   * (all of them when the warm-up itself failed), the first with `reason`; each is replaced by a fresh, cold process.
   */
  'client-warmup-failed': object({ server: string, clients: integer, failedClients: integer, reason: string }),
  /** probes: how many idle probes read busy, each taken again after the last (absent in older files and without a probe). */
  'busy-machine': object({ busyCpuShare: absentOrNullable(number), loadAverage: number, cores: integer, idleProbeP99Ms: nullable(number), probes: absentOrNullable(integer) }),
});
export type Warning = Read<typeof warningSchema>;

/** An observation explains expected behaviour that shapes the figures; it is not a problem. */
const observationSchema = variant('kind', {
  'clients-waiting': object({ served: integer, clients: integer }),
  'open-loop': object({ ratePerClientTps: integer }),
  /** The clients and the server together kept the CPUs busy (shares of the machine over the measured phase), the clients below the client-bound limit. */
  'cpus-shared': object({ clientShare: number, serverShare: nullable(number), cores: integer }),
  /**
   * A trial of a server that serves its clients at once whose measured phase was uneven (Jain's index under
   * UNEVEN_FAIRNESS), every client served: the cell's fairness and turnaround mix that launch with its others.
   */
  'uneven-trial': object({ trial: integer, fairness: number, mostTransactions: integer, leastTransactions: integer, transactions: integer, p50Ns: number }),
  /**
   * A cell whose throughput varied significantly more than the run's other cells by one trial alone (its value and
   * the others', as the cell's figures use them), whose clients' CPU per transaction moved against it (clientCostRatio:
   * the trial's over the others' mean): the host ran slower or faster during it (measure/summarize.ts HOST_EXPLAINS).
   */
  'outlying-trial': object({ trial: integer, throughputTps: number, othersTps: array(number), clientCostRatio: number }),
  /**
   * A trial whose measured windows trended (trend, a share of the steady level) while their mean stayed near the steady
   * level the warm-up found (levelShift, within a third of the tolerance): the throughput wandered around its steady
   * state; phases: how many times the trial was measured, each drifted phase run again after more warm-up.
   */
  'wandering-trial': object({ trial: integer, levelShift: number, trend: number, phases: integer }),
  /** A trial whose host-pace readings before and after it (µs) lay too far apart for a pace to stand for it: set aside from the cell's figures. */
  'pace-changed': object({ trial: integer, beforeUs: number, afterUs: number }),
});
export type Observation = Read<typeof observationSchema>;

const clientSummarySchema = object({
  clientIndex: integer,
  /** Transactions in every phase. */
  transactions: integer,
  errors: object({ unexpectedStatus: integer, mismatches: integer }),
  fatal: nullable(string),
  cpuUs: number,
});
export type ClientSummary = Read<typeof clientSummarySchema>;

const serverCostSchema = object({
  cpuUserUs: number,
  cpuSystemUs: number,
  voluntaryContextSwitches: nullable(number),
  involuntaryContextSwitches: nullable(number),
});
export type WindowCost = Read<typeof serverCostSchema>;

const steadyTrialSchema = object({
  windowMs: number,
  /** Per measuring window: every client's transactions, and turnaround percentiles of their merged histograms. */
  windows: array(object({ throughputTps: number, p50Ns: number, p99Ns: number })),
  transactions: integer,
  throughputTps: number,
  latency: latencySchema,
  /** Open loop: turnaround from the actual send (`latency` counts from the scheduled start); null in a closed loop. */
  latencyFromSend: nullable(latencySchema),
  percentiles: array(percentilePointSchema),
  /** Every measured turnaround of the trial: an HdrHistogram, compressed, base64. */
  histogram: string,
  /** Transactions each client completed in the measured phase, by client index. */
  perClient: array(integer),
  /** Clients that completed at least one transaction in the measured phase. */
  clientsServed: integer,
  /** Jain's index over `perClient`: 1 = equal shares, 1/n = one client served. */
  fairness: number,
  /** The server's CPU and context switches over the measured phase, read from outside; null for an external server without --external-pid. */
  serverCost: nullable(serverCostSchema),
  /** Every client's CPU over the measured phase. */
  clientCpuUs: number,
  responsiveness: nullable(responsivenessSchema),
});
export type SteadyTrial = Read<typeof steadyTrialSchema>;

const scriptTrialSchema = object({
  transactionsPerClient: integer,
  transactions: integer,
  /** From the common start of the script to the last client's end. */
  makespanMs: number,
  throughputTps: number,
  latency: latencySchema,
  latencyFromSend: nullable(latencySchema),
  percentiles: array(percentilePointSchema),
  histogram: string,
  /** When each client's script was done, counted from the common start (waiting to be served included). */
  clients: array(object({ clientIndex: integer, transactions: integer, doneMs: nullable(number) })),
  meanDoneMs: number,
  worstDoneMs: number,
  /** Jain's index over the transactions each client had done when the first client finished. */
  fairness: number,
});
export type ScriptTrial = Read<typeof scriptTrialSchema>;

const warmupSchema = object({
  windowMs: number,
  /** Throughput (all clients) per warm-up window, until the measured phase began. */
  throughputTps: array(number),
  /** The first window of the steady run that ended the warm-up; null when it never settled. */
  steadyFromWindow: nullable(integer),
  durationMs: number,
  /** Measured phases that drifted from the steady state and were run again after more warm-up (null in results from before). */
  remeasured: absentOrNullable(integer),
  /** How the measured phase kept wandered around the steady state without leaving it (steady-state.ts onlyWandered); null when it held or drifted (and in results from before). */
  wandered: absentOrNullable(object({ levelShift: number, trend: number })),
});
export type Warmup = Read<typeof warmupSchema>;

const serverLoadSchema = object({
  /** Most threads seen, and peak resident memory; null when no sample could be read (see `sampling`). */
  peakThreads: nullable(integer),
  peakRssKb: nullable(number),
  sampling: string,
  samples: integer,
});
export type ServerLoad = Read<typeof serverLoadSchema>;

const measuredTrialSchema = object({
  trial: integer,
  /** 1-based position of this trial in the run's shuffled order. */
  runPosition: integer,
  startedAt: string,
  durationMs: number,
  /** Where the trial's time went: processes starting and connecting, warm-up, measured phase, script, reports and stop. */
  phasesMs: object({ start: number, warmup: number, measure: number, script: number, finish: number }),
  warmup: warmupSchema,
  steady: nullable(steadyTrialSchema),
  script: nullable(scriptTrialSchema),
  clientDetails: array(clientSummarySchema),
  errors: cellErrorsSchema,
  store: object({ countBefore: integer, countAfter: integer }),
  serverLoad: nullable(serverLoadSchema),
  /** The 1-minute load average when the trial began. */
  loadAverage: number,
  /** The host's pace just before the trial: µs per wake-up round trip between two threads (host-pace.ts); absent in older files. */
  hostWakeupUs: absentOrNullable(number),
  /** The same, just after the trial's processes ended (one reading between two trials is the next one's hostWakeupUs); absent in older files. */
  hostWakeupAfterUs: absentOrNullable(number),
  warnings: array(warningSchema),
});
export type MeasuredTrial = Read<typeof measuredTrialSchema>;

const failedTrialSchema = object({
  trial: integer,
  runPosition: integer,
  startedAt: string,
  durationMs: number,
  reason: string,
  /** The last lines the server wrote. */
  serverLog: array(string),
  clientDetails: array(clientSummarySchema),
});
export type FailedTrial = Read<typeof failedTrialSchema>;

const trialSchema = variant('outcome', { measured: measuredTrialSchema, failed: failedTrialSchema });
export type Trial = Read<typeof trialSchema>;

/** The trials that measured something (a failed trial has no figures). */
export function measuredTrials(trials: readonly Trial[]): MeasuredTrial[] {
  return trials.flatMap((t) => (t.outcome === 'measured' ? [t] : []));
}

const steadySummarySchema = object({
  throughputTps: estimateSchema,
  p50Ns: estimateSchema,
  p99Ns: estimateSchema,
  meanNs: estimateSchema,
  fairness: estimateSchema,
  /** Server CPU (user + system) per transaction over the measured phase. */
  serverCpuUsPerTransaction: nullable(estimateSchema),
  /** Server CPU over the measured phase as a share of the machine (every core): 1 = all busy. */
  serverCpuShare: nullable(estimateSchema),
  clientCpuShare: estimateSchema,
  contextSwitchesPerTransaction: nullable(estimateSchema),
  /** Percentiles of every trial's measured turnarounds merged. */
  percentiles: array(percentilePointSchema),
  clientsServed: integer,
  responsiveness: nullable(responsivenessSchema),
});
export type SteadySummary = Read<typeof steadySummarySchema>;

const scriptSummarySchema = object({
  worstDoneMs: estimateSchema,
  meanDoneMs: estimateSchema,
  makespanMs: estimateSchema,
  throughputTps: estimateSchema,
  p99Ns: estimateSchema,
  fairness: estimateSchema,
  /** The trial whose worst client is the median's lends its per-client timeline. */
  timelineTrial: integer,
});
export type ScriptSummary = Read<typeof scriptSummarySchema>;

/** The precision a cell reached: the 95% half-width over the mean of throughput and p50 (null without an interval); with only the script, the worst client's completion's in throughputTps. */
const precisionSchema = object({
  throughputTps: nullable(number),
  p50Ns: nullable(number),
  /** Whether both are within the run's --precision (null when the run had no target). */
  reached: nullable(boolean),
});
export type Precision = Read<typeof precisionSchema>;

const cellSummarySchema = object({
  measuredTrials: integer,
  /** Absent in files written before --precision. */
  precision: absentOrNullable(precisionSchema),
  /**
   * Throughput, p50, the script's completions (worst and mean client) and server CPU per transaction adjusted to the
   * run's mean host pace (measure/pace-adjust.ts): the pace (µs) and each figure's slope, null where it was not
   * significant (the completions' and the CPU's absent in files from before they were adjusted).
   * Null when the run could not (a trial without a pace); absent in older files.
   */
  paceAdjustment: absentOrNullable(object({ referenceUs: number, throughputSlope: nullable(number), p50Slope: nullable(number), worstDoneSlope: absentOrNullable(number), meanDoneSlope: absentOrNullable(number), serverCpuSlope: absentOrNullable(number) })),
  steady: nullable(steadySummarySchema),
  script: nullable(scriptSummarySchema),
  /** Over all trials. */
  peakThreads: nullable(integer),
  peakRssKb: nullable(number),
  errors: cellErrorsSchema,
  warnings: array(warningSchema),
  observations: array(observationSchema),
});
export type CellSummary = Read<typeof cellSummarySchema>;

const cellSchema = object({
  /** Strategy name, or the --label of an external server. */
  strategy: string,
  external: boolean,
  mechanism: string,
  clients: integer,
  trials: array(trialSchema),
  /** Null until a trial was measured. */
  summary: nullable(cellSummarySchema),
});
export type Cell = Read<typeof cellSchema>;

const environmentSchema = object({
  os: string,
  osLabel: string,
  kernel: string,
  wine: nullable(string),
  arch: string,
  cpuModel: string,
  cpuCount: integer,
  memoryBytes: number,
  node: string,
  pipebench: string,
  hostname: string,
  /** The 1-minute load average before the run started anything. */
  loadAverage: number,
  /** How the clients talked to the servers (platform.clientTransport); absent in files from before it was recorded. */
  clientTransport: absentOrNullable(string),
});
export type Environment = Read<typeof environmentSchema>;

export const measurementSchema = knobsReader(MEASURE_KNOBS);

export const parametersSchema = object({
  strategies: array(string),
  clients: array(integer),
  external: nullable(object({ address: string, label: string, pid: nullable(integer) })),
  server: serverKnobsSchema,
  workload: workloadSchema,
  measurement: measurementSchema,
  /** Trials of every cell before any is added for precision. */
  repeat: integer,
  /** --precision as a share (0.05: ±5%), null for exactly `repeat` trials; --max-time. Absent in files written before them. */
  precision: absentOrNullable(number),
  maxTimeMs: absentOrNullable(number),
  /** Seed of the trial order (--seed runs the same order again). */
  seed: integer,
  bail: boolean,
  commandLine: string,
});
export type RunParameters = Read<typeof parametersSchema>;

const runSchema = object({
  schemaVersion: literal(RESULTS_SCHEMA_VERSION),
  startedAt: string,
  finishedAt: nullable(string),
  /** 'complete', or why the run ended early. */
  status: literal('running', 'complete', 'interrupted', 'bailed'),
  /** Why trials stopped being added: every cell reached --precision, the next would overrun --max-time, or --repeat rounds ran with no target (absent in older files and while running). */
  ended: absentOrNullable(literal('reached', 'budget', 'repeat')),
  environment: environmentSchema,
  parameters: parametersSchema,
  /** The probe on the idle machine before the first cell: compare each cell's responsiveness with it. */
  idleResponsiveness: nullable(responsivenessSchema),
  /** Problems of the whole run (a machine busy before it started). */
  warnings: array(warningSchema),
  cells: array(cellSchema),
});
export type RunResults = Read<typeof runSchema>;

export const readRunResults: Reader<RunResults> = (value, path) => {
  const version = value !== null && typeof value === 'object' ? (value as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version === undefined) throw new ShapeError('not a pipebench results file (no schemaVersion)');
  if (version !== RESULTS_SCHEMA_VERSION) throw new ShapeError(`results schema version ${JSON.stringify(version)}; this pipebench reads version ${RESULTS_SCHEMA_VERSION}`);
  return runSchema(value, path);
};
