// A server process the harness starts and stops: for a cell of a run, and for
// `pipebench micro`. Its address is released however it ends.

import { platform } from '../../strategies/platform';
import type { ServerOptions, StrategyName } from '../../strategies/types';
import { ServerCost, ServerMessage, serverMessageSchema } from '../../contract/messages';
import { Child, ChildFailure, describeExit, forkChild, Log } from './processes';

// Addresses of servers still running: released however this process ends (a Ctrl-C exits at once).
const liveAddresses = new Set<string>();
process.once('exit', () => liveAddresses.forEach((address) => platform.releaseAddress(address)));

export interface StartedServer {
  child: Child<ServerMessage>;
  pid: number;
  mechanism: string;
  /** The server's own cost when it became ready, and when (Date.now()). */
  readyCost: ServerCost;
  readyAtMs: number;
  /** Asks the server to stop; its own cost at the end. Rejects when it does not stop cleanly in time. */
  stop(timeoutMs: number): Promise<ServerCost>;
}

/** Starts `strategy` serving `options.address`; resolves once it is ready, rejects (with its log's last lines) when it is not. */
export async function startServer(strategy: StrategyName, options: ServerOptions, log: Log, readyTimeoutMs: number): Promise<StartedServer> {
  const child = forkChild({ role: 'server', strategy, options }, log, serverMessageSchema);
  liveAddresses.add(options.address);
  void child.exited.then(() => {
    liveAddresses.delete(options.address);
    platform.releaseAddress(options.address);
  });
  let stoppedCost: ServerCost | null = null;
  child.onMessage((message) => {
    if (message.type === 'stopped') stoppedCost = message.cost;
  });
  const ready = await child.waitFor((message) => message.type === 'ready', readyTimeoutMs, 'server ready');
  if (ready.type !== 'ready') throw new Error('unreachable');
  return {
    child,
    pid: ready.pid,
    mechanism: ready.mechanism,
    readyCost: ready.cost,
    readyAtMs: Date.now(),
    async stop(timeoutMs) {
      if (child.process.connected) child.process.send({ type: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ChildFailure(`server did not stop within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        // The channel closing too: by then every message the server sent has arrived.
        const [exit] = await Promise.race([Promise.all([child.exited, disconnected(child)]), timeout]);
        if (exit.code !== 0) throw new ChildFailure(`server ${describeExit(exit)} while stopping`);
        if (stoppedCost === null) throw new ChildFailure('server stopped without reporting its cost');
        return stoppedCost;
      } finally {
        clearTimeout(timer);
        child.kill();
      }
    },
  };
}

function disconnected(child: Child<ServerMessage>): Promise<void> {
  if (!child.process.connected) return Promise.resolve();
  return new Promise((resolve) => child.process.once('disconnect', resolve));
}
