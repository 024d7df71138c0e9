// Pure statistics over client reports: latency summaries, fairness, throughput.

import type { Histogram } from '../clients/histogram';
import type { LatencySummaryNs, PercentilePoint } from './results';

/** Jain's fairness index: (sum x)^2 / (n * sum x^2); 1 when every client got the same share. */
export function jainIndex(values: number[]): number {
  if (values.length === 0) return 1;
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
  }
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}

export function summarizeLatency(histogram: Histogram): LatencySummaryNs {
  const empty = histogram.totalCount === 0;
  return {
    meanNs: empty ? 0 : histogram.mean,
    p50Ns: histogram.getValueAtPercentile(50),
    p90Ns: histogram.getValueAtPercentile(90),
    p99Ns: histogram.getValueAtPercentile(99),
    p999Ns: histogram.getValueAtPercentile(99.9),
    maxNs: histogram.maxValue,
    minNs: empty ? 0 : histogram.minNonZeroValue,
    stdDevNs: empty ? 0 : histogram.stdDeviation,
  };
}

/** The percentile curve for distribution charts, denser towards the tail. */
export const CURVE_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];

export function percentileCurve(histogram: Histogram): PercentilePoint[] {
  if (histogram.totalCount === 0) return [];
  return CURVE_PERCENTILES.map((percentile) => ({
    percentile,
    valueNs: percentile === 0 ? histogram.minNonZeroValue : histogram.getValueAtPercentile(percentile),
  }));
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
