// summary.md and cells.csv: deterministic, every cell, failed cells without
// invented numbers.

import { chartDefinitions } from '../reports/charts';
import { cellsCsv } from '../reports/csv';
import { summaryMarkdown } from '../reports/markdown';
import { fixtureResults } from './support/report-fixture';

it('renders summary.md the same way every time', () => {
  const results = fixtureResults();
  expect(summaryMarkdown(results, chartDefinitions(results))).toMatchSnapshot();
});

it('renders cells.csv the same way every time', () => {
  expect(cellsCsv(fixtureResults())).toMatchSnapshot();
});

it('writes one CSV row per cell, with empty fields (not zeros) for a failed cell', () => {
  const results = fixtureResults();
  const rows = cellsCsv(results).trimEnd().split('\r\n');
  expect(rows).toHaveLength(results.cells.length + 1);
  const header = rows[0].split(',');
  const failed = rows.find((row) => row.startsWith('thread-per-client,8,failed'))!;
  expect(failed).toBeDefined();
  const tps = header.indexOf('throughput_tps');
  expect(failed.split(',')[tps]).toBe('');
  expect(failed).toMatch(/,FAILED: server exited with signal SIGSEGV[^,]*$/);
});

it('lists failures, errors and warnings in summary.md, and how to reproduce the run', () => {
  const results = fixtureResults();
  const text = summaryMarkdown(results, chartDefinitions(results));
  expect(text).toMatch(/thread-per-client at 8 clients\*\*: FAILED/);
  expect(text).toMatch(/node-net at 4 clients\*\*: errors: 0 unexpected status, 1 mismatches/);
  expect(text).toContain('store held 1 record after the cell');
  expect(text).toContain(results.parameters.commandLine);
  expect(text).toContain('![Aggregate throughput vs clients](throughput.png)');
});
