// The harness adds each client's encoded histograms into one, bucket by bucket
// (addEncoded): the result must be the histogram of every value recorded, as if
// they had been recorded into one histogram directly (the library's own record).

import { addEncoded, encodeHistogram, mergeHistograms, newHistogram, newWindowHistogram } from '../clients/histogram';
import Float64Histogram from 'hdr-histogram-js/dist/Float64Histogram';

// [turnaround ns, how many times]: runs of empty buckets between them, one beyond a window histogram's minute (it grows).
const CLIENT_A: Array<[number, number]> = [[42, 7], [1_000, 100], [1_234_567, 3], [5_000_000, 3]];
const CLIENT_B: Array<[number, number]> = [[1_001, 20], [250_000, 50], [70_000_000_000, 1]];

function windowHistogram(values: Array<[number, number]>): string {
  const histogram = newWindowHistogram();
  for (const [valueNs, times] of values) histogram.recordValueWithCount(valueNs, times);
  return encodeHistogram(histogram);
}

function figures(histogram: ReturnType<typeof newHistogram>) {
  return {
    totalCount: histogram.totalCount,
    minNonZeroValue: histogram.minNonZeroValue,
    mean: histogram.mean,
    percentiles: [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100].map((p) => histogram.getValueAtPercentile(p)),
  };
}

it('merges two clients into the histogram of all their values', () => {
  const direct = newHistogram();
  for (const [valueNs, times] of [...CLIENT_A, ...CLIENT_B]) direct.recordValueWithCount(valueNs, times);
  const merged = mergeHistograms([windowHistogram(CLIENT_A), windowHistogram(CLIENT_B)]);
  expect(figures(merged)).toEqual(figures(direct));
  expect(merged.totalCount).toBe(7 + 100 + 3 + 3 + 20 + 50 + 1);
  // The encoding keeps buckets, not values: the largest reads as its bucket's lower edge, within three digits.
  expect(merged.maxValue).toBeLessThanOrEqual(70_000_000_000);
  expect(merged.maxValue).toBeGreaterThan(70_000_000_000 * 0.999);
});

it('adds into a histogram that already holds values', () => {
  const target = newHistogram();
  target.recordValueWithCount(1_000, 5);
  addEncoded(target, windowHistogram(CLIENT_A));
  expect(target.totalCount).toBe(118);
  // 105 of 118 at or below 1,000 ns (7 at 42, 5 + 100 at 1,000); the next 3 at 1,234,567.
  expect(target.getValueAtPercentile((112 / 118) * 100)).toBe(1_000);
  expect(target.getValueAtPercentile((113 / 118) * 100)).toBeGreaterThan(1_234_000);
});

it('refuses a histogram of other buckets rather than misplace its counts', () => {
  const twoDigits = new Float64Histogram(1, 3_600_000_000_000, 2);
  twoDigits.recordValue(1_234_567);
  expect(() => addEncoded(newHistogram(), encodeHistogram(twoDigits))).toThrow('a histogram of 2 digits from 1 cannot be added bucket by bucket to one of 3 digits from 1');
});

it('refuses what is not an encoded histogram', () => {
  expect(() => addEncoded(newHistogram(), Buffer.from('not a histogram at all').toString('base64'))).toThrow();
});
