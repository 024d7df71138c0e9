// cells.csv and summary.md: every cell, each Estimate with its interval (the
// CSV: mean, low, high and method at full precision), errors from the verdict,
// failed cells without invented numbers; and each cell's trial and client tables.

import { cellsCsv } from '../reports/csv';
import { summaryMarkdown } from '../reports/markdown';
import { reportModel } from '../reports/model';
import { fixtureResults } from './support/report-fixture';

const csvRows = () => {
  const [header, ...rows] = cellsCsv(reportModel(fixtureResults()).tables.csv).trimEnd().split('\r\n');
  const names = header.split(',');
  // No field of the fixture's numbers holds a comma; the notes column (last) may, quoted.
  const cells = rows.map((row) => row.split(','));
  return { names, row: (server: string, clients: number) => cells.find((r) => r[0] === server && r[1] === String(clients))!, field: (row: string[], name: string) => row[names.indexOf(name)] };
};

it('gives every Estimate four columns: mean, low, high and method, units in the names', () => {
  const { names } = csvRows();
  for (const figure of [
    'steady_throughput_tps',
    'steady_p50_us',
    'steady_p99_us',
    'steady_mean_us',
    'steady_fairness_jain',
    'server_cpu_us_per_transaction',
    'server_cpu_share_percent',
    'client_cpu_share_percent',
    'server_context_switches_per_transaction',
    'script_worst_done_ms',
    'script_mean_done_ms',
    'script_makespan_ms',
    'script_throughput_tps',
    'script_p99_us',
    'script_fairness_jain',
  ]) {
    expect(names).toEqual(expect.arrayContaining(['mean', 'low', 'high', 'method'].map((part) => `${figure}_${part}`)));
  }
  expect(names.slice(0, 4)).toEqual(['server', 'clients', 'trials_measured', 'trials_failed']);
  expect(names).toEqual(expect.arrayContaining(['server_peak_threads', 'server_peak_rss_mib', 'errors_total', 'errors_mismatches', 'warnings', 'notes']));
});

it("writes the fixture's figures at full precision", () => {
  const results = fixtureResults();
  const { row, field } = csvRows();
  const iocp = results.cells.find((c) => c.strategy === 'iocp' && c.clients === 8)!.summary!;
  const line = row('iocp', 8);
  expect(field(line, 'steady_throughput_tps_mean')).toBe('61000');
  expect(field(line, 'steady_throughput_tps_low')).toBe(String(iocp.steady!.throughputTps.low));
  expect(field(line, 'steady_throughput_tps_high')).toBe(String(iocp.steady!.throughputTps.high));
  expect(field(line, 'steady_throughput_tps_method')).toBe('own');
  // p99 330 µs x (1, 1.01, 0.99): their geometric mean.
  expect(Number(field(line, 'steady_p99_us_mean'))).toBeCloseTo(330 * Math.cbrt(1.01 * 0.99), 9);
  expect(field(line, 'server_peak_threads')).toBe('11');
  expect(field(line, 'server_peak_rss_mib')).toBe('84');
  // Turnaround percentiles: the geometric mean of the trials', on the log scale.
  expect(field(row('sequential', 1), 'steady_p50_us_method')).toBe('log');
});

it('gives each cell its precision: the wider of throughput\'s and p50\'s half-widths, in percent of the mean', () => {
  const { row, field } = csvRows();
  const halfWidth = (line: string[], figure: string) => ((Number(field(line, `${figure}_high`)) - Number(field(line, `${figure}_low`))) / 2 / Number(field(line, `${figure}_mean`))) * 100;
  for (const [server, clients] of [['sequential', 1], ['iocp', 8], ['edge-proxy', 4]] as const) {
    const line = row(server, clients);
    expect([server, clients, Number(field(line, 'precision_percent'))]).toEqual([server, clients, expect.closeTo(Math.max(halfWidth(line, 'steady_throughput_tps'), halfWidth(line, 'steady_p50_us')), 9)]);
  }
  // The noisy cell: 7.5% (three trials 3% apart: t(0.975, 2) x 3% / sqrt(3)); the least precise is iocp at 1 client,
  // two trials 1% from their mean: t(0.975, 1) x 1% = 12.7% on throughput, its p50 (log scale) a little wider.
  expect(Number(field(row('sequential', 1), 'precision_percent')).toFixed(1)).toBe('7.5');
  expect(Number(field(row('iocp', 1), 'precision_percent')).toFixed(0)).toBe('13');
  // A cell that was never measured has no precision.
  expect(field(row('thread-per-client', 4), 'precision_percent')).toBe('');
});

it('counts errors as the verdict does, and leaves a failed cell empty, not zero', () => {
  const { row, field } = csvRows();
  // edge-proxy at 4 clients: 1 mismatch, 1 failed client, 400 script transactions that never ran.
  expect(['errors_total', 'errors_mismatches', 'errors_failed_clients', 'errors_missing_transactions'].map((n) => field(row('edge-proxy', 4), n))).toEqual(['402', '1', '1', '400']);
  // iocp at 1 client lost one trial of three.
  expect([field(row('iocp', 1), 'trials_measured'), field(row('iocp', 1), 'trials_failed'), field(row('iocp', 1), 'errors_total')]).toEqual(['2', '1', '1']);
  const failed = row('thread-per-client', 4);
  expect(['trials_measured', 'trials_failed', 'steady_throughput_tps_mean', 'steady_throughput_tps_method', 'server_peak_threads'].map((n) => field(failed, n))).toEqual(['0', '3', '', '', '']);
  expect(failed.join(',')).toMatch(/,FAILED: server exited with signal SIGSEGV \(<worker 3>\)$/);
});

