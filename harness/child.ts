// The entry point of every process the harness starts (harness/processes.ts forks
// it): a server, a client or the responsiveness probe. It waits for ONE start
// message saying which, with that role's options as a checked object, and runs it
// with a link that speaks IPC to the harness.

import { runClient, ClientLink } from '../clients/client';
import { serve, ServerLink } from '../strategies/server';
import { ClientMessage, readStartMessage, ServerMessage, ToClientMessage, ToServerMessage } from './messages';
import { probeMain } from './probe';

function send(message: ServerMessage | ClientMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send || !process.connected) return reject(new Error('the harness went away'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function serverLink(address: string): ServerLink {
  return {
    ready: (mechanism, cost) => void send({ type: 'ready', address, mechanism, pid: process.pid, cost }).catch(() => undefined),
    onStop(stop) {
      process.on('message', (message: ToServerMessage) => {
        if (message.type === 'stop') stop();
      });
      // The harness dying must not leave a server behind.
      process.once('disconnect', stop);
    },
    stopped(cost) {
      void send({ type: 'stopped', cost })
        .catch(() => undefined)
        .finally(() => process.connected && process.disconnect());
    },
  };
}

function clientLink(): ClientLink {
  return {
    send,
    onMessage: (listener) => process.on('message', (message: ToClientMessage) => listener(message)),
    onGone: (listener) => process.once('disconnect', listener),
  };
}

function fail(error: unknown): void {
  process.stderr.write(`pipebench child: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}

process.once('message', (message: unknown) => {
  let start;
  try {
    start = readStartMessage(message);
  } catch (error) {
    fail(error);
    return;
  }
  switch (start.role) {
    case 'server':
      serve(start.strategy, start.options, serverLink(start.options.address)).catch(fail);
      break;
    case 'client':
      // A client's failures are in its report; its exit code says only whether it reported.
      runClient(start.options, clientLink()).then(() => process.connected && process.disconnect(), fail);
      break;
    case 'probe':
      probeMain(start.sleepMs);
      break;
  }
});
