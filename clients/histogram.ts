// Turnaround histograms: recorded in nanoseconds in each client, shipped to the
// harness compressed (as autocannon does), merged there.

import * as hdr from 'hdr-histogram-js';

const HOUR_NS = 3_600_000_000_000;

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 64, lowestDiscernibleValue: 1, highestTrackableValue: HOUR_NS, numberOfSignificantValueDigits: 3, autoResize: true });
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64, false);
}

export function mergeHistograms(encoded: string[]): Histogram {
  const merged = newHistogram();
  for (const one of encoded) merged.add(decodeHistogram(one));
  return merged;
}

const MINUTE_NS = 60_000_000_000;

/** A measuring window's histogram: two significant digits, 32-bit counts, up to a minute; small enough to keep one per window. */
export function newWindowHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: MINUTE_NS, numberOfSignificantValueDigits: 2, autoResize: true });
}