it('writes one CSV row per cell, the same every time', () => {
  const results = fixtureResults();
  const csv = cellsCsv(reportModel(results).tables.csv);
  expect(csv.trimEnd().split('\r\n')).toHaveLength(results.cells.length + 1);
  expect(cellsCsv(reportModel(fixtureResults()).tables.csv)).toBe(csv);
});

it('prints summary.md: the headline, the problems by count, notes, a compact table with intervals, and how to reproduce', () => {
  const results = fixtureResults();
  const text = summaryMarkdown(reportModel(results));
  expect(summaryMarkdown(reportModel(fixtureResults()))).toBe(text);
  expect(text).toContain('- **Throughput at 8 clients**: no significant difference between iocp and edge-proxy');
  expect(text).toContain('- **p99 turnaround at 8 clients**: iocp, 1.82× ± ');
  expect(text).toContain("- **sequential's turnaround at 8 clients**: p50 28.0 µs, p99 95.0 µs: that of the one client it served at a time");
  // Each cell's own interval: t(0.975, 2) x 1% / sqrt(3) = 2.5% (9 cells), 7.5% (sequential at 1 client), 12.7% (iocp at 1 client, 2 trials).
  expect(text).toContain('\nPrecision reached: ±2.5–13% (median 2.5%) of the mean at 95% confidence (throughput and p50, the wider of the two per cell); 9 of 11 cells within ±5.0%.');
  expect(text).toContain('## Errors and warnings (6)');
  expect(text).toContain('- **cells not measured** (1): thread-per-client at 4 clients\n  - thread-per-client at 4 clients: FAILED: no trial was measured');
  expect(text).toContain('- **no steady state** (1): edge-proxy at 8 clients\n  - edge-proxy at 8 clients: trial 2: no steady state');
  expect(text).toContain('## Notes on the figures');
  expect(text).toContain('| server | clients | trials measured | throughput tx/s | precision ±% | p50 µs | p99 µs | fairness (steady) | worst client done ms | peak threads | errors | warnings |');
  expect(text).toContain('- **trials noisier than the machine** (1): sequential at 1 client\n  - sequential at 1 client: throughput varied 3.0% between trials');
  expect(text).toContain('| iocp | 8 | 3 | 61,000 ±2.5% | 2.5 | 110.0 ±2.5% | 330.0 ±2.5% |');
  expect(text).toContain('| sequential | 1 | 3 | 56,000 ±7.5% | 7.5 |');
  expect(text).toContain("(log): Student's t over the logarithms of the cell's trial values");
  expect(text).toContain('## How these figures were computed');
  expect(text).toContain(results.parameters.commandLine);
  expect(text).toContain('![Throughput vs clients (steady phase)](throughput.png)');
});

it("measures the precision against the run's --precision target when it had one", () => {
  const results = fixtureResults();
  // --precision 2: no cell of the fixture is within ±2% (the narrowest is t(0.975, 2) x 1% / sqrt(3) = ±2.5%).
  results.parameters.precision = 0.02;
  const text = summaryMarkdown(reportModel(results));
  expect(text).toContain('; 0 of 11 cells within ±2.0%.');
  expect(text).toContain('- precision target: ±2% (95% interval half-width over the mean)');
});

it('says "None" when nothing went wrong', () => {
  const results = fixtureResults();
  results.cells = results.cells.filter((cell) => cell.clients === 8 && cell.strategy !== 'edge-proxy');
  expect(summaryMarkdown(reportModel(results))).toContain('## Errors and warnings (0)\n\nNone.\n');
});

it("tabulates each cell's trials and the clients of its timeline trial", () => {
  const details = reportModel(fixtureResults()).tables.details;
  const edge = details.find((d) => d.where === 'edge-proxy at 8 clients')!;
  const column = (header: string) => edge.trials.columns.findIndex((c) => c.header === header);
  expect(edge.trials.rows.map((r) => r.cells[column('settled')].text)).toEqual(['yes, from window 2', 'no (cap reached)', 'yes, from window 4']);
  expect(edge.trials.rows.map((r) => r.cells[column('warm-up ms')].sort)).toEqual([700, 5000, 900]);
  expect(edge.trials.rows[0].cells[column('phases ms')].text).toBe('start 1200 · warm-up 700 · measure 1050 · script 141 · finish 90');

  const failedTrial = details.find((d) => d.where === 'iocp at 1 client')!;
  expect(failedTrial.trials.rows.map((r) => r.failed)).toEqual([false, true, false]);
  expect(failedTrial.trials.rows[1].cells.at(-1)!.text).toBe('server exited with code 1 during the warm-up');

  const sequential = details.find((d) => d.where === 'sequential at 8 clients')!;
  expect(sequential.clientsOfTrial).toBe(1);
  const clients = sequential.clients!;
  const done = clients.columns.findIndex((c) => c.header === 'done after start ms');
  const measured = clients.columns.findIndex((c) => c.header === 'in the measured phase');
  expect(clients.rows.map((r) => r.cells[done].sort)).toEqual([225, 37.5, 150, 262.5, 75, 187.5, 300, 112.5]);
  // One client at a time: in the measured phase one client got every transaction (30,000 tx/s for 1 s).
  expect(clients.rows.map((r) => r.cells[measured].sort)).toEqual([30000, 0, 0, 0, 0, 0, 0, 0]);
  expect(details.find((d) => d.where === 'thread-per-client at 4 clients')!.clients).toBeNull();
});
