// One server process: `pipebench serve` in the foreground, or a server the harness
// started. Prints "ready ADDRESS" once it accepts connections; SIGINT, SIGTERM or a
// stop from the harness end it cleanly (exit 0, socket file removed, every serving
// thread joined).

import { RecordStore } from './store';
import { SessionTable } from './session';
import { strategy } from './catalog';
import { platform } from './platform';
import { threadsRunning } from './threads';
import { AddressInUse } from './address';
import type { ServerOptions, StrategyName } from './types';
import { ownCost, ServerCost } from '../contract/messages';
import { StartError, UsageError } from '../contract/usage';

/** How a server started by the harness talks to it; null for `pipebench serve` on its own. */
export interface ServerLink {
  ready(mechanism: string, cost: ServerCost): void;
  /** Calls `stop` when the harness asks, or when it went away (no server may outlive it). */
  onStop(stop: () => void): void;
  stopped(cost: ServerCost): void;
}

export async function serve(strategyName: StrategyName, options: ServerOptions, link: ServerLink | null): Promise<void> {
  // Listen for SIGINT and SIGTERM before anything else: a signal that arrives between
  // "ready" and the listener (a client reacting at once, on a loaded machine) would
  // otherwise kill the process by default, leaving its socket file behind.
  const stopSignal = new StopSignal();
  try {
    await serveUntilStopped(strategyName, options, link, stopSignal);
  } finally {
    stopSignal.dispose();
  }
}

async function serveUntilStopped(strategyName: StrategyName, options: ServerOptions, link: ServerLink | null, stopSignal: StopSignal): Promise<void> {
  const descriptor = strategy(strategyName);
  const problem = platform.addressProblem(options.address);
  if (problem) throw new UsageError(problem);
  try {
    await platform.claimAddress(options.address);
  } catch (error) {
    if (error instanceof AddressInUse) throw new UsageError(`address in use: ${error.message}`);
    throw error;
  }

  const store = RecordStore.create(options.knobs.capacity, options.knobs);
  const sessions = SessionTable.create(store, options.maxSessions, options.knobs);
  let server;
  try {
    server = await descriptor.load().start(options, sessions);
  } catch (error) {
    platform.releaseAddress(options.address);
    if (error instanceof AddressInUse) throw new UsageError(`address in use: ${error.message}`);
    throw new StartError(`${strategyName} cannot start: ${(error as Error).message}`, { cause: error });
  }

  // Ready means serving: every thread the strategy started runs (an idle server then burns nothing that a measurement would count).
  await threadsRunning();
  if (!stopSignal.received) {
    process.stdout.write(`ready ${options.address}\n`);
    link?.ready(descriptor.mechanism, ownCost());
  }

  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      server.stop().then(() => {
        platform.releaseAddress(options.address);
        link?.stopped(ownCost());
        resolve();
      }, reject);
    };
    stopSignal.onReceived(stop);
    link?.onStop(stop);
  });
}

/** SIGINT or SIGTERM, remembered if it came before anyone could act on it. */
class StopSignal {
  received = false;
  private action: (() => void) | null = null;
  // `on`, not `once`: a second signal while stopping must not kill the process by default.
  private readonly listener = () => {
    this.received = true;
    this.action?.();
  };

  constructor() {
    process.on('SIGINT', this.listener);
    process.on('SIGTERM', this.listener);
  }

  onReceived(action: () => void): void {
    this.action = action;
    if (this.received) action();
  }

  dispose(): void {
    process.off('SIGINT', this.listener);
    process.off('SIGTERM', this.listener);
  }
}
