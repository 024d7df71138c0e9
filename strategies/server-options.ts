// What a server is started with: its address, its session limit and its knobs.
// Apart from types.ts so that the store and the session machine, which read the
// knobs, and types.ts, which names the session table, import no circle.

/**
 * Where the Win32 overlapped strategy's next wait starts searching (each wait serves
 * the one instance WaitForMultipleObjects reports): 'fair' just after the instance
 * served last, so every signalled instance gets a turn before any gets a second;
 * 'lowest-first' always at the lowest index (the seed's order, which starves high indexes).
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
