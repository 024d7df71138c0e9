// Every knob of every command, declared once: its flag, its help text, its
// default and how its value is checked. The command line (cli.ts) builds yargs
// from these tables and reads one typed, validated object out of them; that
// object then travels whole to wherever it is used (servers get ServerKnobs,
// clients a WorkloadSpec), never turned back into flags, and is checked again on
// arrival by the same tables (knobsReader). Every problem is a UsageError with one
// line saying what was wrong and what is accepted. This module stays light: every
// client process loads it.
//
// Adding a knob: its field in the type (ServerKnobs in strategies/server-options.ts,
// WorkloadSpec below), its entry in a table here, and the code that uses it.
// Part of the contract between the harness and its child processes (contract/):
// both sides import it, and it imports nothing from either.

import * as os from 'node:os';
import { DEFAULT_STORE_CAPACITY } from '../strategies/store';
import { ServerKnobs, WAIT_ORDERS } from '../strategies/types';
import { UsageError } from './usage';
import { Reader, ShapeError } from './check';

export type WorkloadName = 'transactions' | 'batch';

export interface WorkloadSpec {
  workload: WorkloadName;
  /** `transactions`: how many transactions the script runs. */
  transactions: number;
  /** `batch`: sets of `batchSize` ADDs followed by as many DELETEs. */
  batches: number;
  batchSize: number;
  /** Open loop: transactions per second this client sends on a fixed schedule; null = closed loop. */
  ratePerClientTps: number | null;
}

/** One option: how yargs shows it and how its raw value becomes a checked one. */
export interface Knob<T> {
  flag: string;
  describe: string;
  type: 'number' | 'string' | 'boolean';
  /** Shown in --help and used when the flag is absent; undefined: the option is optional. */
  default?: T;
  read(raw: unknown): T;
}

export type KnobTable<T> = { [K in keyof T]-?: Knob<T[K]> };

export function integer(flag: string, describe: string, min: number, max: number, defaultValue?: number): Knob<number> {
  return { flag, describe, type: 'number', default: defaultValue, read: (raw) => integerOption(flag, raw, min, max) };
}

/** An integer option that may be left out (null). */
export function optionalInteger(flag: string, describe: string, min: number, max: number): Knob<number | null> {
  return { flag, describe, type: 'number', read: (raw) => (raw === undefined || raw === null ? null : integerOption(flag, raw, min, max)) };
}

export function choice<T extends string>(flag: string, describe: string, choices: readonly T[], defaultValue: T): Knob<T> {
  return {
    flag,
    describe,
    type: 'string',
    default: defaultValue,
    read(raw) {
      if ((choices as readonly unknown[]).includes(raw)) return raw as T;
      throw new UsageError(`--${flag} must be ${choices.map((c) => `"${c}"`).join(' or ')}, got ${String(raw)}`);
    },
  };
}

export function flag(name: string, describe: string): Knob<boolean> {
  return { flag: name, describe, type: 'boolean', default: false, read: (raw) => raw === true };
}

export const SERVER_KNOBS: KnobTable<ServerKnobs> = {
  threads: integer('threads', 'worker threads of the pooled strategy (iocp)', 1, 1024, os.availableParallelism()),
  capacity: integer('capacity', 'store capacity in records', 1, 500_000_000, DEFAULT_STORE_CAPACITY),
  cpuUs: integer('cpu-us', 'CPU the server burns per transaction, in microseconds', 0, 10_000_000, 0),
  storeLatencyUs: integer('store-latency-us', 'time each transaction blocks inside the store, in microseconds', 0, 10_000_000, 0),
  waitOrder: choice('wait-order', "Win32 overlapped: each wait serves one signalled instance; 'fair' starts the next wait's search just after it, so every signalled instance gets a turn before any gets a second; 'lowest-first' always searches from the lowest index (the seed's order, which starves late clients)", WAIT_ORDERS, 'fair'),
};

