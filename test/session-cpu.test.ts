// The --cpu-us knob inside the session machine: calibrated once when the table is
// made, then the asked-for CPU burned once per transaction, and never when it is 0.
// The burn itself is replaced here; test/cpu-knob.test.ts measures the real one.

import type * as CpuBurn from '../strategies/cpu-burn';
import type * as Session from '../strategies/session';
import { RecordStore } from '../strategies/store';
import { Command, requestBuffer } from '../strategies/protocol';

jest.mock('../strategies/cpu-burn');
// A registry of its own: the test kit (per-file.ts) has already loaded the session
// machine with the real burn.
let cpuBurn!: typeof CpuBurn;
let session!: typeof Session;
jest.isolateModules(() => {
  cpuBurn = require('../strategies/cpu-burn');
  session = require('../strategies/session');
});
const { Next, SessionTable } = session;
type SessionTable = Session.SessionTable;
const burn = jest.mocked(cpuBurn.burnCpu);
const calibrate = jest.mocked(cpuBurn.calibrateBurn);

function transact(table: SessionTable, id: number, request: Buffer): void {
  table.bytes.set(request, table.ioOffset(id));
  let next = table.complete(id, Math.min(request.length, table.ioLength(id)));
  if (next === Next.READ) {
    table.bytes.set(request.subarray(4), table.ioOffset(id));
    next = table.complete(id, request.length - 4);
  }
  while (next === Next.WRITE) next = table.complete(id, table.ioLength(id));
}

beforeEach(() => jest.clearAllMocks());

it('burns the asked-for CPU once per transaction, in milliseconds, after calibrating when the table is made', () => {
  const table = SessionTable.create(RecordStore.create(4), 2, { cpuUs: 1500 });
  expect(calibrate).toHaveBeenCalledTimes(1);
  expect(burn).not.toHaveBeenCalled();
  const id = table.open(1);
  transact(table, id, requestBuffer(Command.ADD, 1, 2));
  transact(table, id, requestBuffer(Command.COUNT));
  expect(burn.mock.calls).toEqual([[1.5], [1.5]]);
});

it('neither calibrates nor burns at --cpu-us 0', () => {
  const table = SessionTable.create(RecordStore.create(4), 2, { cpuUs: 0 });
  const id = table.open(1);
  transact(table, id, requestBuffer(Command.ADD, 1, 2));
  expect(calibrate).not.toHaveBeenCalled();
  expect(burn).not.toHaveBeenCalled();
});
