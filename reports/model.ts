// Read-only views over RunResults that every renderer shares: series order,
// client counts, and the figures optional schema fields may or may not carry.

import type { CellResult, MeasuredCell, RunResults } from '../harness/results';

/** Servers in the order the run measured them (strategies, then the external label). */
export function seriesNames(results: RunResults): string[] {
  const names: string[] = [];
  for (const cell of results.cells) if (!names.includes(cell.strategy)) names.push(cell.strategy);
  return names;
}

export function clientCounts(results: RunResults): number[] {
  return [...new Set(results.cells.map((cell) => cell.clients))].sort((a, b) => a - b);
}

export function largestClientCount(results: RunResults): number | null {
  const counts = clientCounts(results);
  return counts.length === 0 ? null : counts[counts.length - 1];
}

export function cellAt(results: RunResults, strategy: string, clients: number): CellResult | undefined {
  return results.cells.find((cell) => cell.strategy === strategy && cell.clients === clients);
}

export function measuredAt(results: RunResults, strategy: string, clients: number): MeasuredCell | null {
  const cell = cellAt(results, strategy, clients);
  return cell?.outcome === 'measured' ? cell : null;
}

export function totalErrors(cell: MeasuredCell): number {
  return cell.errors.unexpectedStatus + cell.errors.mismatches + cell.errors.failedClients + cell.errors.missingTransactions;
}

// Fields the measurement work adds over time (serverLoad, responsiveness, ...).
// They are read defensively so a report renders whatever a results file
// carries, old or new, and leaves out what it does not.

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Trials behind a cell's figures (1 unless the run used --repeat). */
export function trialCount(cell: MeasuredCell): number | null {
  const trials = field(cell, 'trials');
  return Array.isArray(trials) ? trials.length : null;
}

/** The 95% confidence interval of a figure across trials, when the run repeated cells. */
export function trialInterval(cell: MeasuredCell, figure: 'throughputTps' | 'p99Ns'): { low: number; high: number } | null {
  const spread = field(field(cell, 'trialStats'), figure);
  const low = finite(field(spread, 'ci95Low'));
  const high = finite(field(spread, 'ci95High'));
  return low === null || high === null ? null : { low, high };
}

/** Server CPU seconds (user + system): while the cell ran when measured so, else over the server's life. */
export function serverCpuSeconds(cell: MeasuredCell): number | null {
  for (const source of [field(cell, 'serverLoad'), cell.serverCost]) {
    const user = finite(field(source, 'cpuUserUs'));
    const system = finite(field(source, 'cpuSystemUs'));
    if (user !== null && system !== null) return (user + system) / 1e6;
  }
  return null;
}

export function peakThreads(cell: MeasuredCell): number | null {
  return finite(field(field(cell, 'serverLoad'), 'peakThreads')) ?? finite(field(cell.serverCost, 'peakThreads'));
}

export function serverPeakMemoryMb(cell: MeasuredCell): number | null {
  const kb = finite(field(field(cell, 'serverLoad'), 'peakRssKb')) ?? finite(field(cell.serverCost, 'maxRssKb'));
  return kb === null ? null : kb / 1024;
}

/** How late (ms) a probe woke from short sleeps while the cell ran, at a statistic such as 'p99'. */
export function probeLatenessMs(cell: MeasuredCell, statistic: 'p50' | 'p99' | 'max' | 'mean'): number | null {
  const ns = finite(field(field(cell, 'responsiveness'), `${statistic}LatenessNs`));
  return ns === null ? null : ns / 1e6;
}

/** The same probe on the idle machine before the first cell, when measured. */
export function idleLatenessMs(results: RunResults, statistic: 'p50' | 'p99'): number | null {
  const ns = finite(field(field(results, 'idleResponsiveness'), `${statistic}LatenessNs`));
  return ns === null ? null : ns / 1e6;
}

/** "1 client", "20 clients" */
export function clientsText(count: number): string {
  return `${count} client${count === 1 ? '' : 's'}`;
}

/**
 * When clients' scripts were done, counted from the moment the harness released
 * them: unlike `completionMs` (first to last byte of the script) this includes
 * the wait to be served at all, which is what a convoy costs a client.
 */
export function doneAfterReleaseMs(cell: MeasuredCell): { meanMs: number; maxMs: number } | null {
  if (cell.clientDetails.length === 0) return null;
  const ends = cell.clientDetails.map((client) => client.endMs);
  return { meanMs: ends.reduce((a, b) => a + b, 0) / ends.length, maxMs: Math.max(...ends) };
}