export const WORKLOAD_KNOBS: KnobTable<WorkloadSpec> = {
  workload: choice('workload', 'transactions (ADD, RETRIEVE, DELETE cycles) or batch (sets of ADDs then DELETEs)', ['transactions', 'batch'] as const, 'transactions'),
  transactions: integer('transactions', "transactions in each client's script (transactions workload)", 1, Number.MAX_SAFE_INTEGER, 1000),
  batches: integer('batches', 'batches per client (batch workload)', 1, Number.MAX_SAFE_INTEGER, 10),
  batchSize: integer('batch-size', 'ADDs, then DELETEs, per batch', 1, Number.MAX_SAFE_INTEGER, 1000),
  ratePerClientTps: optionalInteger('rate', 'open loop: transactions per second each client sends on a fixed schedule (default: closed loop, back to back)', 1, 1_000_000),
};

export interface Timeouts {
  readyMs: number;
  connectMs: number;
  cellMs: number;
}

export const TIMEOUT_KNOBS: KnobTable<Timeouts> = {
  readyMs: integer('ready-timeout-ms', 'how long a server may take to get ready (or to stop)', 100, Number.MAX_SAFE_INTEGER, 20000),
  connectMs: integer('connect-timeout-ms', 'how long clients may take to connect', 100, Number.MAX_SAFE_INTEGER, 30000),
  cellMs: integer('cell-timeout-ms', 'how long one cell may run', 1000, Number.MAX_SAFE_INTEGER, 600000),
};

/** How long the idle machine is probed before the first cell. */
export const IDLE_PROBE_MS = 1000;

/**
 * The default warm-up minimum in transactions per client. With fresh clients, default
 * runs on the project machine (2026-12-04) climbed from 10-20k to ~40k tx/s over the first
 * 1,200-3,000 transactions of each client at 10 and 20 clients (their JIT), and 1,500 was
 * needed. The run's clients are now kept warm (fleet.ts); what remains fresh is the
 * server, whose every connection (a thread of thread-per-client) must have served before
 * a steady state counts. 500: 20-client warm-ups took 1.6 s instead of 2.1-2.3 s, and a
 * default run's 72 first trials 208 s instead of 231-242 s (the re-measure of drifted
 * phases catches a warm-up declared early: 7 phases measured again, 1 drift left).
 */
export const WARMUP_MIN_TRANSACTIONS = 500;
const MAX_WARMUP_TRANSACTIONS = 1_000_000_000;

/**
 * How long the client pool runs before the first trial. Twenty fresh clients on the
 * project machine (2026-12-04) climbed for 2-3 s against node-net (9k -> 30k tx/s),
 * and the second trial they served still drifted +57 % after its warm-up.
 */
export const CLIENT_WARMUP_MS = 3000;

/** How each trial measures: warm-up until steady, measured windows, and the script. */
export interface MeasureSettings {
  /** 'both': the steady-state phase, then every client's script; or only one of them. */
  mode: 'both' | 'steady' | 'script';
  windowMs: number;
  measureWindows: number;
  warmupMinMs: number;
  /** Transactions every client that transacts must have completed before the warm-up may end (0 in results from before it existed). */
  warmupMinTransactions: number;
  /** How long the run's clients run, unrecorded, before its first trial (0 in results from before it existed). */
  clientWarmupMs: number;
  warmupMaxMs: number;
  steadyWindows: number;
  steadyTolerance: number;
  unstableHalfWidth: number;
}

