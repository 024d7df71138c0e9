// What a server is started with: its address, its session limit and its knobs.
// Apart from types.ts so that the store and the session machine, which read the
// knobs, and types.ts, which names the session table, import no circle.

/**
 * How the Win32 overlapped strategy services its signalled instances: 'fair' gives
 * every signalled instance a turn per wait, 'lowest-first' only the lowest index
 * WaitForMultipleObjects returns (the seed's order, which starves high indexes).
 */
export const WAIT_ORDERS = ['fair', 'lowest-first'] as const;
export type WaitOrder = (typeof WAIT_ORDERS)[number];

/**
 * The server's knobs: set once from the command line (contract/knobs.ts has each
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
