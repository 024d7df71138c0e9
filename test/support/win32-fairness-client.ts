// Runs under the WINDOWS node (through Wine) for test/win32-fairness.test.ts: a
// client whose progress can be judged from outside. It opens CONNECTIONS pipes
// (default 1), prints "connected", waits until RELEASE_FILE exists and then until
// the wall-clock time written in it (so separate processes start together), and
// runs CYCLES cycles of ADD then DELETE on every connection: each step is written
// to all of its connections before any reply is read, so all of them wait on the
// server at once. Every answer is checked. Prints one JSON line: per connection,
// the wall-clock time (Date.now()) at which each transaction completed.
//
//   node.exe win32-fairness-client.js ADDRESS CYCLES RELEASE_FILE [CONNECTIONS]

import * as fs from 'node:fs';
import * as k32 from '../../strategies/win32/kernel32';
import { openPipe } from './win32-open';
import { check } from '../../strategies/win32/errors';
import { OutParams, addressOf } from '../../strategies/win32/memory';
import { Command, Status } from '../../strategies/protocol';

const [address, cyclesText, releaseFile, connectionsText] = process.argv.slice(2);
const cycles = Number(cyclesText);
const connections = Number(connectionsText ?? 1);
const SLOT = 64; // per connection: request at 0, reply at 32
const memory = new Uint8Array(new SharedArrayBuffer(connections * SLOT));
const view = new DataView(memory.buffer);
const base = addressOf(memory);
const out = new OutParams();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function send(pipe: number, at: number, words: number[]): void {
  words.forEach((word, i) => view.setInt32(at + i * 4, word, true));
  check('WriteFile', k32.WriteFile(pipe, base + at, words.length * 4, out.dword, null));
}

/** Reads the status and, when OK, `resultInts` more ints into the reply area; returns the status. */
function receive(pipe: number, at: number, resultInts: number): number {
  let want = 4;
  let got = 0;
  while (got < want) {
    check('ReadFile', k32.ReadFile(pipe, base + at + got, want - got, out.dword, null));
    got += out.dwordValue;
    if (got >= 4 && want === 4 && view.getInt32(at, true) === Status.OK) want = 4 + resultInts * 4;
  }
  return view.getInt32(at, true);
}

const pipes = Array.from({ length: connections }, () => openPipe(address, 60_000));
process.stdout.write('connected\n');
while (!fs.existsSync(releaseFile)) Atomics.wait(sleeper, 0, 0, 10);
const sawReleaseMs = Date.now();
const startMs = Number(fs.readFileSync(releaseFile, 'utf8'));
while (Date.now() < startMs) Atomics.wait(sleeper, 0, 0, Math.max(1, startMs - Date.now()));

const times = pipes.map(() => new Float64Array(cycles * 2));
const ids = new Int32Array(connections);
let errors = 0;
for (let cycle = 0; cycle < cycles; cycle++) {
  for (let c = 0; c < connections; c++) send(pipes[c], c * SLOT, [Command.ADD, process.pid, c * 100000 + cycle]);
  for (let c = 0; c < connections; c++) {
    if (receive(pipes[c], c * SLOT + 32, 1) === Status.OK) ids[c] = view.getInt32(c * SLOT + 36, true);
    else errors++;
    times[c][cycle * 2] = Date.now();
  }
  for (let c = 0; c < connections; c++) send(pipes[c], c * SLOT, [Command.DELETE, ids[c]]);
  for (let c = 0; c < connections; c++) {
    const at = c * SLOT + 32;
    const ok = receive(pipes[c], at, 2) === Status.OK && view.getInt32(at + 4, true) === process.pid && view.getInt32(at + 8, true) === c * 100000 + cycle;
    if (!ok) errors++;
    times[c][cycle * 2 + 1] = Date.now();
  }
}
for (let c = 0; c < connections; c++) {
  send(pipes[c], c * SLOT, [Command.BYE]);
  if (receive(pipes[c], c * SLOT + 32, 0) !== Status.OK) errors++;
  k32.CloseHandle(pipes[c]);
}
process.stdout.write(`${JSON.stringify({ startMs, sawReleaseMs, errors, times: times.map((list) => Array.from(list)) })}\n`);
