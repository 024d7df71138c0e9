// The client scripts of the seed experiment. Every answer is checked against what
// this client itself wrote; wrong answers are counted, never skipped. The loops
// allocate nothing: requests are encoded into the transport's fixed buffers.

import { Command, resultBytes, Status } from '../strategies/protocol';
import type { Histogram } from './histogram';
import type { Transport } from './transport';
import type { ClientErrors } from '../harness/messages';

export type WorkloadName = 'transactions' | 'batch';

export interface WorkloadSpec {
  workload: WorkloadName;
  /** `transactions`: how many transactions the script runs. */
  transactions: number;
  /** `batch`: sets of `batchSize` ADDs followed by as many DELETEs. */
  batches: number;
  batchSize: number;
  /** Untimed transactions each client runs before its script. */
  warmupTransactions: number;
  /** Open loop: transactions per second this client sends on a fixed schedule; null = closed loop. */
  ratePerClientTps: number | null;
}

/** Transactions a script runs, for progress and for counting what a failed client never ran. */
export function scriptLength(spec: WorkloadSpec): number {
  if (spec.workload === 'batch') return spec.batches * spec.batchSize * 2;
  // A script cut mid-cycle ends with one more DELETE, of the record it still holds.
  return spec.transactions + (spec.transactions % 3 === 0 ? 0 : 1);
}

export interface WorkloadTally {
  transactions: number;
  errors: ClientErrors;
}

// What the open-loop pacer sleeps on: nothing ever notifies it, so a wait is a timed sleep.
const sleeper = new Int32Array(new SharedArrayBuffer(4));
// Atomics.wait can wake this late; the last stretch before a scheduled send is spun instead.
const SPIN_MS = 0.2;

/** Returns at `atMs` (performance.now() clock): sleeps most of the way, spins the rest; allocates nothing. */
function waitUntil(atMs: number): void {
  for (;;) {
    const leftMs = atMs - performance.now();
    if (leftMs <= 0) return;
    if (leftMs > SPIN_MS + 0.1) Atomics.wait(sleeper, 0, 0, leftMs - SPIN_MS);
  }
}

/** Open-loop pacing: send times and the second histogram (from the actual send). */
export interface Pacing {
  intervalMs: number;
  sent: Histogram;
}

/** One client's conversation: each call is one timed, verified transaction. */
class Conversation {
  readonly tally: WorkloadTally = { transactions: 0, errors: { unexpectedStatus: 0, mismatches: 0 } };
  private readonly intervalMs: number;
  private nextAtMs = 0;

  constructor(
    private readonly transport: Transport,
    private readonly histogram: Histogram,
    private readonly pacing: Pacing | null,
  ) {
    this.intervalMs = pacing ? pacing.intervalMs : 0;
    this.nextAtMs = performance.now();
  }

  /** ADD; returns the new id, or -1 when the server refused. */
  add(a: number, b: number): number {
    const request = this.transport.request;
    request.setInt32(0, Command.ADD, true);
    request.setInt32(4, a, true);
    request.setInt32(8, b, true);
    const status = this.timed(12, resultBytes(Command.ADD));
    if (status !== Status.OK) {
      this.tally.errors.unexpectedStatus++;
      return -1;
    }
    const id = this.transport.reply.getInt32(4, true);
    if (id < 0) this.tally.errors.mismatches++;
    return id;
  }

  /** RETRIEVE or DELETE of a record this client added as (a, b); id -1 expects NOT_FOUND. */
  readBack(command: typeof Command.RETRIEVE | typeof Command.DELETE, id: number, a: number, b: number): void {
    const request = this.transport.request;
    request.setInt32(0, command, true);
    request.setInt32(4, id, true);
    const status = this.timed(8, 8);
    const expected = id >= 0 ? Status.OK : Status.NOT_FOUND;
    if (status !== expected) this.tally.errors.unexpectedStatus++;
    else if (status === Status.OK) {
      const reply = this.transport.reply;
      if (reply.getInt32(4, true) !== a || reply.getInt32(8, true) !== b) this.tally.errors.mismatches++;
    }
  }

  private timed(requestBytes: number, okResultBytes: number): number {
    if (this.pacing === null) {
      const started = performance.now();
      const status = this.transport.roundTrip(requestBytes, okResultBytes);
      record(this.histogram, performance.now() - started);
      this.tally.transactions++;
      return status;
    }
    // Open loop: a late answer delays the next send, but not the next *scheduled*
    // start, so the wait it causes is charged to the server (wrk2's correction).
    const scheduledMs = this.nextAtMs;
    this.nextAtMs += this.intervalMs;
    waitUntil(scheduledMs);
    const started = performance.now();
    const status = this.transport.roundTrip(requestBytes, okResultBytes);
    const ended = performance.now();
    record(this.histogram, ended - scheduledMs);
    record(this.pacing.sent, ended - started);
    this.tally.transactions++;
    return status;
  }
}

function record(histogram: Histogram, elapsedMs: number): void {
  const elapsedNs = Math.round(elapsedMs * 1e6);
  histogram.recordValue(elapsedNs > 0 ? elapsedNs : 1);
}

/**
 * Runs the script; `clientIndex` goes into every record so no two clients write
 * the same values. A lost connection propagates as ConnectionLost, with `tally`
 * still telling what was done.
 */
export function runWorkload(
  transport: Transport,
  spec: WorkloadSpec,
  clientIndex: number,
  histogram: Histogram,
  tally: (t: WorkloadTally) => void,
  pacing: Pacing | null = null,
): void {
  const conversation = new Conversation(transport, histogram, pacing);
  tally(conversation.tally);
  if (spec.workload === 'batch') runBatches(conversation, spec, clientIndex);
  else runTransactions(conversation, spec.transactions, clientIndex);
}

// ADD, RETRIEVE, DELETE of the client's own record, one transaction each, over and over.
function runTransactions(conversation: Conversation, transactions: number, clientIndex: number): void {
  let id = -1;
  let b = 0;
  for (let i = 0; i < transactions; i++) {
    switch (i % 3) {
      case 0:
        b = i;
        id = conversation.add(clientIndex, b);
        break;
      case 1:
        conversation.readBack(Command.RETRIEVE, id, clientIndex, b);
        break;
      default:
        conversation.readBack(Command.DELETE, id, clientIndex, b);
        id = -1;
    }
  }
  // A script cut mid-cycle still leaves the store as it found it.
  if (id >= 0) conversation.readBack(Command.DELETE, id, clientIndex, b);
}

function runBatches(conversation: Conversation, spec: WorkloadSpec, clientIndex: number): void {
  const ids = new Int32Array(spec.batchSize);
  for (let batch = 0; batch < spec.batches; batch++) {
    const base = batch * spec.batchSize;
    for (let i = 0; i < spec.batchSize; i++) ids[i] = conversation.add(clientIndex, base + i);
    for (let i = 0; i < spec.batchSize; i++) conversation.readBack(Command.DELETE, ids[i], clientIndex, base + i);
  }
}

/** Ends the conversation with BYE: the server answers OK and closes. */
export function sayBye(transport: Transport): string | null {
  transport.request.setInt32(0, Command.BYE, true);
  const status = transport.roundTrip(4, 0);
  if (status !== Status.OK) return `BYE answered status ${status}`;
  if (!transport.expectClosed()) return 'server sent bytes after BYE instead of closing';
  return null;
}
