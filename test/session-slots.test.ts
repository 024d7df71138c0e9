// The session table's slots: which slot a new connection gets, and that a slot
// given back starts clean for the next connection, whatever its last one left.

import { Next, SessionState, SessionTable } from '../strategies/session';
import { RecordStore } from '../strategies/store';
import { Command, requestBuffer, Status } from '../strategies/protocol';

const table = (slots: number) => SessionTable.create(RecordStore.create(8), slots);

/** Moves `bytes` into the session's reads, each no longer than the step asks for; returns the last Next. */
function feed(t: SessionTable, id: number, bytes: Buffer): number {
  let next: number = Next.READ;
  for (let at = 0; at < bytes.length && next === Next.READ; ) {
    const piece = bytes.subarray(at, at + Math.min(t.ioLength(id), bytes.length - at));
    t.bytes.set(piece, t.ioOffset(id));
    next = t.complete(id, piece.length);
    at += piece.length;
  }
  return next;
}

/** Takes everything the session writes until it wants to read or close. */
function drain(t: SessionTable, id: number): { written: Buffer; next: number } {
  const out: number[] = [];
  let next: number = t.next(id);
  while (next === Next.WRITE) {
    const at = t.ioOffset(id);
    const n = t.ioLength(id);
    out.push(...t.bytes.subarray(at, at + n));
    next = t.complete(id, n);
  }
  return { written: Buffer.from(out), next };
}

const status = (written: Buffer) => written.readInt32LE(0);

describe('session slots', () => {
  it('hands out slots in turn, refuses when all are taken, and resumes after the last one given', () => {
    const t = table(3);
    expect([t.open(10), t.open(11)]).toEqual([0, 1]);
    t.release(0);
    // The search starts after the last slot handed out, so slot 2 comes before the freed slot 0.
    expect(t.open(12)).toBe(2);
    expect(t.open(13)).toBe(0);
    expect(t.open(14)).toBe(-1);
    expect([t.handle(0), t.handle(1), t.handle(2)]).toEqual([13, 11, 12]);
  });

  it('wraps its search past the last slot to find the only free one', () => {
    const t = table(3);
    t.open(1);
    t.open(2);
    t.open(3);
    t.release(1);
    t.release(2);
    expect(t.open(4)).toBe(1); // the search starts at slot 0 (after slot 2), which is taken
    expect(t.open(5)).toBe(2);
    t.release(0);
    expect(t.open(6)).toBe(0); // starts at 0 again (after slot 2)
    t.release(2);
    expect(t.open(7)).toBe(2); // starts at 1 (after slot 0), which is taken
  });

  it('gives a slot back free, and its next connection starts at "read command"', () => {
    const t = table(1);
    const id = t.open(5);
    expect(t.state(id)).toBe(SessionState.READ_COMMAND);
    t.release(id);
    expect(t.state(id)).toBe(SessionState.FREE);
    expect(t.next(id)).toBe(Next.CLOSE);
    expect(t.open(6)).toBe(id);
    expect(t.state(id)).toBe(SessionState.READ_COMMAND);
  });

  it('forgets a half-read command when the slot is reused', () => {
    const t = table(2);
    const id = t.open(1);
    expect(feed(t, id, requestBuffer(Command.COUNT).subarray(0, 3))).toBe(Next.READ);
    expect(t.ioLength(id)).toBe(1);
    t.release(id);
    t.open(2); // slot 1
    expect(t.open(3)).toBe(id);
    expect(t.ioLength(id)).toBe(4);
    expect(feed(t, id, requestBuffer(Command.COUNT))).toBe(Next.WRITE);
    const { written, next } = drain(t, id);
    expect(status(written)).toBe(Status.OK);
    expect(written.readInt32LE(4)).toBe(0);
    expect(next).toBe(Next.READ);
  });

  it('forgets a goodbye that was never answered when the slot is reused', () => {
    const t = table(1);
    const id = t.open(1);
    expect(feed(t, id, requestBuffer(Command.BYE))).toBe(Next.WRITE);
    t.release(id); // the client went away before reading the answer
    expect(t.open(2)).toBe(id);
    expect(feed(t, id, requestBuffer(Command.ADD, 7, 8))).toBe(Next.WRITE);
    const { written, next } = drain(t, id);
    expect(status(written)).toBe(Status.OK);
    expect(next).toBe(Next.READ); // served, and the session stays open
  });

  it('asks for nothing more once closed, and a closed session stays closed', () => {
    const t = table(1);
    const id = t.open(1);
    expect(t.complete(id, 0)).toBe(Next.CLOSE);
    expect(t.state(id)).toBe(SessionState.CLOSED);
    expect(t.next(id)).toBe(Next.CLOSE);
    expect(t.ioLength(id)).toBe(0);
    expect(t.complete(id, 4)).toBe(Next.CLOSE);
  });

  it('shares its memory: a second table on the same buffers sees the same sessions and records', () => {
    const t = table(2);
    const id = t.open(9);
    feed(t, id, requestBuffer(Command.ADD, 1, 2));
    drain(t, id);
    const shared = t.shared;
    expect(shared.sessions).toBe(t.buffer);
    expect(shared.store).toBe(t.store.buffer);
    const other = new SessionTable(shared.sessions, new RecordStore(shared.store));
    expect(other.maxSessions).toBe(2);
    expect(other.handle(id)).toBe(9);
    expect(other.store.count()).toBe(1);
  });
});

describe('session requests beyond the first record and the first byte', () => {
  it('reads record ids little-endian: the second record is found by id 1', () => {
    const t = table(1);
    const id = t.open(1);
    const transact = (request: Buffer) => {
      feed(t, id, request);
      return drain(t, id).written;
    };
    expect(transact(requestBuffer(Command.ADD, 10, 11)).readInt32LE(4)).toBe(0);
    expect(transact(requestBuffer(Command.ADD, 20, 21)).readInt32LE(4)).toBe(1);
    const second = transact(requestBuffer(Command.RETRIEVE, 1));
    expect(status(second)).toBe(Status.OK);
    expect([second.readInt32LE(4), second.readInt32LE(8)]).toEqual([20, 21]);
    expect(status(transact(requestBuffer(Command.DELETE, 1)))).toBe(Status.OK);
    expect(status(transact(requestBuffer(Command.RETRIEVE, 1)))).toBe(Status.NOT_FOUND);
  });

  it('assembles a command fed one byte at a time from every byte: 0x01010101 is unknown, not ADD', () => {
    const t = table(1);
    const id = t.open(1);
    const command = Buffer.alloc(4);
    command.writeInt32LE(0x01010101);
    for (const byte of command) feed(t, id, Buffer.from([byte]));
    const { written, next } = drain(t, id);
    expect(status(written)).toBe(Status.BAD_COMMAND);
    expect(next).toBe(Next.CLOSE);
  });

  it('closes a slot given back, whatever the strategy reports for it afterwards', () => {
    const t = table(1);
    const id = t.open(1);
    t.release(id);
    expect(t.complete(id, 4)).toBe(Next.CLOSE);
  });
});
