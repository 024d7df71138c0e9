// The entry point of every process the harness starts (harness/processes.ts forks
// it): a server, a client or the responsiveness probe. It waits for ONE start
// message saying which, with that role's options as a checked object, and runs it
// with a link that speaks IPC to the harness. Each role's code is loaded only in
// its own processes: a client starts without the server's modules (twenty clients
// start at once on a machine of two cores, and every millisecond is paid twenty times).

import type { ClientLink } from '../../clients/client';
import type { ServerLink } from '../../strategies/server';
import { ClientMessage, readStartMessage, ServerMessage, ToClientMessage, ToServerMessage } from '../../contract/messages';

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
    case 'server': {
      const { serve } = require('../../strategies/server') as typeof import('../../strategies/server');
      serve(start.strategy, start.options, serverLink(start.options.address)).catch(fail);
      break;
    }
    case 'client': {
      const { runClient } = require('../../clients/client') as typeof import('../../clients/client');
      // A client's failures are in its reports; it runs trials until the harness kills it or goes.
      runClient(start.setup, clientLink());
      break;
    }
    case 'probe':
      (require('./probe') as typeof import('./probe')).probeMain(start.sleepMs);
      break;
  }
});
