// The client scripts of the seed experiment, one transaction at a time. Every
// answer is checked against what this client itself wrote; wrong answers are
// counted, never skipped. Nothing here allocates per transaction: requests are
// encoded into the transport's fixed buffers, and each finished transaction is
// handed to an observer as plain numbers.

import { Command, Status } from '../strategies/protocol';
import type { Transport } from './transport';
import type { ClientErrors } from '../contract/messages';
import type { WorkloadSpec } from '../contract/knobs';

export type { WorkloadName, WorkloadSpec } from '../contract/knobs';


/** Transactions a script runs, for progress and for counting what a failed client never ran. */
export function scriptLength(spec: WorkloadSpec): number {
  if (spec.workload === 'batch') return spec.batches * spec.batchSize * 2;
  // A script cut mid-cycle ends with one more DELETE, of the record it still holds.
  return spec.transactions + (spec.transactions % 3 === 0 ? 0 : 1);
}

/** Told of every transaction as it ends. Times are performance.now() milliseconds. */
export interface TransactionObserver {
  /**
   * `startedMs`: when the transaction was due (its scheduled start in an open
   * loop, else when it was sent); `sentMs`: when it was sent; `endedMs`: when its
   * answer had arrived.
   */
  ended(startedMs: number, sentMs: number, endedMs: number): void;
}

const IGNORE: TransactionObserver = { ended() {} };

// What the open-loop pacer sleeps on: nothing ever notifies it, so a wait is a timed sleep.
const sleeper = new Int32Array(new SharedArrayBuffer(4));
// Atomics.wait can wake this late; the last stretch before a scheduled send is spun instead.
const SPIN_MS = 0.2;

/** Returns at `atMs` (performance.now() clock): sleeps most of the way, spins the rest; allocates nothing. */
export function waitUntil(atMs: number): void {
  for (;;) {
    const leftMs = atMs - performance.now();
    if (leftMs <= 0) return;
    if (leftMs > SPIN_MS + 0.1) Atomics.wait(sleeper, 0, 0, leftMs - SPIN_MS);
  }
}

/** One client's conversation with the server: each call is one timed, verified transaction. */
export class Conversation {
  readonly errors: ClientErrors = { unexpectedStatus: 0, mismatches: 0 };
  /** Transactions that completed a round trip (whatever their verdict). */
  transactions = 0;
  observer: TransactionObserver = IGNORE;
  private nextAtMs = 0;

  constructor(
    private readonly transport: Transport,
    /** Open loop: milliseconds between scheduled sends; 0 for a closed loop. */
    private readonly intervalMs: number,
  ) {}

  /** Open loop: the schedule starts (again) at `atMs`. */
  scheduleFrom(atMs: number): void {
    this.nextAtMs = atMs;
  }

  /** ADD; returns the new id, or -1 when the server refused. */
  add(a: number, b: number): number {
    const request = this.transport.request;
    request.setInt32(0, Command.ADD, true);
    request.setInt32(4, a, true);
    request.setInt32(8, b, true);
    const status = this.timed(12, 4);
    if (status !== Status.OK) {
      this.errors.unexpectedStatus++;
      return -1;
    }
    const id = this.transport.reply.getInt32(4, true);
    if (id < 0) this.errors.mismatches++;
    return id;
  }

  /** RETRIEVE or DELETE of a record this client added as (a, b); id -1 expects NOT_FOUND. */
  readBack(command: typeof Command.RETRIEVE | typeof Command.DELETE, id: number, a: number, b: number): void {
    const request = this.transport.request;
    request.setInt32(0, command, true);
    request.setInt32(4, id, true);
    const status = this.timed(8, 8);
    const expected = id >= 0 ? Status.OK : Status.NOT_FOUND;
    if (status !== expected) this.errors.unexpectedStatus++;
    else if (status === Status.OK) {
      const reply = this.transport.reply;
      if (reply.getInt32(4, true) !== a || reply.getInt32(8, true) !== b) this.errors.mismatches++;
    }
  }

