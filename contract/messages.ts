// The small typed messages the harness and its child processes exchange over
// IPC. A child learns everything it needs from ONE start message (its role and
// its options, as validated objects: never re-parsed flags), then answers with
// messages of its role. Both directions are checked on arrival by the readers
// below, so a child of another pipebench version fails with a clear reason.

import { array, integer, literal, nullable, number, object, Read, string, variant } from './check';
import type { ServerOptions, StrategyName } from '../strategies/types';
import { knobsReader, SERVER_KNOBS, WORKLOAD_KNOBS } from './knobs';
import type { WorkloadSpec } from './knobs';

export interface ClientOptions extends ClientSetup {
  address: string;
}

/**
 * What a client process of the harness keeps for the whole run; each trial then
 * names the server's address. The harness keeps its clients from trial to trial
 * (the load generator stays warm; the server under test is started afresh).
 */
export interface ClientSetup {
  clientIndex: number;
  connectTimeoutMs: number;
  workload: WorkloadSpec;
  /** The measured phase's windows, so their histograms exist before the load starts (0: none, the standalone client). */
  measureWindows: number;
}

/** Bumped whenever a message changes shape. */
export const MESSAGE_VERSION = 4;

/** What a child is and what it needs: the body of its start message. */
export type ChildStart = { role: 'server'; strategy: StrategyName; options: ServerOptions } | { role: 'client'; setup: ClientSetup } | { role: 'probe'; sleepMs: number };

export type StartMessage = { type: 'start'; version: typeof MESSAGE_VERSION } & ChildStart;

export type ToServerMessage = { type: 'stop' };
/** Times are on the clock every process shares (clients/clock.ts sharedNowMs). */
export type ToClientMessage =
  | { type: 'trial'; address: string }
  | { type: 'go'; atMs: number; windowMs: number }
  | { type: 'measure'; startMs: number; windows: number }
  | { type: 'script'; startMs: number }
  | { type: 'stop' }
  | { type: 'report' };
/** The probe records wake-ups between two moments of the shared clock. */
export type ToProbeMessage = { type: 'record'; fromMs: number; toMs: number } | { type: 'finish' };

const serverCostSchema = object({
  cpuUserUs: number,
  cpuSystemUs: number,
  maxRssKb: number,
  voluntaryContextSwitches: number,
  involuntaryContextSwitches: number,
});
export type ServerCost = Read<typeof serverCostSchema>;

export const serverMessageSchema = variant('type', {
  ready: object({ address: string, mechanism: string, pid: integer, cost: serverCostSchema }),
  stopped: object({ cost: serverCostSchema }),
});
export type ServerMessage = Read<typeof serverMessageSchema>;

const clientErrorsSchema = object({
  /** A status other than the one the script expected (NOT_FOUND for its own record, FULL, ...). */
  unexpectedStatus: integer,
  /** An OK answer with the wrong contents (a record this client never wrote). */
  mismatches: integer,
});
export type ClientErrors = Read<typeof clientErrorsSchema>;

const cpuSchema = object({ userUs: number, systemUs: number });

/** What one client process reports to the harness when it is done. Times are on the shared clock, in ms. */
export const clientReportSchema = object({
  clientIndex: integer,
  pid: integer,
  /** Transactions that completed a round trip in every phase (whatever their verdict). */
  transactions: integer,
  /** Wrong answers in every phase. */
  errors: clientErrorsSchema,
  /** Why the client stopped early (disconnect, connect failure), or null when it ran to the end. */
  fatal: nullable(string),
  /** The measured phase: transactions and turnaround (HdrHistograms, compressed, base64) per measuring window. */
  steady: nullable(
    object({
      windowCounts: array(integer),
      windowHistograms: array(string),
      histogram: string,
      /** Open loop only: turnaround from the actual send (the others count from the scheduled start). */
      sentHistogram: nullable(string),
    }),
  ),
  /** The script: when it ended, and when every `every`-th transaction of it did. */
  script: nullable(
    object({
      transactions: integer,
      endMs: number,
      every: integer,
      endsMs: array(number),
      histogram: string,
      sentHistogram: nullable(string),
    }),
  ),
  /** How late the "measure" message reached this client after the phase began (0: in time). */
  measureLateMs: number,
  /** CPU of the process during this trial, and during the measured phase only (null when the phase did not run). */
  cpu: cpuSchema,
  measuredCpu: nullable(cpuSchema),
});
export type ClientReport = Read<typeof clientReportSchema>;

export const clientMessageSchema = variant('type', {
  connected: object({}),
  /** Said BYE: its load is over (its report follows when the harness asks, once every client is done). */
  done: object({}),
  /** Transactions per progress window (since "go"), for windows fromWindow, fromWindow + 1, ... */
  progress: object({ fromWindow: integer, counts: array(integer) }),
  report: object({ report: clientReportSchema }),
});
export type ClientMessage = Read<typeof clientMessageSchema>;

export const probeMessageSchema = variant('type', {
  ready: object({}),
  report: object({ histogram: string }),
});
export type ProbeMessage = Read<typeof probeMessageSchema>;

// Knobs are checked by their own tables (harness/options.ts): a new knob needs no reader here.
export const serverKnobsSchema = knobsReader(SERVER_KNOBS);
export const workloadSchema = knobsReader(WORKLOAD_KNOBS);

const startSchema = variant('role', {
  server: object({ strategy: string, options: object({ address: string, maxSessions: integer, knobs: serverKnobsSchema }) }),
  client: object({ setup: object({ clientIndex: integer, connectTimeoutMs: integer, workload: workloadSchema, measureWindows: integer }) }),
  probe: object({ sleepMs: integer }),
});

/** The start message a child received, checked; throws saying what is wrong (a version mismatch first). */
export function readStartMessage(message: unknown): StartMessage {
  const header = object({ type: literal('start'), version: integer })(message, 'start message');
  if (header.version !== MESSAGE_VERSION) throw new Error(`start message version ${header.version}; this pipebench speaks version ${MESSAGE_VERSION}`);
  return { type: 'start', version: MESSAGE_VERSION, ...(startSchema(message, 'start message') as ChildStart) };
}

export function ownCost(): ServerCost {
  const usage = process.resourceUsage();
  return {
    cpuUserUs: usage.userCPUTime,
    cpuSystemUs: usage.systemCPUTime,
    maxRssKb: usage.maxRSS,
    voluntaryContextSwitches: usage.voluntaryContextSwitches,
    involuntaryContextSwitches: usage.involuntaryContextSwitches,
  };
}
