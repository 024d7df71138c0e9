// `pipebench serve`: one server process in the foreground. Prints "ready ADDRESS"
// once it accepts connections; SIGINT, SIGTERM or a stop message from the harness
// end it cleanly (exit 0, socket file removed, every serving thread joined).

import * as fs from 'node:fs';
import * as net from 'node:net';
import { RecordStore } from './store';
import { SessionTable } from './session';
import { strategy } from './catalog';
import { addressProblem, backend } from './platform';
import type { ServerOptions, StrategyName } from './types';
import { ownCost, ServerMessage, ToServerMessage } from '../harness/messages';
import { StartError, UsageError } from '../harness/usage';

export async function serve(strategyName: StrategyName, options: ServerOptions): Promise<void> {
  const descriptor = strategy(strategyName);
  const problem = addressProblem(options.address);
  if (problem) throw new UsageError(problem);
  await claimAddress(options.address);

  const store = RecordStore.create(options.capacity, { latencyUs: options.storeLatencyUs });
  const sessions = SessionTable.create(store, options.maxSessions, { cpuUs: options.cpuUs });
  let server;
  try {
    server = await descriptor.load().start(options, sessions);
  } catch (error) {
    removeSocketFile(options.address);
    throw new StartError(`${strategyName} cannot start: ${(error as Error).message}`, { cause: error });
  }

  process.stdout.write(`ready ${options.address}\n`);
  send({ type: 'ready', address: options.address, mechanism: descriptor.mechanism, pid: process.pid, cost: ownCost() });

  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      server.stop().then(() => {
        removeSocketFile(options.address);
        send({ type: 'stopped', cost: ownCost() });
        process.disconnect?.();
        resolve();
      }, reject);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.on('message', (message: ToServerMessage) => {
      if (message.type === 'stop') stop();
    });
    // The harness dying must not leave a server behind.
    process.once('disconnect', stop);
  });
}

function send(message: ServerMessage): void {
  if (process.send && process.connected) process.send(message);
}

/**
 * Refuses an address another server listens on. A leftover socket file that
 * nobody listens on (a crashed run) is removed; any other file is left alone.
 * On Windows nothing is checked here: the strategy's first instance takes the
 * name atomically (FILE_FLAG_FIRST_PIPE_INSTANCE, see win32/named-pipe.ts).
 */
async function claimAddress(address: string): Promise<void> {
  if (backend === 'win32') return;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(address);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new UsageError(`address in use: ${address} exists and is not a socket`);
  if (await answers(address)) throw new UsageError(`address in use: a server already listens on ${address}`);
  fs.unlinkSync(address);
}

function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function removeSocketFile(address: string): void {
  if (backend === 'win32') return;
  try {
    fs.unlinkSync(address);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