  private timed(requestBytes: number, okResultBytes: number): number {
    let startedMs: number;
    if (this.intervalMs > 0) {
      // Open loop: a late answer delays the next send, but not the next *scheduled*
      // start, so the wait it causes is charged to the server (wrk2's correction).
      startedMs = this.nextAtMs;
      this.nextAtMs += this.intervalMs;
      waitUntil(startedMs);
    }
    const sentMs = performance.now();
    const status = this.transport.roundTrip(requestBytes, okResultBytes);
    const endedMs = performance.now();
    this.transactions++;
    this.observer.ended(this.intervalMs > 0 ? startedMs! : sentMs, sentMs, endedMs);
    return status;
  }
}

/**
 * A workload as an endless series of transactions, one per step(), that can stop
 * after any step: drain() then deletes whatever records it still holds, so the
 * store is left as it was found. `clientIndex` goes into every record so no two
 * clients write the same values.
 */
export interface Workload {
  step(): void;
  drain(): void;
}

export function workloadOf(spec: WorkloadSpec, conversation: Conversation, clientIndex: number): Workload {
  return spec.workload === 'batch' ? new BatchWorkload(conversation, clientIndex, spec.batchSize) : new CycleWorkload(conversation, clientIndex);
}

/** ADD, RETRIEVE, DELETE of the client's own record, one transaction each, over and over. */
class CycleWorkload implements Workload {
  private i = 0;
  private id = -1;
  private b = 0;

  constructor(
    private readonly conversation: Conversation,
    private readonly clientIndex: number,
  ) {}

  step(): void {
    switch (this.i % 3) {
      case 0:
        this.b = this.i;
        this.id = this.conversation.add(this.clientIndex, this.b);
        break;
      case 1:
        this.conversation.readBack(Command.RETRIEVE, this.id, this.clientIndex, this.b);
        break;
      default:
        this.conversation.readBack(Command.DELETE, this.id, this.clientIndex, this.b);
        this.id = -1;
    }
    this.i++;
  }

  drain(): void {
    if (this.id >= 0) this.conversation.readBack(Command.DELETE, this.id, this.clientIndex, this.b);
    this.id = -1;
    this.i += 3 - (this.i % 3 || 3);
  }
}

/** `batchSize` ADDs, then DELETEs of the same records, over and over. */
class BatchWorkload implements Workload {
  private readonly ids: Int32Array;
  private readonly values: Int32Array;
  private held = 0;
  private deleting = false;
  private next = 0;

  constructor(
    private readonly conversation: Conversation,
    private readonly clientIndex: number,
    batchSize: number,
  ) {
    this.ids = new Int32Array(batchSize);
    this.values = new Int32Array(batchSize);
  }

  step(): void {
    if (!this.deleting) {
      const value = this.next++ | 0;
      this.values[this.held] = value;
      this.ids[this.held] = this.conversation.add(this.clientIndex, value);
      this.held++;
      if (this.held === this.ids.length) this.deleting = true;
      return;
    }
    const at = this.ids.length - this.held;
    this.conversation.readBack(Command.DELETE, this.ids[at], this.clientIndex, this.values[at]);
    this.held--;
    if (this.held === 0) this.deleting = false;
  }

  drain(): void {
    const from = this.deleting ? this.ids.length - this.held : 0;
    for (let at = from; at < from + this.held; at++) this.conversation.readBack(Command.DELETE, this.ids[at], this.clientIndex, this.values[at]);
    this.held = 0;
    this.deleting = false;
  }
}

/** A whole script: scriptLength(spec) transactions from a fresh workload, ending with nothing held. */
export function runScript(spec: WorkloadSpec, conversation: Conversation, clientIndex: number): void {
  const workload = workloadOf(spec, conversation, clientIndex);
  const steps = spec.workload === 'batch' ? scriptLength(spec) : spec.transactions;
  for (let i = 0; i < steps; i++) workload.step();
  workload.drain();
}

/** Ends the conversation with BYE: the server answers OK and closes. Null when it did, else what went wrong. */
export function sayBye(transport: Transport): string | null {
  transport.request.setInt32(0, Command.BYE, true);
  const status = transport.roundTrip(4, 0);
  if (status !== Status.OK) return `BYE answered status ${status}`;
  if (!transport.expectClosed()) return 'server sent bytes after BYE instead of closing';
  return null;
}
