// The session state machine, with no transport: bytes are fed exactly as a
// strategy would move them, including one byte at a time.

import { Next, SessionState, SessionTable } from '../strategies/session';
import { RecordStore } from '../strategies/store';
import { Command, requestBuffer, Status } from '../strategies/protocol';

function newTable(capacity = 16): SessionTable {
  return SessionTable.create(RecordStore.create(capacity), 8);
}

/** Feeds `input` in pieces of at most `chunk` bytes; writes move at most `chunk` bytes too. Returns what the server wrote. */
function converse(table: SessionTable, id: number, input: Buffer, chunk: number): { output: Buffer; closed: boolean } {
  const written: number[] = [];
  let consumed = 0;
  let next = table.next(id);
  while (next !== Next.CLOSE) {
    const at = table.ioOffset(id);
    const n = Math.min(chunk, table.ioLength(id));
    if (next === Next.READ) {
      const take = Math.min(n, input.length - consumed);
      if (take === 0) return { output: Buffer.from(written), closed: false };
      table.bytes.set(input.subarray(consumed, consumed + take), at);
      consumed += take;
      next = table.complete(id, take);
    } else {
      written.push(...table.bytes.subarray(at, at + n));
      next = table.complete(id, n);
    }
  }
  return { output: Buffer.from(written), closed: true };
}

const requests = (...parts: Buffer[]) => Buffer.concat(parts);

describe('session machine', () => {
  it.each([1, 2, 3, 5, 64])('serves ADD, RETRIEVE, COUNT, DELETE fed %i byte(s) at a time', (chunk) => {
    const table = newTable();
    const id = table.open(7);
    expect(table.handle(id)).toBe(7);
    const input = requests(
      requestBuffer(Command.ADD, 11, -22),
      requestBuffer(Command.RETRIEVE, 0),
      requestBuffer(Command.COUNT),
      requestBuffer(Command.DELETE, 0),
      requestBuffer(Command.RETRIEVE, 0),
    );
    const { output, closed } = converse(table, id, input, chunk);
    expect(closed).toBe(false);
    const expected = Buffer.alloc(4 + 4 + 4 + 8 + 4 + 4 + 4 + 8 + 4);
    let o = 0;
    for (const v of [Status.OK, 0, Status.OK, 11, -22, Status.OK, 1, Status.OK, 11, -22, Status.NOT_FOUND]) {
      expected.writeInt32LE(v, o);
      o += 4;
    }
    expect(output).toEqual(expected);
    expect(table.store.count()).toBe(0);
    expect(table.state(id)).toBe(SessionState.READ_COMMAND);
  });

  it('BYE answers OK then closes, ignoring anything pipelined after it', () => {
    const table = newTable();
    const id = table.open(1);
    const { output, closed } = converse(table, id, requests(requestBuffer(Command.BYE), requestBuffer(Command.ADD, 1, 2)), 64);
    expect(closed).toBe(true);
    expect(output).toEqual(Buffer.from([0, 0, 0, 0]));
    expect(table.store.count()).toBe(0);
  });

  it.each([0, 6, -1, 0x7fffffff])('unknown command %i gets BAD_COMMAND, then the session closes', (code) => {
    const table = newTable();
    const id = table.open(1);
    const bad = Buffer.alloc(4);
    bad.writeInt32LE(code);
    const { output, closed } = converse(table, id, requests(bad, requestBuffer(Command.COUNT)), 64);
    expect(closed).toBe(true);
    expect(output.readInt32LE(0)).toBe(Status.BAD_COMMAND);
    expect(output.length).toBe(4);
  });

  it('a torn request (end of stream inside the argument) changes nothing', () => {
    const table = newTable();
    const id = table.open(1);
    const whole = requestBuffer(Command.ADD, 5, 6);
    converse(table, id, whole.subarray(0, 9), 1);
    expect(table.state(id)).toBe(SessionState.READ_ARGUMENT);
    expect(table.complete(id, 0)).toBe(Next.CLOSE);
    expect(table.store.count()).toBe(0);
  });

  it('an error or end of stream at any step ends the session', () => {
    for (const cut of [0, 4, 12, 14]) {
      const table = newTable();
      const id = table.open(1);
      const input = requestBuffer(Command.ADD, 5, 6);
      // Move `cut` bytes of the conversation (reads, then the status and result writes), then fail.
      let moved = 0;
      let next = table.next(id);
      while (moved < cut && next !== Next.CLOSE) {
        const n = Math.min(table.ioLength(id), cut - moved);
        if (next === Next.READ) table.bytes.set(input.subarray(moved, moved + n), table.ioOffset(id));
        next = table.complete(id, n);
        moved += n;
      }
      expect(table.complete(id, -1)).toBe(Next.CLOSE);
      expect(table.next(id)).toBe(Next.CLOSE);
      // The ADD executed only once its request was whole (12 bytes).
      expect(table.store.count()).toBe(cut >= 12 ? 1 : 0);
    }
  });

  it('DELETE and RETRIEVE of ids that are negative, too large or never added answer NOT_FOUND', () => {
    const table = newTable(4);
    const id = table.open(1);
    const input = requests(...[-1, 4, 0x7fffffff, 2].map((n) => requestBuffer(Command.RETRIEVE, n)), requestBuffer(Command.DELETE, -5));
    const { output } = converse(table, id, input, 64);
    expect([0, 4, 8, 12, 16].map((o) => output.readInt32LE(o))).toEqual(Array(5).fill(Status.NOT_FOUND));
  });

  it('ADD beyond capacity answers FULL and adds nothing; ids are reused after DELETE', () => {
    const table = newTable(2);
    const id = table.open(1);
    const input = requests(requestBuffer(Command.ADD, 1, 1), requestBuffer(Command.ADD, 2, 2), requestBuffer(Command.ADD, 3, 3), requestBuffer(Command.DELETE, 0), requestBuffer(Command.ADD, 4, 4));
    const { output } = converse(table, id, input, 64);
    const ints = Array.from({ length: output.length / 4 }, (_, i) => output.readInt32LE(i * 4));
    expect(ints).toEqual([Status.OK, 0, Status.OK, 1, Status.FULL, Status.OK, 1, 1, Status.OK, 0]);
    expect(table.store.count()).toBe(2);
  });

  it('slots are claimed and released; a full table refuses', () => {
    const table = SessionTable.create(RecordStore.create(4), 2);
    const a = table.open(10);
    const b = table.open(11);
    expect(new Set([a, b]).size).toBe(2);
    expect(table.open(12)).toBe(-1);
    table.release(a);
    expect(table.open(13)).toBe(a);
  });

  it('any view of the shared memory continues a session started in another', () => {
    const table = newTable();
    const other = new SessionTable(table.buffer, new RecordStore(table.store.buffer));
    const id = table.open(3);
    const req = requestBuffer(Command.ADD, 8, 9);
    table.bytes.set(req.subarray(0, 4), table.ioOffset(id));
    expect(table.complete(id, 4)).toBe(Next.READ);
    other.bytes.set(req.subarray(4), other.ioOffset(id));
    expect(other.complete(id, 8)).toBe(Next.WRITE);
    expect(table.store.count()).toBe(1);
  });
});
