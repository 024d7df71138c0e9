// `pipebench compare`: "~" where runs do not differ significantly, the change with
// its interval where they do, and --fail-on-regression's exit code for CI.

import { compareRuns, regressionsBeyond, summaryLine } from '../harness/measure/compare';
import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

/** A run of two cells whose trials give these throughputs (tx/s), p50 fixed at 20 us. */
function run(a: number[], b: number[]) {
  return resultsOf(
    summarizeCells(
      [
        cellOf('iocp', 4, a.map((tps, i) => trial({ trial: i + 1, throughputTps: tps, clients: 4 }))),
        cellOf('node-net', 4, b.map((tps, i) => trial({ trial: i + 1, throughputTps: tps, clients: 4 }))),
      ],
      PARAMETERS,
      2,
    ),
  );
}

const base = run([1000, 1010, 990], [500, 505, 495]);

it('says "~" for every figure when nothing changed', () => {
  const rows = compareRuns(base, run([1005, 995, 1000], [502, 498, 500]));
  for (const row of rows) for (const change of row.changes) expect(change?.changed).toBe(false);
  expect(summaryLine(rows)).toBe('2 cells compared: 2 with no significant change (~), 0 with a significant regression, 0 with a significant improvement');
});

it('reports a significant 20% drop in throughput as a regression, with its interval', () => {
  const rows = compareRuns(base, run([800, 808, 792], [500, 505, 495]));
  const [iocp, nodeNet] = rows;
  const throughput = iocp.changes[0]!;
  expect(throughput.changed).toBe(true);
  expect(throughput.regression).toBe(true);
  expect(throughput.relative).toBeCloseTo(-0.2, 12);
  expect(throughput.low).toBeLessThan(-0.2);
  expect(throughput.high).toBeGreaterThan(-0.2);
  expect(nodeNet.changes[0]!.changed).toBe(false);
  expect(regressionsBeyond(rows, 10).map((r) => `${r.row.strategy} ${r.figure.name}`)).toEqual(['iocp throughput']);
  expect(regressionsBeyond(rows, 25)).toEqual([]);
});

it('a change inside the noise threshold is "~" even when significant', () => {
  const rows = compareRuns(base, run([1010, 1010.5, 1009.5], [500, 505, 495]), 0.02);
  expect(rows[0].changes[0]!.changed).toBe(false);
});

it('asks one question per cell: a figure significant alone at α = 0.05 is "~" when the cell has three (Holm)', () => {
  // Throughput down 2.2% with p ≈ 0.027: below 0.05, above 0.05 / 3; p50 and p99 unchanged (p = 1).
  const borderline = compareRuns(base, run([978, 988, 968], [500, 505, 495]), 0.01)[0].changes;
  expect(borderline[0]!.pValue).toBeGreaterThan(0.05 / 3);
  expect(borderline[0]!.pValue).toBeLessThan(0.05);
  expect(borderline.map((change) => change!.changed)).toEqual([false, false, false]);
  // Down 3% with p ≈ 0.006: below 0.05 / 3, so still a change.
  const clear = compareRuns(base, run([970, 980, 960], [500, 505, 495]), 0.01)[0].changes;
  expect(clear.map((change) => change!.changed)).toEqual([true, false, false]);
});
