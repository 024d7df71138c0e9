// The precision a run reached, said once: per cell the wider of throughput's and
// p50's 95% half-widths over their means (the worst client's completion when only
// the script ran), and one line for the run. Inputs are literal intervals.

import { cellPrecision, precisionLine, runPrecision } from '../harness/measure/precision-reached';
import type { CellSummary } from '../harness/schema/results';
import type { Estimate } from '../harness/measure/statistics';

const interval = (mean: number, halfWidth: number, method: Estimate['method'] = 'pooled'): Estimate => ({
  mean,
  low: mean - halfWidth,
  high: mean + halfWidth,
  standardError: method === 'none' ? null : halfWidth / 2,
  df: method === 'none' ? 0 : 4,
  method,
  samples: [],
});
/** Only the figures precision reads; the rest of a summary does not matter here. */
const steady = (throughput: Estimate, p50: Estimate) => ({ steady: { throughputTps: throughput, p50Ns: p50 }, script: null }) as unknown as CellSummary;
const scriptOnly = (worst: Estimate) => ({ steady: null, script: { worstDoneMs: worst } }) as unknown as CellSummary;

it('takes the wider of throughput and p50, or the worst client when only the script ran', () => {
  // ±50 of 1,000 tx/s is 5%; ±1,600 of 20,000 ns is 8%.
  expect(cellPrecision(steady(interval(1000, 50), interval(20_000, 1600)))).toBeCloseTo(0.08, 12);
  expect(cellPrecision(steady(interval(1000, 120), interval(20_000, 1600)))).toBeCloseTo(0.12, 12);
  expect(cellPrecision(scriptOnly(interval(300, 9)))).toBeCloseTo(0.03, 12);
});

it('has none for a cell with one value or no summary', () => {
  expect(cellPrecision(steady(interval(1000, 0, 'none'), interval(20_000, 0, 'none')))).toBeNull();
  expect(cellPrecision(null)).toBeNull();
});

it("sums up the run: range, median, cells within the target, and cells without an interval", () => {
  const summaries = [
    steady(interval(1000, 30), interval(20_000, 200)), // 3%
    steady(interval(1000, 140), interval(20_000, 200)), // 14%
    steady(interval(1000, 50), interval(20_000, 1600)), // 8%
    steady(interval(1000, 0, 'none'), interval(20_000, 0, 'none')),
    null, // a failed cell: not measured, not counted
  ];
  const reached = runPrecision(summaries, 0.05)!;
  expect(reached).toEqual({
    cells: 3,
    lowest: expect.closeTo(0.03, 12),
    highest: expect.closeTo(0.14, 12),
    median: expect.closeTo(0.08, 12),
    withinTarget: 1,
    target: 0.05,
    withoutInterval: 1,
    scriptOnly: false,
  });
  expect(precisionLine(reached)).toBe(
    'Precision reached: ±3.0–14% (median 8.0%) of the mean at 95% confidence (throughput and p50, the wider of the two per cell); ' +
      '1 of 3 cells within ±5.0%; 1 cell without an interval (one value). For tighter intervals: --precision 5 --max-time 15m.',
  );
});

it('says one figure when every cell reached the same, and nothing for a run without an interval', () => {
  const same = runPrecision([steady(interval(1000, 16), interval(20_000, 0)), steady(interval(2000, 32), interval(20_000, 0))], 0.05)!;
  expect(precisionLine(same)).toBe(
    'Precision reached: ±1.6% of the mean at 95% confidence (throughput and p50, the wider of the two per cell); 2 of 2 cells within ±5.0%. For tighter intervals: a --precision below 5.0, with a longer --max-time.',
  );
  // A looser target that every cell reached: the hint is the publishing one.
  expect(precisionLine({ ...same, target: 0.1 })).toMatch(/2 of 2 cells within ±10%\. For tighter intervals: --precision 5 --max-time 15m\.$/);
  expect(runPrecision([null, steady(interval(1000, 0, 'none'), interval(20_000, 0, 'none'))], 0.05)).toBeNull();
});

it("names the worst client's completion when only the script ran", () => {
  const reached = runPrecision([scriptOnly(interval(300, 9)), scriptOnly(interval(200, 12))], 0.05)!;
  expect(precisionLine(reached)).toBe(
    "Precision reached: ±3.0–6.0% (median 4.5%) of the mean at 95% confidence (the worst client's completion); 1 of 2 cells within ±5.0%. For tighter intervals: --precision 5 --max-time 15m.",
  );
});
