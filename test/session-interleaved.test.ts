// Several sessions of one table at once, their bytes interleaved one at a time as an
// event-driven strategy moves them: each keeps its own state, buffer and answers.

import { Next, SessionState, SessionTable, SLOT_BYTES } from '../strategies/session';
import { RecordStore } from '../strategies/store';
import { Command, requestBuffer, Status } from '../strategies/protocol';

const int32s = (...values: number[]) => {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeInt32LE(v, i * 4));
  return out;
};

interface Peer {
  id: number;
  input: Buffer;
  consumed: number;
  written: number[];
  done: boolean;
}

/** Moves one byte for each session in turn until none can move. */
function interleave(table: SessionTable, peers: Peer[]): void {
  let moved = true;
  while (moved) {
    moved = false;
    for (const peer of peers) {
      if (peer.done) continue;
      const next = table.next(peer.id);
      const at = table.ioOffset(peer.id);
      if (next === Next.READ) {
        if (peer.consumed === peer.input.length) continue;
        table.bytes[at] = peer.input[peer.consumed++];
        table.complete(peer.id, 1);
      } else if (next === Next.WRITE) {
        peer.written.push(table.bytes[at]);
        table.complete(peer.id, 1);
      } else {
        peer.done = true;
      }
      moved = true;
    }
  }
}

it('serves three sessions whose bytes arrive interleaved, each in its own slot', () => {
  const table = SessionTable.create(RecordStore.create(16), 8);
  const ids = [table.open(100), table.open(101), table.open(102)];
  expect(ids).toEqual([0, 1, 2]); // claimed in order from the hint
  expect(ids.map((id) => table.handle(id))).toEqual([100, 101, 102]);
  // Each session's buffer lies inside its own slot, after the table's header slot.
  for (const id of ids) {
    expect(table.ioOffset(id)).toBeGreaterThanOrEqual(SLOT_BYTES * (id + 1));
    expect(table.ioOffset(id)).toBeLessThan(SLOT_BYTES * (id + 2));
  }
  const peers: Peer[] = [
    { id: 0, input: Buffer.concat([requestBuffer(Command.ADD, 1, 2), requestBuffer(Command.RETRIEVE, 0)]), consumed: 0, written: [], done: false },
    { id: 1, input: Buffer.concat([requestBuffer(Command.ADD, 30, 40), requestBuffer(Command.COUNT), requestBuffer(Command.BYE)]), consumed: 0, written: [], done: false },
    { id: 2, input: Buffer.concat([requestBuffer(Command.RETRIEVE, 9), requestBuffer(7)]), consumed: 0, written: [], done: false },
  ];
  interleave(table, peers);
  // Record ids are given in the order the ADDs complete: session 0's ADD needs 12 bytes
  // like session 1's, and session 0 moves first in every round, so it gets id 0.
  expect(Buffer.from(peers[0].written)).toEqual(int32s(Status.OK, 0, Status.OK, 1, 2));
  expect(Buffer.from(peers[1].written)).toEqual(int32s(Status.OK, 1, Status.OK, 2, Status.OK));
  expect(Buffer.from(peers[2].written)).toEqual(int32s(Status.NOT_FOUND, Status.BAD_COMMAND));
  expect(peers.map((p) => p.done)).toEqual([false, true, true]);
  expect(table.state(0)).toBe(SessionState.READ_COMMAND);
  expect(table.store.count()).toBe(2);
});

it('claims slots round the table from after the last one claimed, and reuses released ones', () => {
  const table = SessionTable.create(RecordStore.create(4), 3);
  expect([table.open(1), table.open(2)]).toEqual([0, 1]);
  table.release(0);
  expect(table.open(3)).toBe(2); // the hint moves on past 1
  expect(table.open(4)).toBe(0); // then wraps round to the released slot
  expect(table.open(5)).toBe(-1);
  expect([0, 1, 2].map((id) => table.handle(id))).toEqual([4, 2, 3]);
});
