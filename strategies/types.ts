// What every strategy implements, whatever the platform.

import type { SessionConfig, SessionTable } from './session';

export const STRATEGY_NAMES = ['sequential', 'thread-per-client', 'overlapped', 'completion-routines', 'iocp', 'node-net'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * How the Win32 overlapped strategy services its signalled instances: 'fair' gives
 * every signalled instance a turn per wait, 'lowest-first' only the lowest index
 * WaitForMultipleObjects returns (the seed's order, which starves high indexes).
 */
export const WAIT_ORDERS = ['fair', 'lowest-first'] as const;
export type WaitOrder = (typeof WAIT_ORDERS)[number];

export interface ServerOptions extends SessionConfig {
  /** Unix socket path, or a named pipe name (\\.\pipe\...) on Windows. */
  address: string;
  /** Worker threads of the pooled strategy (iocp); the others ignore it. */
  threads: number;
  /** Store capacity in records. */
  capacity: number;
  /** Time every store transaction blocks inside the store's lock. */
  storeLatencyUs: number;
  /** Most sessions served at once. */
  maxSessions: number;
  /** Win32 overlapped only (default 'fair'); the other strategies ignore it. */
  waitOrder?: WaitOrder;
}

/** A server that accepts connections until stop() resolves; stop() leaves no thread or handle behind. */
export interface RunningServer {
  stop(): Promise<void>;
}

/** A strategy file: starts serving `options.address`, driving `sessions` for every client. */
export interface StrategyModule {
  start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer>;
}

export interface StrategyDescriptor {
  name: StrategyName;
  /** The OS mechanism the strategy waits with on this platform, for results and reports. */
  mechanism: string;
  load(): StrategyModule;
}
