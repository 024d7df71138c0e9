// Sanity checks on a measured cell. Each returns the warning text (with the
// numbers and the threshold) or null; the driver puts them in cell.warnings.

/** Little's law tolerance: measured mean turnaround vs clients / throughput. */
export const LITTLE_TOLERANCE = 0.2;
/** Clients using more than this share of the machine's CPU were the bottleneck, not the server. */
export const CLIENT_CPU_SHARE_LIMIT = 0.8;
/** Trials of one cell whose (max - min) / median exceeds this disagree. */
export const TRIAL_SPREAD_LIMIT = 0.1;

/**
 * A closed loop keeps every client's one transaction in flight, so by Little's law
 * the mean turnaround is clients / throughput. A gap means the clients were not all
 * in flight through the makespan (staggered starts, time spent between transactions,
 * a server that serves one client at a time), and the mean hides it.
 */
export function littlesLawWarning(clients: number, throughputTps: number, meanLatencyNs: number): string | null {
  if (throughputTps <= 0 || meanLatencyNs <= 0) return null;
  const expectedNs = (clients / throughputTps) * 1e9;
  const off = Math.abs(meanLatencyNs - expectedNs) / expectedNs;
  if (off <= LITTLE_TOLERANCE) return null;
  return (
    `Little's law: ${clients} client(s) / ${Math.round(throughputTps)} tps = ${us(expectedNs)} us expected mean turnaround, ` +
    `measured ${us(meanLatencyNs)} us (off by ${Math.round(off * 100)}%, more than ${LITTLE_TOLERANCE * 100}%): ` +
    `the clients did not keep ${clients} transaction(s) in flight through the makespan`
  );
}

/** `share`: clients' script CPU / (makespan x cores). */
export function clientBottleneckWarning(share: number, cpuCount: number): string | null {
  if (share <= CLIENT_CPU_SHARE_LIMIT) return null;
  return (
    `clients used ${Math.round(share * 100)}% of the machine's ${cpuCount} core(s) during the makespan ` +
    `(more than ${CLIENT_CPU_SHARE_LIMIT * 100}%): the clients, not the server, may have been the bottleneck`
  );
}

export function trialSpreadWarning(what: string, values: number[], relativeSpread: number, format: (v: number) => string): string | null {
  if (values.length < 2 || !(relativeSpread > TRIAL_SPREAD_LIMIT)) return null;
  return (
    `trials disagree on ${what}: ${values.map(format).join(', ')} ` +
    `(spread ${Math.round(relativeSpread * 100)}% of the median, more than ${TRIAL_SPREAD_LIMIT * 100}%)`
  );
}

function us(ns: number): string {
  return (ns / 1000).toFixed(1);
}
