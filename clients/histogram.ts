// Turnaround histograms: recorded in nanoseconds in each client, shipped to the
// harness compressed (as autocannon does), merged there. Only the two histogram
// classes are loaded up front, not the library's builder, which loads its
// WebAssembly build, pako and base64 with it (12 ms against 97 ms a process here,
// 2026-12-04); the codec loads when a histogram is first encoded or decoded, which
// a client does after its load is over (twenty clients at once on two cores each pay it).

import type { Histogram } from 'hdr-histogram-js';
import Float64Histogram from 'hdr-histogram-js/dist/Float64Histogram';
import Int32Histogram from 'hdr-histogram-js/dist/Int32Histogram';

export type { Histogram };

const HOUR_NS = 3_600_000_000_000;
/** The largest turnaround a window histogram holds without growing: a minute. */
export const WINDOW_HISTOGRAM_MAX_NS = 60_000_000_000;

/** 64-bit counts (hdr-histogram-js's bitBucketSize 64), three significant digits from 1 ns to an hour, growing past it. */
export function newHistogram(): Histogram {
  const histogram = new Float64Histogram(1, HOUR_NS, 3);
  histogram.autoResize = true;
  return histogram;
}

/**
 * A measuring window's histogram: the same buckets as newHistogram (three significant
 * digits from 1 ns), so merging windows into it is exact (issue 22 defect 9: two-digit
 * windows read up to 0.5 % low once merged); 32-bit counts up to a minute, 110 KB each.
 * The measured phase records each turnaround once, here; the phase's histogram is the
 * merge of its windows (mergeWindows).
 */
export function newWindowHistogram(): Histogram {
  const histogram = new Int32Histogram(1, WINDOW_HISTOGRAM_MAX_NS, 3);
  histogram.autoResize = true;
  return histogram;
}

/** Histograms of the same buckets added into one of newHistogram's: exact, no re-bucketing. */
export function mergeWindows(windows: readonly Histogram[]): Histogram {
  const merged = newHistogram();
  for (const window of windows) merged.add(window);
  return merged;
}

// The library's codec module (dist/encoding) loads its WebAssembly build too; this one
// encodes and decodes plain histograms with Node's zlib (43 ms against ~20 ms a process).
interface Codec {
  decompress(data: Uint8Array): Uint8Array;
  doDecode(data: Uint8Array, bitBucketSize: 64): Histogram;
}

function codec(): Codec {
  // Loading it also gives every histogram its encodeIntoCompressedBase64.
  return require('hdr-histogram-js/dist/JsHistogram.encoding') as Codec;
}

/** Every histogram here is one of the library's JS histograms, which the codec gives this method. */
type Encodable = Histogram & { encodeIntoCompressedBase64(): string };

export function encodeHistogram(histogram: Histogram): string {
  codec();
  return (histogram as Encodable).encodeIntoCompressedBase64();
}

export function decodeHistogram(encoded: string): Histogram {
  const { decompress, doDecode } = codec();
  return doDecode(decompress(Buffer.from(encoded.trim(), 'base64')), 64);
}

export function mergeHistograms(encoded: string[]): Histogram {
  const merged = newHistogram();
  for (const one of encoded) merged.add(decodeHistogram(one));
  return merged;
}
