// `pipebench serve`: one server process in the foreground. Prints "ready ADDRESS"
// once it accepts connections; SIGINT, SIGTERM or a stop message from the harness
// end it cleanly (exit 0, socket file removed, every serving thread joined).

import { RecordStore } from './store';
import { SessionTable } from './session';
import { strategy } from './catalog';
import { platform } from './platform';
import { AddressInUse } from './address';
import type { ServerOptions, StrategyName } from './types';
import { ownCost, ServerMessage, ToServerMessage } from '../harness/messages';
import { StartError, UsageError } from '../harness/usage';

export async function serve(strategyName: StrategyName, options: ServerOptions): Promise<void> {
  const descriptor = strategy(strategyName);
  const problem = platform.addressProblem(options.address);
  if (problem) throw new UsageError(problem);
  try {
    await platform.claimAddress(options.address);
  } catch (error) {
    if (error instanceof AddressInUse) throw new UsageError(`address in use: ${error.message}`);
    throw error;
  }

  const store = RecordStore.create(options.capacity, { latencyUs: options.storeLatencyUs });
  const sessions = SessionTable.create(store, options.maxSessions, { cpuUs: options.cpuUs });
  let server;
  try {
    server = await descriptor.load().start(options, sessions);
  } catch (error) {
    platform.releaseAddress(options.address);
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
        platform.releaseAddress(options.address);
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
