// Turnaround distributions: a histogram's summary and its percentile curve.

import type { Histogram } from '../../clients/histogram';
import type { LatencySummaryNs, PercentilePoint } from '../schema/results';

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
