// What one client process reports to the harness when its script ends.

export type WorkloadName = 'transactions' | 'batch';

export interface ClientErrors {
  /** A status other than the one the script expected (NOT_FOUND for its own record, FULL, ...). */
  unexpectedStatus: number;
  /** An OK answer with the wrong contents (a record this client never wrote). */
  mismatches: number;
}

export interface ClientReport {
  clientIndex: number;
  pid: number;
  /** Transactions that completed a round trip (whatever their verdict). */
  transactions: number;
  errors: ClientErrors;
  /** Why the script stopped early (disconnect, connect failure), or null when it ran to the end. */
  fatal: string | null;
  /** Monotonic clock (process.hrtime.bigint) at the script's first and last byte, as decimal strings. */
  startNs: string;
  endNs: string;
  /** Per-transaction turnaround in nanoseconds: an HdrHistogram, compressed and base64-encoded. */
  histogram: string;
  /**
   * Open loop only: turnaround from the moment each request was actually sent
   * (`histogram` then counts from its scheduled start); null in a closed loop.
   */
  sentHistogram: string | null;
  /** Untimed transactions run after "go", before `startNs`. */
  warmupTransactions: number;
  /** CPU of the whole process (start-up included). */
  cpuUserUs: number;
  cpuSystemUs: number;
  /** CPU between `startNs` and `endNs`. */
  scriptCpuUserUs: number;
  scriptCpuSystemUs: number;
}
