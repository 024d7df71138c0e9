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

// The V2 encoding (HdrHistogram's, as the library writes it): a header, then each bucket's
// count as a ZigZag LEB128 word, a negative word standing for that many empty buckets.
const V2_COOKIE_BASE = 0x1c849303;

interface ByteReader {
  position: number;
  getInt32(): number;
  getInt64(): number;
}
type ByteReaderClass = new (data: Uint8Array) => ByteReader;

/**
 * Adds an encoded histogram of newHistogram's or newWindowHistogram's buckets (three
 * significant digits from 1 ns) into `target`, bucket by bucket, without building it
 * first: decoding each client's windows into histograms of their own allocated ~200 KB
 * apiece, 0.15 s of the harness's time after every 20-client trial (2026-12-04 profile).
 */
export function addEncoded(target: Histogram, encoded: string): void {
  const { decompress } = codec();
  const ByteBuffer = (require('hdr-histogram-js/dist/ByteBuffer') as { default: ByteReaderClass }).default;
  const ZigZag = (require('hdr-histogram-js/dist/ZigZagEncoding') as { default: { decode(buffer: ByteReader): number } }).default;
  const buffer = new ByteBuffer(decompress(Buffer.from(encoded.trim(), 'base64')));
  if ((buffer.getInt32() & ~0xf0) !== V2_COOKIE_BASE) throw new Error('not a histogram in the V2 encoding');
  const payloadBytes = buffer.getInt32();
  buffer.getInt32(); // normalizing index offset (always 0)
  const digits = buffer.getInt32();
  const lowestNs = buffer.getInt64();
  buffer.getInt64(); // highest trackable value: the target grows as needed
  buffer.getInt64(); // integer-to-double ratio (always 1)
  // Same digits and lowest value: the same bucket at the same index, whatever the range.
  if (digits !== 3 || lowestNs !== 1) throw new Error(`a histogram of ${digits} digits from ${lowestNs} cannot be added bucket by bucket to one of 3 digits from 1`);
  const valueAt = (target as Histogram & { valueFromIndex(index: number): number }).valueFromIndex.bind(target);
  const end = buffer.position + payloadBytes;
  for (let index = 0; buffer.position < end; ) {
    const word = ZigZag.decode(buffer);
    if (word < 0) index -= word;
    else {
      if (word > 0) target.recordValueWithCount(valueAt(index), word);
      index++;
    }
  }
}

export function mergeHistograms(encoded: string[]): Histogram {
  const merged = newHistogram();
  for (const one of encoded) addEncoded(merged, one);
  return merged;
}
