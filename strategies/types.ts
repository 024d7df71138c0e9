// What every strategy implements, whatever the platform.

import type { SessionTable } from './session';
import type { ServerOptions } from './server-options';

export { WAIT_ORDERS } from './server-options';
export type { ServerKnobs, ServerOptions, WaitOrder } from './server-options';
import type { ConnectOptions, Transport } from '../clients/transport';
export const STRATEGY_NAMES = ['sequential', 'thread-per-client', 'overlapped', 'completion-routines', 'iocp', 'node-net'] as const;

/** Serves one client at a time by design: the others wait to connect, which is no starvation. */
export function servesOneClientAtATime(strategyName: string): boolean {
  return strategyName === 'sequential';
}
export type StrategyName = (typeof STRATEGY_NAMES)[number];

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
  /**
   * Bytes the process has passed to write calls so far (sockets and pipes included):
   * a load's requests counted from outside, exactly (bench:clients).
   */
  bytesWritten(): number;
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
  /** How connect()'s transport talks to the server on this machine, in one line for the report. */
  clientTransport(): string;
  openProcess(pid: number): ProcessReader;
  /** "Linux 6.18.44", or "Windows under Wine 8.0". */
  label(): string;
  /** Wine's version when this is Windows under Wine, else null. */
  wineVersion(): string | null;
}
