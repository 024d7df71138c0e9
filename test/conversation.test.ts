// A client's conversation, in-process, against an in-memory server behind the
// Transport interface: every kind of answer is checked and each wrong one counted
// as its kind (exact counts: the script is fixed), and each transaction's three
// times (due, sent, answered) on a clock the fake server moves, so the open loop's
// coordinated-omission correction is checked to the exact figure.

import { Command, Status } from '../strategies/protocol';
import type { Transport } from '../clients/transport';
import { Conversation, runScript, sayBye, scriptLength, TransactionObserver, waitUntil, workloadOf, WorkloadSpec } from '../clients/workloads';

/** performance.now(), as the fake server moves it. */
let nowMs = 0;
beforeEach(() => {
  nowMs = 1000;
  jest.spyOn(performance, 'now').mockImplementation(() => nowMs);
});
afterEach(() => jest.restoreAllMocks());

type Lie = (command: number, reply: DataView) => void;

/** A correct PROTOCOL.md store, except for `lie`, which may rewrite any reply; each round trip takes `latencyMs`. */
class FakeServer implements Transport {
  readonly request = new DataView(new ArrayBuffer(12));
  readonly reply = new DataView(new ArrayBuffer(12));
  readonly records = new Map<number, [number, number]>();
  readonly commands: number[] = [];
  private nextId = 0;
  closesAfterBye = true;

  constructor(
    private readonly latencyMs = 0,
    private readonly lie: Lie = () => {},
  ) {}

  roundTrip(): number {
    const command = this.request.getInt32(0, true);
    const argument = this.request.getInt32(4, true);
    this.commands.push(command);
    this.reply.setInt32(0, Status.OK, true);
    switch (command) {
      case Command.ADD:
        this.records.set(this.nextId, [argument, this.request.getInt32(8, true)]);
        this.reply.setInt32(4, this.nextId++, true);
        break;
      case Command.RETRIEVE:
      case Command.DELETE: {
        const record = this.records.get(argument);
        if (!record) this.reply.setInt32(0, Status.NOT_FOUND, true);
        else {
          this.reply.setInt32(4, record[0], true);
          this.reply.setInt32(8, record[1], true);
          if (command === Command.DELETE) this.records.delete(argument);
        }
        break;
      }
      case Command.BYE:
        break;
    }
    this.lie(command, this.reply);
    nowMs += this.latencyMs;
    return this.reply.getInt32(0, true);
  }

  expectClosed(): boolean {
    return this.closesAfterBye;
  }

  close(): void {}
}

const CYCLES: WorkloadSpec = { workload: 'transactions', transactions: 30, batches: 1, batchSize: 1, ratePerClientTps: null };
const BATCHES: WorkloadSpec = { workload: 'batch', transactions: 1, batches: 2, batchSize: 5, ratePerClientTps: null };

function converse(spec: WorkloadSpec, lie?: Lie) {
  const server = new FakeServer(0, lie);
  const conversation = new Conversation(server, 0);
  runScript(spec, conversation, 7);
  return { errors: conversation.errors, transactions: conversation.transactions, server };
}

const on = (which: number, change: (reply: DataView) => void): Lie => (command, reply) => {
  if (command === which) change(reply);
};
const bump = (offset: number) => (reply: DataView) => reply.setInt32(offset, reply.getInt32(offset, true) + 1, true);
const status = (value: number) => (reply: DataView) => reply.setInt32(0, value, true);

