// The small typed messages the harness and its child processes exchange over
// IPC. A child learns everything it needs from ONE start message (its role and
// its options, as validated objects: never re-parsed flags), then answers with
// messages of its role. Both directions are checked on arrival by the readers
// below, so a child of another pipebench version fails with a clear reason.

import { integer, literal, nullable, number, object, Read, string, variant } from './check';
import type { ServerOptions, StrategyName } from '../strategies/types';
import type { ClientOptions } from '../clients/client';

/** Bumped whenever a message changes shape. */
export const MESSAGE_VERSION = 1;

/** What a child is and what it needs: the body of its start message. */
export type ChildStart = { role: 'server'; strategy: StrategyName; options: ServerOptions } | { role: 'client'; options: ClientOptions } | { role: 'probe'; sleepMs: number };

export type StartMessage = { type: 'start'; version: typeof MESSAGE_VERSION } & ChildStart;

export type ToServerMessage = { type: 'stop' };
export type ToClientMessage = { type: 'go' };
export type ToProbeMessage = { type: 'record' } | { type: 'finish' };

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

/** What one client process reports to the harness when its script ends. */
export const clientReportSchema = object({
  clientIndex: integer,
  pid: integer,
  /** Transactions that completed a round trip (whatever their verdict). */
  transactions: integer,
  errors: clientErrorsSchema,
  /** Why the script stopped early (disconnect, connect failure), or null when it ran to the end. */
  fatal: nullable(string),
  /** Monotonic clock (process.hrtime.bigint) at the script's first and last byte, as decimal strings. */
  startNs: string,
  endNs: string,
  /** Per-transaction turnaround in nanoseconds: an HdrHistogram, compressed and base64-encoded. */
  histogram: string,
  /** Open loop only: turnaround from the moment each request was actually sent; null in a closed loop. */
  sentHistogram: nullable(string),
  /** Untimed transactions run after "go", before `startNs`. */
  warmupTransactions: integer,
  /** CPU of the whole process (start-up included). */
  cpuUserUs: number,
  cpuSystemUs: number,
  /** CPU between `startNs` and `endNs`. */
  scriptCpuUserUs: number,
  scriptCpuSystemUs: number,
});
export type ClientReport = Read<typeof clientReportSchema>;

export const clientMessageSchema = variant('type', {
  connected: object({}),
  report: object({ report: clientReportSchema }),
});
export type ClientMessage = Read<typeof clientMessageSchema>;

export const probeMessageSchema = variant('type', {
  ready: object({}),
  report: object({ histogram: string }),
});
export type ProbeMessage = Read<typeof probeMessageSchema>;

const serverKnobsSchema = object({ threads: integer, capacity: integer, cpuUs: integer, storeLatencyUs: integer });
const workloadSchema = object({
  workload: literal('transactions', 'batch'),
  transactions: integer,
  batches: integer,
  batchSize: integer,
  warmupTransactions: integer,
  ratePerClientTps: nullable(integer),
});

const startSchema = variant('role', {
  server: object({ strategy: string, options: object({ address: string, maxSessions: integer, knobs: serverKnobsSchema }) }),
  client: object({ options: object({ address: string, clientIndex: integer, connectTimeoutMs: integer, workload: workloadSchema }) }),
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
