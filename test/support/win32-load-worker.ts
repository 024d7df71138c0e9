// A worker thread of test/support/win32-stop-cycles.ts: opens `connections` blocking
// client connections to `address`, then runs COUNT on each in turn until the
// server closes them. Shared Int32 words: [0] connected (1 once every connection is
// open), then per connection the transactions it completed, or -1 once its pipe failed.

import { isMainThread, workerData } from 'node:worker_threads';
import * as k32 from '../../strategies/win32/kernel32';
import { openPipe } from './win32-open';
import { addressOf, OutParams } from '../../strategies/win32/memory';
import { Command, Status } from '../../strategies/protocol';

export const CONNECTED = 0;
export const FIRST_COUNT = 1;
export const DEAD = -1;

const memory = new Int32Array(new SharedArrayBuffer(16));
const at = addressOf(new Uint32Array(memory.buffer));
const out = new OutParams();

/** One COUNT; false when the pipe failed (the server closed it, or stopped). */
function count(pipe: number): boolean {
  memory[0] = Command.COUNT;
  if (k32.WriteFile(pipe, at, 4, out.dword, null) === 0) return false;
  let got = 0;
  while (got < 8) {
    if (k32.ReadFile(pipe, at + 4 + got, 8 - got, out.dword, null) === 0) return false;
    got += out.dwordValue;
  }
  return memory[1] === Status.OK;
}

function run(): void {
  const { address, connections, shared } = workerData as { address: string; connections: number; shared: SharedArrayBuffer };
  const words = new Int32Array(shared);
  const pipes = Array.from({ length: connections }, () => openPipe(address, 60_000));
  Atomics.store(words, CONNECTED, 1);
  for (let alive = connections; alive > 0; ) {
    for (let i = 0; i < connections; i++) {
      if (pipes[i] === 0) continue;
      if (count(pipes[i])) {
        Atomics.add(words, FIRST_COUNT + i, 1);
        continue;
      }
      k32.CloseHandle(pipes[i]);
      pipes[i] = 0;
      Atomics.store(words, FIRST_COUNT + i, DEAD);
      alive--;
    }
  }
}

// Loaded by the main thread too, for the constants above.
if (!isMainThread) run();