export const MEASURE_KNOBS: KnobTable<MeasureSettings> = {
  mode: choice('mode', "what each trial measures: 'both' (the steady state, then every client's script), 'steady' or 'script'", ['both', 'steady', 'script'] as const, 'both'),
  windowMs: integer('window-ms', 'length of one warm-up and measuring window, in milliseconds', 10, 60_000, 100),
  measureWindows: integer('measure-windows', 'windows in the measured phase', 2, 3600, 6),
  warmupMinMs: integer('warmup-min-ms', 'warm-up lasts at least this long', 0, 600_000, 200),
  warmupMinTransactions: {
    ...integer(
      'warmup-min-transactions',
      "warm-up lasts until every client that transacts has completed at least this many transactions (its load loop compiled by the JIT: twenty clients on two CPUs climb for a second or more)",
      0,
      MAX_WARMUP_TRANSACTIONS,
      WARMUP_MIN_TRANSACTIONS,
    ),
    // Results written before this knob existed had no such minimum.
    read: (raw) => (raw === undefined ? 0 : integerOption('warmup-min-transactions', raw, 0, MAX_WARMUP_TRANSACTIONS)),
  },
  clientWarmupMs: {
    ...integer(
      'client-warmup-ms',
      "before the first trial, the run's client processes (kept from trial to trial) run this long against a server, unrecorded, so that no trial waits for twenty clients' JIT (0: none)",
      0,
      600_000,
      CLIENT_WARMUP_MS,
    ),
    // Results written before this knob existed started every trial's clients afresh.
    read: (raw) => (raw === undefined ? 0 : integerOption('client-warmup-ms', raw, 0, 600_000)),
  },
  warmupMaxMs: integer('warmup-max-ms', 'warm-up gives up on a steady state after this long (the trial is then flagged "no steady state")', 100, 3_600_000, 5000),
  steadyWindows: integer('steady-windows', 'consecutive warm-up windows that must agree for a steady state', 2, 1000, 4),
  steadyTolerance: fraction('steady-tolerance', 'largest trend and scatter of those windows, as a share of their mean', 0.15),
  unstableHalfWidth: fraction('unstable-half-width', "the precision target of a run without --precision (--precision 0): the run says how many cells reached a 95% interval within this share of their mean", 0.05),
};

/** A share from 0 to 1 (0.05 is 5 %). */
export function fraction(flagName: string, describe: string, defaultValue: number): Knob<number> {
  return {
    flag: flagName,
    describe,
    type: 'number',
    default: defaultValue,
    read(raw) {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!(n > 0 && n < 1)) throw new UsageError(`--${flagName} must be a share between 0 and 1 (0.05 is 5%), got ${String(raw)}`);
      return n;
    },
  };
}

/** Run-wide settings that are not server or workload knobs. */
export interface RunSettings {
  bail: boolean;
  /** Times each cell runs; all trials interleaved in a shuffled order. */
  repeat: number;
  /** Seed of that order; null: drawn at random when the run starts (and recorded). */
  seed: number | null;
  /** How long the probe measures the idle machine before the first cell (0 skips it). */
  idleProbeMs: number;
  /** Target relative half-width of throughput and p50 (0.05: ±5%); trials are added to the cells that miss it. Null: exactly --repeat trials. */
  precision: number | null;
  /** The run's time budget: no trial starts that would end after it. */
  maxTimeMs: number;
}

/** The default run: ±5% where it can be had within 4 minutes (measured on the project machine, README "How pipebench measures"). */
export const DEFAULT_PRECISION_PERCENT = 5;
export const DEFAULT_MAX_TIME = '4m';

/**
 * Trials a cell runs, under a precision target, before an interval within the target
 * ends its trials (BenchmarkDotNet's minimum iteration count, 15 by default, for the same
 * reason). Stopping the first time an interval looks narrow trusts a lucky few: three
 * trials that happen to agree within 2% make ±5% at t = 4.30 while this machine's
 * launches of one cell differ by ~10%. On 2026-12-04 (--precision 5), the 20-client
 * cells of the run that stopped after 3-8 trials read 3-14% above the same cells in the
 * next two runs, which took 11-29 trials each.
 */
export const PRECISION_MIN_TRIALS = 8;

/**
 * The budget is the command's: this much of it is kept for the report after the last trial (the default
 * run's 24 cells took 1.2 s to report after it, and the process ~0.5 s to start, on the project machine).
 */
export const REPORT_RESERVE_MS = 2000;

