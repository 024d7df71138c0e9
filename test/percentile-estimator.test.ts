// One turnaround percentile estimator everywhere (issue 22, defects 5 and 6): a
// trial's p50/p99 are percentiles of its merged histogram (never means of
// per-window percentiles); across trials, the geometric mean of the trials'
// percentiles with a t interval on their logarithms, so it is never negative;
// the chart's curve is the same estimator at every percentile.

import { summarizeCells } from '../harness/measure/summarize';
import type { MeasuredTrial } from '../harness/schema/results';
import { cellOf, PARAMETERS, trial } from './support/synthetic-trials';

const T_2 = 4.302652729911275; // t(0.975, 2 df)

function withP99(number: number, p99Ns: number, windowP99Ns: number[]): MeasuredTrial & { outcome: 'measured' } {
  const t = trial({ trial: number, throughputTps: 1000, p50Ns: 50_000 });
  const steady = t.steady!;
  steady.latency = { ...steady.latency, p50Ns: 50_000, p99Ns };
  steady.windows = windowP99Ns.map((w) => ({ throughputTps: 1000, p50Ns: 50_000, p99Ns: w }));
  steady.percentiles = [
    { percentile: 50, valueNs: 50_000 },
    { percentile: 99, valueNs: p99Ns },
  ];
  return t;
}

it("one trial whose first window holds a 10 ms stall: p99 is the trial's own 10,002 µs, with no interval and nothing negative", () => {
  const stalled = withP99(1, 10_002_000, [10_002_000, ...Array.from({ length: 9 }, () => 100_000)]);
  const [cell] = summarizeCells([cellOf('iocp', 1, [stalled])], { ...PARAMETERS, repeat: 1 }, 2);
  const p99 = cell.summary!.steady!.p99Ns;
  expect(p99.mean).toBe(10_002_000);
  expect(p99.low).toBe(10_002_000);
  expect(p99.high).toBe(10_002_000);
});

it('trial p99s of 100, 100 and 5,001 µs: the table and the chart give the same p99, their geometric mean, with a positive interval', () => {
  const trials = [withP99(1, 100_000, [100_000]), withP99(2, 100_000, [100_000]), withP99(3, 5_001_000, [5_001_000])];
  const [cell] = summarizeCells([cellOf('iocp', 1, trials)], PARAMETERS, 2);
  const steady = cell.summary!.steady!;
  const logs = [Math.log(100_000), Math.log(100_000), Math.log(5_001_000)];
  const logMean = (logs[0] + logs[1] + logs[2]) / 3;
  const logSd = Math.sqrt(logs.reduce((s, v) => s + (v - logMean) ** 2, 0) / 2);
  expect(steady.p99Ns.mean / Math.cbrt(100_000 * 100_000 * 5_001_000)).toBeCloseTo(1, 9);
  expect(steady.p99Ns.low / Math.exp(logMean - (T_2 * logSd) / Math.sqrt(3))).toBeCloseTo(1, 9);
  expect(steady.p99Ns.high / Math.exp(logMean + (T_2 * logSd) / Math.sqrt(3))).toBeCloseTo(1, 9);
  expect(steady.p99Ns.low).toBeGreaterThan(0);
  expect(steady.percentiles.find((p) => p.percentile === 99)!.valueNs).toBeCloseTo(steady.p99Ns.mean, 3);
  expect(steady.percentiles.find((p) => p.percentile === 50)!.valueNs).toBeCloseTo(50_000, 6);
});
