// Results files written before --precision (no precision, maxTimeMs, ended or a
// cell's precision) and before per-cell intervals ('pooled', 'windows') still read.

import { readRunResults } from '../harness/schema/results';
import { fixtureResults } from './support/report-fixture';

it('reads a version 2 file without the precision fields, as null', () => {
  const old = JSON.parse(JSON.stringify(fixtureResults()));
  delete old.ended;
  delete old.parameters.precision;
  delete old.parameters.maxTimeMs;
  for (const cell of old.cells) {
    if (!cell.summary) continue;
    delete cell.summary.precision;
    cell.summary.steady.throughputTps.method = 'pooled';
    cell.summary.steady.p50Ns.method = 'windows';
  }
  const read = readRunResults(old, '');
  expect(read.ended).toBeNull();
  expect(read.parameters.precision).toBeNull();
  expect(read.parameters.maxTimeMs).toBeNull();
  const measured = read.cells.find((c) => c.summary)!.summary!;
  expect(measured.precision).toBeNull();
  expect(measured.steady!.throughputTps.method).toBe('pooled');
});