export const RUN_KNOBS: KnobTable<RunSettings> = {
  bail: flag('bail', 'stop at the first failed cell'),
  repeat: integer('repeat', 'trials of each cell, each in fresh processes, all interleaved in a shuffled order; the 95% intervals come from them', 1, 1000, 3),
  seed: optionalInteger('seed', 'seed of the trial order (default: random, recorded in results)', 0, 2 ** 32 - 1),
  idleProbeMs: integer('idle-probe-ms', "how long to measure the idle machine's responsiveness before the first cell (0: skip)", 0, 600_000, IDLE_PROBE_MS),
  precision: precisionKnob(),
  maxTimeMs: durationKnob('max-time', 'time budget of the run: 90s, 4m, 1h or seconds; no trial starts that would end after it', DEFAULT_MAX_TIME),
};

/** --precision PCT: a percentage above 0 and below 100, kept as a share; 0: exactly --repeat trials (null). */
function precisionKnob(): Knob<number | null> {
  return {
    flag: 'precision',
    describe: 'target 95% half-width of throughput and p50, in percent of the mean: trials are added (interleaved, shuffled) to the cells that miss it until all reach it or --max-time is spent; 0: exactly --repeat trials',
    type: 'number',
    default: DEFAULT_PRECISION_PERCENT,
    read(raw) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (n === 0) return null;
      if (!(n > 0 && n < 100)) throw new UsageError(`--precision must be a percentage above 0 and below 100 (5 is ±5%), or 0, got ${String(raw)}`);
      return n / 100;
    },
  };
}

/** A duration: "90s", "4m", "1h", "1m30s" or plain seconds, in milliseconds. */
export function parseDurationMs(flagName: string, raw: unknown): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?$/.exec(text);
  const ms = match && text !== '' ? ((Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 1000 : NaN;
  if (!(ms >= 1000 && ms <= 7 * 24 * 3600 * 1000)) throw new UsageError(`--${flagName} must be a duration from 1s to 7 days (90s, 4m, 1h, 1m30s or seconds), got ${String(raw)}`);
  return Math.round(ms);
}

function durationKnob(flagName: string, describe: string, defaultValue: string): Knob<number> {
  return { flag: flagName, describe, type: 'string', default: defaultValue as unknown as number, read: (raw) => parseDurationMs(flagName, raw) };
}

/**
 * A reader (contract/check.ts) for an object of a table's values, checking
 * each with its knob: how knobs crossing a process boundary are checked, so a
 * new knob needs no reader of its own.
 */
export function knobsReader<T>(table: KnobTable<T>): Reader<T> {
  return (value, path) => {
    if (value === null || typeof value !== 'object') throw new ShapeError(`${path}: expected an object, got ${JSON.stringify(value)}`);
    const values = {} as T;
    for (const key of Object.keys(table) as (keyof T)[]) {
      try {
        values[key] = table[key].read((value as Record<keyof T, unknown>)[key]);
      } catch (error) {
        throw new ShapeError(`${path}.${String(key)}: ${(error as Error).message}`);
      }
    }
    return values;
  };
}

/** yargs option definitions of a table. */
export function yargsOptions(table: KnobTable<object>): Record<string, { type: Knob<unknown>['type']; describe: string; default?: unknown }> {
  const options: Record<string, { type: Knob<unknown>['type']; describe: string; default?: unknown }> = {};
  for (const knob of Object.values(table) as Knob<unknown>[]) {
    options[knob.flag] = knob.default === undefined ? { type: knob.type, describe: knob.describe } : { type: knob.type, describe: knob.describe, default: knob.default };
  }
  return options;
}

/** The checked values of a table's flags from parsed arguments (absent flags take their default). */
export function readKnobs<T>(table: KnobTable<T>, argv: Record<string, unknown>): T {
  const values = {} as T;
  for (const key of Object.keys(table) as (keyof T)[]) {
    const knob = table[key];
    values[key] = knob.read(argv[knob.flag] ?? knob.default);
  }
  return values;
}

/** The defaults of a table, as one object. */
export function defaultsOf<T>(table: KnobTable<T>): T {
  return readKnobs(table, {});
}

export function integerOption(flagName: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`--${flagName} must be ${range}, got ${String(value)}`);
  }
  return n;
}
