// Runs under the WINDOWS node (through Wine) for test/win32-wine.test.ts: raw
// protocol edge cases against a Win32 strategy, straight through kernel32, with
// requests split and merged in ways the regular client never sends. Prints one
// JSON line with what it saw; the test (on Linux) judges it.
//
//   node.exe win32-edge-client.js ADDRESS edges   pipelined requests, BYE, BAD_COMMAND, a torn request
//   node.exe win32-edge-client.js ADDRESS hold    COUNT, then half a request, then waits to be killed
//   node.exe win32-edge-client.js ADDRESS many N  N connections open at once, each answering COUNT, then BYE

import * as k32 from '../../strategies/win32/kernel32';
import { openPipe } from './win32-open';
import { check } from '../../strategies/win32/errors';
import { OutParams, addressOf } from '../../strategies/win32/memory';
import { Command, Status } from '../../strategies/protocol';

const [address, scenario] = process.argv.slice(2);
const memory = new Uint8Array(new SharedArrayBuffer(256));
const view = new DataView(memory.buffer);
const base = addressOf(memory);
const out = new OutParams();
const REQUEST = 0; // requests are built at 0..127, replies land at 128..255
const REPLY = 128;

/** Writes int32 words as one WriteFile. */
function send(pipe: number, words: number[], bytes = words.length * 4): void {
  words.forEach((word, i) => view.setInt32(REQUEST + i * 4, word, true));
  check('WriteFile', k32.WriteFile(pipe, base + REQUEST, bytes, out.dword, null));
}

/** Reads exactly `count` int32 words; null when the pipe ends first. */
function receive(pipe: number, count: number): number[] | null {
  let got = 0;
  while (got < count * 4) {
    if (k32.ReadFile(pipe, base + REPLY + got, count * 4 - got, out.dword, null) === 0) return null;
    got += out.dwordValue;
  }
  return Array.from({ length: count }, (_, i) => view.getInt32(REPLY + i * 4, true));
}

/** True when the server ended the pipe with nothing more to read. */
function closedByServer(pipe: number): boolean {
  const ok = k32.ReadFile(pipe, base + REPLY, 4, out.dword, null);
  return ok === 0 && [k32.ERROR_BROKEN_PIPE, k32.ERROR_PIPE_NOT_CONNECTED].includes(k32.GetLastError());
}

function count(): number {
  const pipe = openPipe(address, 10_000);
  send(pipe, [Command.COUNT, Command.BYE]);
  const reply = receive(pipe, 3);
  k32.CloseHandle(pipe);
  if (!reply || reply[0] !== Status.OK || reply[2] !== Status.OK) throw new Error(`COUNT+BYE answered ${JSON.stringify(reply)}`);
  return reply[1];
}

function edges(): Record<string, unknown> {
  const countBefore = count();
  // Pipelined: COUNT, ADD and COUNT in one write, then RETRIEVE, DELETE and RETRIEVE of the new id in another.
  let pipe = openPipe(address, 10_000);
  send(pipe, [Command.COUNT, Command.ADD, 1234, 5678, Command.COUNT]);
  const pipelined = receive(pipe, 6);
  const id = pipelined ? pipelined[3] : -1;
  send(pipe, [Command.RETRIEVE, id, Command.DELETE, id, Command.RETRIEVE, id]);
  const byId = receive(pipe, 3 + 3 + 1);
  send(pipe, [Command.BYE]);
  const bye = receive(pipe, 1);
  const closedAfterBye = closedByServer(pipe);
  k32.CloseHandle(pipe);

  // An unknown command: BAD_COMMAND, then the server closes.
  pipe = openPipe(address, 10_000);
  send(pipe, [99]);
  const bad = receive(pipe, 1);
  const closedAfterBad = closedByServer(pipe);
  k32.CloseHandle(pipe);

  // A torn request: an ADD whose argument never completes, then the client leaves.
  pipe = openPipe(address, 10_000);
  send(pipe, [Command.ADD, 42], 6);
  k32.CloseHandle(pipe);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  return { countBefore, pipelined, byId, bye, closedAfterBye, bad, closedAfterBad, countAfter: count() };
}

/** N sessions at once (more than the 63 one WaitForMultipleObjects group can hold, when N > 63). */
function many(n: number): Record<string, unknown> {
  const pipes = Array.from({ length: n }, () => openPipe(address, 10_000));
  const counts = pipes.map((pipe) => {
    send(pipe, [Command.COUNT]);
    return receive(pipe, 2);
  });
  const byes = pipes.map((pipe) => {
    send(pipe, [Command.BYE]);
    const reply = receive(pipe, 1);
    k32.CloseHandle(pipe);
    return reply;
  });
  return { connections: n, counts, byes };
}

function hold(): never {
  const pipe = openPipe(address, 10_000);
  send(pipe, [Command.COUNT]);
  const reply = receive(pipe, 2);
  send(pipe, [Command.ADD, 7], 6); // mid-transaction: the argument is incomplete
  process.stdout.write(`${JSON.stringify({ holding: reply })}\n`);
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

if (scenario === 'edges') process.stdout.write(`${JSON.stringify(edges())}\n`);
else if (scenario === 'hold') hold();
else if (scenario === 'many') process.stdout.write(`${JSON.stringify(many(Number(process.argv[4])))}\n`);
else if (scenario === 'count') process.stdout.write(`${JSON.stringify({ count: count() })}\n`);
else throw new Error(`unknown scenario ${scenario}`);