describe('verification', () => {
  it('an honest server: no error, every transaction run, the store left empty', () => {
    for (const spec of [CYCLES, BATCHES]) {
      const { errors, transactions, server } = converse(spec);
      expect(errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
      expect(transactions).toBe(scriptLength(spec));
      expect(server.records.size).toBe(0);
    }
    // The cycle: ADD, RETRIEVE, DELETE of the client's own record.
    expect(converse(CYCLES).server.commands.slice(0, 6)).toEqual([Command.ADD, Command.RETRIEVE, Command.DELETE, Command.ADD, Command.RETRIEVE, Command.DELETE]);
  });

  // 30 transactions: 10 each of ADD, RETRIEVE, DELETE. Batches: 2 x (5 ADDs, 5 DELETEs).
  it.each([
    ['ADD answers FULL', on(Command.ADD, status(Status.FULL)), CYCLES, { unexpectedStatus: 10, mismatches: 0 }],
    ['ADD answers a negative id', on(Command.ADD, (reply) => reply.setInt32(4, -3, true)), CYCLES, { unexpectedStatus: 0, mismatches: 10 }],
    ['RETRIEVE answers NOT_FOUND', on(Command.RETRIEVE, status(Status.NOT_FOUND)), CYCLES, { unexpectedStatus: 10, mismatches: 0 }],
    ['RETRIEVE answers BAD_COMMAND', on(Command.RETRIEVE, status(Status.BAD_COMMAND)), CYCLES, { unexpectedStatus: 10, mismatches: 0 }],
    ["RETRIEVE's first field is wrong", on(Command.RETRIEVE, bump(4)), CYCLES, { unexpectedStatus: 0, mismatches: 10 }],
    ["RETRIEVE's second field is wrong", on(Command.RETRIEVE, bump(8)), CYCLES, { unexpectedStatus: 0, mismatches: 10 }],
    ['DELETE answers NOT_FOUND', on(Command.DELETE, status(Status.NOT_FOUND)), CYCLES, { unexpectedStatus: 10, mismatches: 0 }],
    ["DELETE's first field is wrong", on(Command.DELETE, bump(4)), CYCLES, { unexpectedStatus: 0, mismatches: 10 }],
    ["DELETE's second field is wrong", on(Command.DELETE, bump(8)), CYCLES, { unexpectedStatus: 0, mismatches: 10 }],
    ["DELETE's second field is wrong (batches)", on(Command.DELETE, bump(8)), BATCHES, { unexpectedStatus: 0, mismatches: 10 }],
    ['ADD answers FULL (batches)', on(Command.ADD, status(Status.FULL)), BATCHES, { unexpectedStatus: 10, mismatches: 0 }],
  ])('%s: counted, every time, as its kind', (_, lie, spec, expected) => {
    expect(converse(spec, lie).errors).toEqual(expected);
  });

  it('a record it never got (ADD refused) must be NOT_FOUND: OK for it is an unexpected status', () => {
    // ADD refused: the client asks RETRIEVE and DELETE of id -1, and a server answering OK to them lies.
    let refused = false;
    const lie: Lie = (command, reply) => {
      if (command === Command.ADD) {
        reply.setInt32(0, Status.FULL, true);
        refused = true;
      } else if (refused) reply.setInt32(0, Status.OK, true);
    };
    expect(converse(CYCLES, lie).errors).toEqual({ unexpectedStatus: 30, mismatches: 0 });
  });

  it("a drain after an ADD deletes the record it holds, checking DELETE's answer", () => {
    const server = new FakeServer(0, on(Command.DELETE, bump(8)));
    const conversation = new Conversation(server, 0);
    const workload = workloadOf(CYCLES, conversation, 3);
    workload.step(); // ADD
    workload.drain();
    expect(server.commands).toEqual([Command.ADD, Command.DELETE]);
    expect(server.records.size).toBe(0);
    expect(conversation.errors).toEqual({ unexpectedStatus: 0, mismatches: 1 });
  });

  it('a drain restarts the cycle at ADD, and deletes only what it still holds', () => {
    const server = new FakeServer();
    const conversation = new Conversation(server, 0);
    const workload = workloadOf(CYCLES, conversation, 3);
    const { ADD, RETRIEVE, DELETE } = Command;
    workload.drain(); // holds nothing yet
    workload.step(); // ADD
    workload.step(); // RETRIEVE
    workload.drain(); // DELETE of the record it holds
    workload.drain(); // holds nothing any more
    workload.step(); // the cycle starts again
    workload.drain();
    workload.step();
    workload.step();
    workload.step(); // a whole cycle: holds nothing
    workload.drain();
    workload.step();
    expect(server.commands).toEqual([ADD, RETRIEVE, DELETE, ADD, DELETE, ADD, RETRIEVE, DELETE, ADD]);
    expect(conversation.errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
  });

  it('a batch drained while adding, or while deleting, deletes exactly the records it still holds', () => {
    const { ADD, DELETE } = Command;
    for (const [steps, expected] of [
      [3, [ADD, ADD, ADD, DELETE, DELETE, DELETE]],
      [7, [ADD, ADD, ADD, ADD, ADD, DELETE, DELETE, DELETE, DELETE, DELETE]],
      [10, [ADD, ADD, ADD, ADD, ADD, DELETE, DELETE, DELETE, DELETE, DELETE]],
    ] as const) {
      const server = new FakeServer();
      const conversation = new Conversation(server, 0);
      const workload = workloadOf(BATCHES, conversation, 4);
      for (let i = 0; i < steps; i++) workload.step();
      workload.drain();
      expect(server.commands).toEqual(expected);
      expect(server.records.size).toBe(0);
      expect(conversation.errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
      // The next batch starts with ADDs.
      workload.step();
      expect(server.commands.at(-1)).toBe(ADD);
    }
  });

  it('BYE: OK then closed is clean; anything else is said', () => {
    expect(sayBye(new FakeServer())).toBeNull();
    expect(sayBye(new FakeServer(0, on(Command.BYE, status(Status.BAD_COMMAND))))).toBe('BYE answered status 3');
    const chatty = new FakeServer();
    chatty.closesAfterBye = false;
    expect(sayBye(chatty)).toBe('server sent bytes after BYE instead of closing');
  });

  it('script lengths: a cut cycle ends with the DELETE of the record it holds', () => {
    expect(scriptLength({ ...CYCLES, transactions: 90 })).toBe(90);
    expect(scriptLength({ ...CYCLES, transactions: 91 })).toBe(92);
    expect(scriptLength({ ...CYCLES, transactions: 92 })).toBe(93);
    expect(scriptLength({ ...BATCHES, batches: 10, batchSize: 1000 })).toBe(20000);
    expect(converse({ ...CYCLES, transactions: 31 }).server.commands.slice(-2)).toEqual([Command.ADD, Command.DELETE]);
  });
});

describe('waiting for a scheduled send (the real clock)', () => {
  it('waitUntil returns at its moment, not before', () => {
    jest.restoreAllMocks();
    for (const waitMs of [0.05, 0.25, 1, 3]) {
      const atMs = performance.now() + waitMs;
      waitUntil(atMs);
      expect(performance.now()).toBeGreaterThanOrEqual(atMs);
    }
  });
});

describe('timing', () => {
  /** Every transaction's [due, sent, answered] in ms after `fromMs`. */
  function timesOf(intervalMs: number, latencyMs: number, count: number) {
    const server = new FakeServer(latencyMs);
    const conversation = new Conversation(server, intervalMs);
    const times: number[][] = [];
    const fromMs = nowMs;
    conversation.observer = { ended: (startedMs, sentMs, endedMs) => times.push([startedMs - fromMs, sentMs - fromMs, endedMs - fromMs]) } satisfies TransactionObserver;
    conversation.scheduleFrom(fromMs);
    const workload = workloadOf(CYCLES, conversation, 0);
    for (let i = 0; i < count; i++) workload.step();
    return times;
  }

  it('a closed loop: due when sent, back to back', () => {
    expect(timesOf(0, 2, 3)).toEqual([
      [0, 0, 2],
      [2, 2, 4],
      [4, 4, 6],
    ]);
  });

  it('an open loop behind its schedule: each turnaround counts from the scheduled start (coordinated omission corrected)', () => {
    // Scheduled every 0.5 ms, each answer takes 2 ms: the k-th is due at 0.5k, sent at 2k,
    // answered at 2k + 2; from its due time it took 2 + 1.5k, from its send 2.
    const times = timesOf(0.5, 2, 5);
    expect(times).toEqual([
      [0, 0, 2],
      [0.5, 2, 4],
      [1, 4, 6],
      [1.5, 6, 8],
      [2, 8, 10],
    ]);
    expect(times.map(([due, , answered]) => answered - due)).toEqual([2, 3.5, 5, 6.5, 8]);
  });

  it('scheduleFrom restarts the schedule (the script starts its own)', () => {
    const server = new FakeServer(2);
    const conversation = new Conversation(server, 0.5);
    const due: number[] = [];
    conversation.observer = { ended: (startedMs) => due.push(startedMs) };
    conversation.scheduleFrom(1000);
    conversation.add(1, 1);
    conversation.add(1, 2);
    conversation.scheduleFrom(nowMs);
    const restartMs = nowMs;
    conversation.add(1, 3);
    conversation.add(1, 4);
    expect(due).toEqual([1000, 1000.5, restartMs, restartMs + 0.5]);
  });
});
