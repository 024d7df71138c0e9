// What every strategy implements, whatever the platform.

import type { SessionTable } from './session';
import type { ConnectOptions, Transport } from '../clients/transport';
export const STRATEGY_NAMES = ['sequential', 'thread-per-client', 'overlapped', 'completion-routines', 'iocp', 'node-net'] as const;

/** Serves one client at a time by design: the others wait to connect, which is no starvation. */
export function servesOneClientAtATime(strategyName: string): boolean {
  return strategyName === 'sequential';
}
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * Where the Win32 overlapped strategy's next wait starts searching (each wait serves
 * the one instance WaitForMultipleObjects reports): 'fair' just after the instance
 * served last, so every signalled instance gets a turn before any gets a second;
 * 'lowest-first' always at the lowest index (the seed's order, which starves high indexes).
 */
export const WAIT_ORDERS = ['fair', 'lowest-first'] as const;
export type WaitOrder = (typeof WAIT_ORDERS)[number];

/**
 * The server's knobs: set once from the command line (harness/options.ts has each
 * one's flag, default and range), handed whole to the server process and every
 * thread of it, and read where they take effect.
 */
export interface ServerKnobs {
  /** Worker threads of the pooled strategy (iocp); the others ignore it. */
  threads: number;
  /** Store capacity in records. */
  capacity: number;
  /** CPU the server burns per transaction, like a complex query. */
  cpuUs: number;
  /** Time every store transaction blocks inside the store's lock. */
  storeLatencyUs: number;
  /** The Win32 overlapped strategy's service order; the others ignore it. */
  waitOrder: WaitOrder;
}

export interface ServerOptions {
  /** Unix socket path, or a named pipe name (\\.\pipe\...) on Windows. */
  address: string;
  /** Most sessions served at once. */
  maxSessions: number;
  knobs: ServerKnobs;
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

export interface StrategyEntry {
  /** The OS mechanism the strategy waits with, for results and reports. */
  mechanism: string;
  load(): StrategyModule;
}

/** A process's threads and memory at one moment: cheap enough to sample often. */
export interface ProcessLoad {
  threads: number;
  /** Peak resident memory so far (or the current figure when larger). */
  peakRssKb: number;
}

/** What a process has used since it started, every thread included: read at the edges of a window. */
export interface ProcessCost {
  cpuUserUs: number;
  cpuSystemUs: number;
  /** Null where the OS keeps no per-process count. */
  voluntaryContextSwitches: number | null;
  involuntaryContextSwitches: number | null;
}

/** Reads one process from outside; each read throws an Error saying what failed. */
export interface ProcessReader {
  /** How the figures are read, for results. */
  readonly how: string;
  load(): ProcessLoad;
  cost(): ProcessCost;
  close(): void;
}

export interface Platform {
  readonly name: 'posix' | 'win32';
  readonly strategies: Partial<Record<StrategyName, StrategyEntry>>;
  /** A fresh address no other run on this machine uses: a socket path or a pipe name. */
  uniqueAddress(tag: string): string;
  /** Why an address cannot be used here, or null when it can. */
  addressProblem(address: string): string | null;
  /** Before serving: refuses an address somebody else holds, clears what a crashed run left. */
  claimAddress(address: string): Promise<void>;
  /** After serving (or a server's death): removes what the address left behind. */
  releaseAddress(address: string): void;
  connect(address: string, options: ConnectOptions): Transport;
  openProcess(pid: number): ProcessReader;
  /** "Linux 6.18.44", or "Windows under Wine 8.0". */
  label(): string;
  /** Wine's version when this is Windows under Wine, else null. */
  wineVersion(): string | null;
}
