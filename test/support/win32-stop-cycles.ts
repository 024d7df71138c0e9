// Runs under the WINDOWS node for test/win32-stop.test.ts: a Win32 strategy served
// IN THIS PROCESS, stopped under load again and again, with this process's handle
// count read after each stop (win32-processes.ts handleCount): a stop or an error path that
// leaves a pipe, event, port or thread handle open shows as a count that grows.
//
//   node.exe win32-stop-cycles.js STRATEGY CYCLES CONNECTIONS [G:N]
//
// Each cycle: start the strategy on a fresh name, open CONNECTIONS blocking
// clients in a worker thread (win32-load-worker.ts) running COUNT back to back,
// stop the server once each has completed a few, and wait until the clients saw
// their pipes end. Cycle 0 warms up (Node keeps some handles after its first
// worker). With G:N, cycle 1 runs with PIPEBENCH_TEST_FAIL_GROUP=G:N (overlapped:
// group G throws after N completions), and is stopped only once the connections
// that survived it have each completed more. Prints one JSON line.

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { win32 } from '../../strategies/win32/platform';
import { RecordStore } from '../../strategies/store';
import { SessionTable } from '../../strategies/session';
import { threadsRunning } from '../../strategies/threads';
import type { ServerKnobs, StrategyModule } from '../../strategies/types';
import { CONNECTED, DEAD, FIRST_COUNT } from './win32-load-worker';
import { handleCount } from './win32-processes';

const [strategyName, cyclesText, connectionsText, fault] = process.argv.slice(2);
const cycles = Number(cyclesText);
const connections = Number(connectionsText);
const BEFORE_STOP = 5; // transactions each live connection completes before a stop
const MAX_SESSIONS = 256;
const knobs: ServerKnobs = { threads: 2, capacity: 1000, cpuUs: 0, storeLatencyUs: 0, waitOrder: 'fair' };

async function until(condition: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 120000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Cycle {
  handles: number;
  stopError: string | null;
  /** Connections whose pipe ended before the stop. */
  lostBeforeStop: number;
}

async function cycle(index: number, faulty: boolean): Promise<Cycle> {
  if (faulty) process.env.PIPEBENCH_TEST_FAIL_GROUP = fault;
  else delete process.env.PIPEBENCH_TEST_FAIL_GROUP;
  const address = win32.uniqueAddress(`stop-${index}`);
  const store = RecordStore.create(knobs.capacity, knobs);
  const sessions = SessionTable.create(store, MAX_SESSIONS, knobs);
  const strategy = require(`../../strategies/win32/${strategyName}`) as StrategyModule;
  const server = await strategy.start({ address, maxSessions: MAX_SESSIONS, knobs }, sessions);
  await threadsRunning();
  const shared = new SharedArrayBuffer(4 * (FIRST_COUNT + connections));
  const words = new Int32Array(shared);
  const load = new Worker(path.join(__dirname, 'win32-load-worker.js'), { workerData: { address, connections, shared } });
  const loadEnded = new Promise<void>((resolve, reject) => {
    load.once('error', reject);
    load.once('exit', () => resolve());
  });
  const counts = () => Array.from({ length: connections }, (_, i) => Atomics.load(words, FIRST_COUNT + i));
  const show = () => `connected ${Atomics.load(words, CONNECTED)}, transactions ${JSON.stringify(counts())}`;
  await until(() => Atomics.load(words, CONNECTED) === 1 && counts().every((n) => n === DEAD || n >= BEFORE_STOP), show);
  let lostBeforeStop = 0;
  if (faulty) {
    // The failing group's clients lose their pipes; the others must go on being served.
    await until(() => counts().some((n) => n === DEAD), () => `no connection lost its pipe: ${show()}`);
    const lost = counts().map((n) => n === DEAD);
    const atFailure = counts();
    await until(() => counts().every((n, i) => lost[i] || n >= atFailure[i] + BEFORE_STOP), () => `the other groups stopped serving: ${show()}`);
    lostBeforeStop = lost.filter(Boolean).length;
  }
  const stopError = await server.stop().then(
    () => null,
    (error: Error) => error.message,
  );
  await until(() => counts().every((n) => n === DEAD), () => `clients still served after stop: ${show()}`);
  await loadEnded;
  return { handles: handleCount(process.pid), stopError, lostBeforeStop };
}

async function main(): Promise<void> {
  const results: Cycle[] = [];
  for (let i = 0; i < cycles; i++) results.push(await cycle(i, fault !== undefined && i === 1));
  process.stdout.write(`${JSON.stringify({ cycles: results })}\n`);
}

main().catch((error: Error) => {
  process.stdout.write(`${JSON.stringify({ error: error.stack ?? error.message })}\n`);
  process.exitCode = 1;
});
