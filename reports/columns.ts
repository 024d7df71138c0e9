// Every figure of a cell as a column, shared by the HTML tables, summary.md and
// cells.csv so they always agree. Values are raw numbers (CSV, sorting); the
// formatted text is what people read.

import type { CellResult, MeasuredCell } from '../harness/results';
import { doneAfterReleaseMs, peakThreads, serverCpuSeconds, serverPeakMemoryMb, trialCount, trialInterval } from './model';

export interface Column {
  header: string;
  /** Column name in cells.csv: the header with its unit, machine-friendly. */
  csv: string;
  value: (cell: CellResult) => number | string | null;
  digits?: number;
  /** Shown in summary.md's compact table. */
  summary?: boolean;
  /** Text, not a number: left-aligned, sorted alphabetically. */
  text?: boolean;
}

const measured =
  (read: (cell: MeasuredCell) => number | string | null) =>
  (cell: CellResult): number | string | null =>
    cell.outcome === 'measured' ? read(cell) : null;

const us = (ns: number) => ns / 1000;
const usOrNull = (ns: number | undefined) => (ns === undefined ? null : ns / 1000);

export const CELL_COLUMNS: Column[] = [
  { header: 'server', csv: 'strategy', value: (c) => c.strategy, summary: true, text: true },
  { header: 'clients', csv: 'clients', value: (c) => c.clients, summary: true },
  { header: 'outcome', csv: 'outcome', value: (c) => c.outcome, summary: true, text: true },
  { header: 'transactions', csv: 'transactions', value: measured((c) => c.transactions) },
  { header: 'throughput tx/s', csv: 'throughput_tps', value: measured((c) => c.throughputTps), digits: 0, summary: true },
  { header: 'trials', csv: 'trials', value: measured(trialCount) },
  { header: 'throughput 95% CI low', csv: 'throughput_ci95_low_tps', value: measured((c) => trialInterval(c, 'throughputTps')?.low ?? null), digits: 0 },
  { header: 'throughput 95% CI high', csv: 'throughput_ci95_high_tps', value: measured((c) => trialInterval(c, 'throughputTps')?.high ?? null), digits: 0 },
  { header: 'mean µs', csv: 'turnaround_mean_us', value: measured((c) => us(c.latency.meanNs)), digits: 1, summary: true },
  { header: 'p50 µs', csv: 'turnaround_p50_us', value: measured((c) => us(c.latency.p50Ns)), digits: 1, summary: true },
  { header: 'p90 µs', csv: 'turnaround_p90_us', value: measured((c) => us(c.latency.p90Ns)), digits: 1 },
  { header: 'p99 µs', csv: 'turnaround_p99_us', value: measured((c) => us(c.latency.p99Ns)), digits: 1, summary: true },
  { header: 'p99 95% CI low µs', csv: 'turnaround_p99_ci95_low_us', value: measured((c) => usOrNull(trialInterval(c, 'p99Ns')?.low)), digits: 1 },
  { header: 'p99 95% CI high µs', csv: 'turnaround_p99_ci95_high_us', value: measured((c) => usOrNull(trialInterval(c, 'p99Ns')?.high)), digits: 1 },
  { header: 'p99.9 µs', csv: 'turnaround_p999_us', value: measured((c) => us(c.latency.p999Ns)), digits: 1 },
  { header: 'max µs', csv: 'turnaround_max_us', value: measured((c) => us(c.latency.maxNs)), digits: 1, summary: true },
  { header: 'min µs', csv: 'turnaround_min_us', value: measured((c) => us(c.latency.minNs)), digits: 1 },
  { header: 'stddev µs', csv: 'turnaround_stddev_us', value: measured((c) => us(c.latency.stdDevNs)), digits: 1 },
  { header: 'makespan ms', csv: 'makespan_ms', value: measured((c) => c.makespanMs), digits: 1 },
  { header: 'mean done after release ms', csv: 'done_after_release_mean_ms', value: measured((c) => doneAfterReleaseMs(c)?.meanMs ?? null), digits: 1 },
  { header: 'worst done after release ms', csv: 'done_after_release_max_ms', value: measured((c) => doneAfterReleaseMs(c)?.maxMs ?? null), digits: 1, summary: true },
  { header: 'mean script ms', csv: 'completion_mean_ms', value: measured((c) => c.meanCompletionMs), digits: 1 },
  { header: 'worst script ms', csv: 'completion_max_ms', value: measured((c) => c.maxCompletionMs), digits: 1 },
  { header: 'fairness', csv: 'fairness_jain', value: measured((c) => c.fairness), digits: 3, summary: true },
  { header: 'unexpected status', csv: 'errors_unexpected_status', value: measured((c) => c.errors.unexpectedStatus) },
  { header: 'mismatches', csv: 'errors_mismatches', value: measured((c) => c.errors.mismatches) },
  { header: 'failed clients', csv: 'errors_failed_clients', value: (c) => (c.outcome === 'measured' ? c.errors.failedClients : c.clientDetails.filter((d) => d.fatal !== null).length) },
  { header: 'missing transactions', csv: 'errors_missing_transactions', value: measured((c) => c.errors.missingTransactions) },
  { header: 'store before', csv: 'store_count_before', value: measured((c) => c.store.countBefore) },
  { header: 'store after', csv: 'store_count_after', value: measured((c) => c.store.countAfter) },
  { header: 'server CPU s', csv: 'server_cpu_s', value: measured(serverCpuSeconds), digits: 3 },
  { header: 'server user CPU s', csv: 'server_cpu_user_s', value: measured((c) => (c.serverCost ? c.serverCost.cpuUserUs / 1e6 : null)), digits: 3 },
  { header: 'server system CPU s', csv: 'server_cpu_system_s', value: measured((c) => (c.serverCost ? c.serverCost.cpuSystemUs / 1e6 : null)), digits: 3 },
  { header: 'server peak MiB', csv: 'server_max_rss_mib', value: measured(serverPeakMemoryMb), digits: 1 },
  { header: 'server peak threads', csv: 'server_peak_threads', value: measured(peakThreads) },
  { header: 'voluntary ctx switches', csv: 'server_voluntary_context_switches', value: measured((c) => c.serverCost?.voluntaryContextSwitches ?? null) },
  { header: 'involuntary ctx switches', csv: 'server_involuntary_context_switches', value: measured((c) => c.serverCost?.involuntaryContextSwitches ?? null) },
  { header: 'cell duration ms', csv: 'cell_duration_ms', value: (c) => c.durationMs, digits: 0 },
  { header: 'started', csv: 'started_at', value: (c) => c.startedAt, text: true },
  { header: 'mechanism', csv: 'mechanism', value: (c) => c.mechanism, text: true },
  { header: 'notes', csv: 'notes', value: (c) => (c.outcome === 'failed' ? `FAILED: ${c.reason}` : c.warnings.join('; ')), text: true },
];

/** The text a reader sees; '' for a figure the cell does not have. */
export function formatValue(column: Column, cell: CellResult): string {
  const value = column.value(cell);
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return column.digits === undefined
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { minimumFractionDigits: column.digits, maximumFractionDigits: column.digits });
}
