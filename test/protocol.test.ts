// The protocol codec against PROTOCOL.md's table, byte for byte.

import { argumentBytes, Command, commandName, encodeRequest, isKnownCommand, requestBuffer, resultBytes, Status, statusName } from '../strategies/protocol';

it('has the codes of PROTOCOL.md', () => {
  expect(Command).toEqual({ ADD: 1, DELETE: 2, RETRIEVE: 3, COUNT: 4, BYE: 5 });
  expect(Status).toEqual({ OK: 0, NOT_FOUND: 1, FULL: 2, BAD_COMMAND: 3 });
});

it.each<[number, number, number]>([
  [1, 8, 4],
  [2, 4, 8],
  [3, 4, 8],
  [4, 0, 4],
  [5, 0, 0],
  [0, 0, 0],
  [6, 0, 0],
  [-1, 0, 0],
])('command %i: %i argument bytes, %i result bytes', (command, argument, result) => {
  expect(argumentBytes(command)).toBe(argument);
  expect(resultBytes(command)).toBe(result);
});

it('knows exactly commands 1 to 5', () => {
  expect([0, 1, 2, 3, 4, 5, 6].map(isKnownCommand)).toEqual([false, true, true, true, true, true, false]);
});

it('encodes little-endian int32s, the argument only as long as the command takes', () => {
  expect(requestBuffer(Command.ADD, 0x01020304, -2)).toEqual(Buffer.from([1, 0, 0, 0, 4, 3, 2, 1, 0xfe, 0xff, 0xff, 0xff]));
  expect(requestBuffer(Command.DELETE, 7)).toEqual(Buffer.from([2, 0, 0, 0, 7, 0, 0, 0]));
  expect(requestBuffer(Command.COUNT)).toEqual(Buffer.from([4, 0, 0, 0]));
  const view = new DataView(new ArrayBuffer(20));
  expect(encodeRequest(view, 4, Command.RETRIEVE, 9, 99)).toBe(8);
  expect([view.getInt32(4, true), view.getInt32(8, true), view.getInt32(12, true)]).toEqual([3, 9, 0]);
});

it('names codes, and unknown ones by number', () => {
  expect(commandName(3)).toBe('RETRIEVE');
  expect(commandName(9)).toBe('UNKNOWN(9)');
  expect(statusName(2)).toBe('FULL');
  expect(statusName(-4)).toBe('UNKNOWN(-4)');
});
