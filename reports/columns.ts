// Every figure of a cell as a column, defined once for the HTML table, summary.md
// and cells.csv so they always agree. An Estimate is one column in the tables
// (mean ±half-width, its method marked) and four in the CSV (mean, low, high, method).

import type { CellSummary } from '../harness/schema/results';
import type { Estimate } from '../harness/measure/statistics';
import { cellPrecision } from '../harness/measure/precision-reached';
import { warningText } from '../harness/measure/warnings';
import type { CellView } from './run-view';

interface ColumnBase {
  /** The header people read, unit included. */
  header: string;
  /** The cells.csv name, unit included; absent: not in the CSV. */
  csv?: string;
  /** Absent from the HTML table (the CSV has it). */
  csvOnly?: boolean;
  /** From the stored unit to the one shown (ns → µs: 1e-3). */
  scale?: number;
  /** Decimals shown (the CSV keeps full precision). */
  digits?: number;
  /** In summary.md's compact table. */
  summary?: boolean;
}

export type Column<Row> = ColumnBase &
  ({ kind: 'estimate'; read: (row: Row) => Estimate | null } | { kind: 'number'; read: (row: Row) => number | null } | { kind: 'text'; read: (row: Row) => string });

export const estimate = (read: (summary: CellSummary) => Estimate | null | undefined) => ({
  kind: 'estimate' as const,
  read: (view: CellView) => (view.cell.summary && read(view.cell.summary)) ?? null,
});
export const count = <Row>(read: (row: Row) => number | null | undefined) => ({ kind: 'number' as const, read: (row: Row) => read(row) ?? null });
export const text = <Row>(read: (row: Row) => string) => ({ kind: 'text' as const, read });

function notes(view: CellView): string {
  const failed = view.verdict.failed ? [`FAILED: ${view.verdict.reason}`] : [];
  return [...failed, ...(view.cell.summary?.warnings ?? []).map(warningText)].join('; ');
}

export const CELL_COLUMNS: Array<Column<CellView>> = [
  { header: 'server', csv: 'server', summary: true, ...text((v: CellView) => v.server.label) },
  { header: 'clients', csv: 'clients', summary: true, ...count((v: CellView) => v.cell.clients) },
  { header: 'trials measured', csv: 'trials_measured', summary: true, ...count((v: CellView) => v.cell.summary?.measuredTrials ?? 0) },
  { header: 'trials failed', csv: 'trials_failed', ...count((v: CellView) => v.verdict.failedTrials) },
  { header: 'throughput tx/s', csv: 'steady_throughput_tps', digits: 0, summary: true, ...estimate((s) => s.steady?.throughputTps) },
  // The wider of throughput's and p50's 95% half-widths over their means (the worst client's completion when only the script ran).
  { header: 'precision ±%', csv: 'precision_percent', scale: 100, digits: 1, summary: true, ...count((v: CellView) => cellPrecision(v.cell.summary)) },
  { header: 'p50 µs', csv: 'steady_p50_us', scale: 1e-3, digits: 1, summary: true, ...estimate((s) => s.steady?.p50Ns) },
  { header: 'p99 µs', csv: 'steady_p99_us', scale: 1e-3, digits: 1, summary: true, ...estimate((s) => s.steady?.p99Ns) },
  { header: 'mean µs', csv: 'steady_mean_us', scale: 1e-3, digits: 1, ...estimate((s) => s.steady?.meanNs) },
  { header: 'fairness (steady)', csv: 'steady_fairness_jain', digits: 3, summary: true, ...estimate((s) => s.steady?.fairness) },
  { header: 'clients served', csv: 'steady_clients_served', ...count((v: CellView) => v.cell.summary?.steady?.clientsServed) },
  { header: 'server CPU µs/tx', csv: 'server_cpu_us_per_transaction', digits: 2, ...estimate((s) => s.steady?.serverCpuUsPerTransaction) },
  { header: 'server CPU %', csv: 'server_cpu_share_percent', scale: 100, digits: 1, ...estimate((s) => s.steady?.serverCpuShare) },
  { header: 'client CPU %', csv: 'client_cpu_share_percent', scale: 100, digits: 1, ...estimate((s) => s.steady?.clientCpuShare) },
  { header: 'context switches/tx', csv: 'server_context_switches_per_transaction', digits: 2, ...estimate((s) => s.steady?.contextSwitchesPerTransaction) },
  { header: 'worst client done ms', csv: 'script_worst_done_ms', digits: 1, summary: true, ...estimate((s) => s.script?.worstDoneMs) },
  { header: 'mean client done ms', csv: 'script_mean_done_ms', digits: 1, ...estimate((s) => s.script?.meanDoneMs) },
  { header: 'makespan ms', csv: 'script_makespan_ms', digits: 1, ...estimate((s) => s.script?.makespanMs) },
  { header: 'script tx/s', csv: 'script_throughput_tps', digits: 0, ...estimate((s) => s.script?.throughputTps) },
  { header: 'script p99 µs', csv: 'script_p99_us', scale: 1e-3, digits: 1, ...estimate((s) => s.script?.p99Ns) },
  { header: 'fairness (script)', csv: 'script_fairness_jain', digits: 3, ...estimate((s) => s.script?.fairness) },
  { header: 'peak threads', csv: 'server_peak_threads', summary: true, ...count((v: CellView) => v.cell.summary?.peakThreads) },
  { header: 'peak memory MiB', csv: 'server_peak_rss_mib', scale: 1 / 1024, digits: 1, ...count((v: CellView) => v.cell.summary?.peakRssKb) },
  { header: 'probe p50 late ms', csv: 'probe_p50_lateness_ms', scale: 1e-6, digits: 3, ...count((v: CellView) => v.cell.summary?.steady?.responsiveness?.p50LatenessNs) },
  { header: 'probe p99 late ms', csv: 'probe_p99_lateness_ms', scale: 1e-6, digits: 3, ...count((v: CellView) => v.cell.summary?.steady?.responsiveness?.p99LatenessNs) },
  // The verdict's count: wrong answers, failed clients, script transactions that never ran, failed trials.
  { header: 'errors', csv: 'errors_total', summary: true, ...count((v: CellView) => v.verdict.problemCount) },
  { header: 'unexpected status', csv: 'errors_unexpected_status', csvOnly: true, ...count((v: CellView) => v.verdict.errors.unexpectedStatus) },
  { header: 'mismatches', csv: 'errors_mismatches', csvOnly: true, ...count((v: CellView) => v.verdict.errors.mismatches) },
  { header: 'failed clients', csv: 'errors_failed_clients', csvOnly: true, ...count((v: CellView) => v.verdict.errors.failedClients) },
  { header: 'missing transactions', csv: 'errors_missing_transactions', csvOnly: true, ...count((v: CellView) => v.verdict.errors.missingTransactions) },
  { header: 'warnings', csv: 'warnings', summary: true, ...count((v: CellView) => v.cell.summary?.warnings.length ?? 0) },
  { header: 'external', csv: 'external', csvOnly: true, ...text((v: CellView) => String(v.cell.external)) },
  { header: 'mechanism', csv: 'mechanism', ...text((v: CellView) => v.cell.mechanism) },
  { header: 'notes', csv: 'notes', csvOnly: true, ...text(notes) },
];
