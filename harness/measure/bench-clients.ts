// What `bench:clients` computes from its measurements, as pure functions: a native
// client's line (../shared/reference/ref-load.c), a cell's figures over its
// rounds (median and range), the pipebench-to-native ratios round by round (the
// rounds are interleaved, so each round's pair shares the machine's state), the
// targets of issue 21, and the tables.

import { textTable } from '../table';

/** What one ref-load process prints: `tx/s p50_us p99_us cpu_user_us_per_tx cpu_sys_us_per_tx errors`. */
export interface NativeClientLine {
  throughputTps: number;
  p50Us: number;
  p99Us: number;
  cpuUserUsPerTx: number;
  cpuSystemUsPerTx: number;
  errors: number;
}

/** Reads ref-load's one line; throws saying what is wrong with it. */
export function parseNativeClientLine(line: string): NativeClientLine {
  const fields = line.trim().split(/\s+/).map(Number);
  if (fields.length !== 6 || fields.some((v) => !Number.isFinite(v))) throw new Error(`ref-load printed "${line.trim()}", not six numbers`);
  const [throughputTps, p50Us, p99Us, cpuUserUsPerTx, cpuSystemUsPerTx, errors] = fields;
  return { throughputTps, p50Us, p99Us, cpuUserUsPerTx, cpuSystemUsPerTx, errors };
}

/**
 * N native clients started at once, each the same number of transactions, timed
 * each over its own loop: the load's throughput is the sum of their own rates,
 * its CPU per transaction their mean. Used only where a common window cannot be
 * had: a server that serves one client at a time (sequential), whose clients end
 * one after the other; its figure is then a sum of solo rates, which
 * SEQUENTIAL_NOTE says.
 */
export function nativeLoad(lines: readonly NativeClientLine[]): { throughputTps: number; clientCpuUsPerTx: number; errors: number } {
  return {
    throughputTps: sum(lines.map((l) => l.throughputTps)),
    clientCpuUsPerTx: sum(lines.map((l) => l.cpuUserUsPerTx + l.cpuSystemUsPerTx)) / lines.length,
    errors: sum(lines.map((l) => l.errors)),
  };
}

/** Bytes ref-load writes per ADD, RETRIEVE, DELETE cycle: requests of 4 + 8, 4 + 4 and 4 + 4 bytes. */
export const NATIVE_CYCLE_REQUEST_BYTES = 28;
export const NATIVE_CYCLE_TRANSACTIONS = 3;

/** One reading of a native load at an edge of its window, from outside the processes. */
export interface NativeReading {
  atMs: number;
  /** Each client's bytes written so far (its requests). */
  clientBytes: readonly number[];
  /** Each client's CPU so far (user + system), µs. */
  clientCpuUs: readonly number[];
  /** The server's CPU so far, µs. */
  serverCpuUs: number;
}

/**
 * A native load over a window in which every client ran from edge to edge, as
 * pipebench's measured phase is: transactions are the requests the clients wrote
 * in it (a cycle's bytes are fixed), CPU the clocks' differences. Summing each
 * client's own rate instead overstates a load whose clients start and end at
 * different moments (20 ref-loads against ref-server: 49–52k tx/s summed, 40k over
 * a common window, 2026-12-03).
 */
export function nativeWindow(before: NativeReading, after: NativeReading): { throughputTps: number; clientCpuUsPerTx: number; serverCpuUsPerTx: number; transactions: number } {
  if (before.clientBytes.length !== after.clientBytes.length) throw new Error(`${before.clientBytes.length} clients read before the window, ${after.clientBytes.length} after`);
  const seconds = (after.atMs - before.atMs) / 1000;
  if (!(seconds > 0)) throw new Error(`the window lasted ${after.atMs - before.atMs} ms`);
  const bytes = sum(after.clientBytes.map((b, i) => b - before.clientBytes[i]));
  const transactions = (bytes * NATIVE_CYCLE_TRANSACTIONS) / NATIVE_CYCLE_REQUEST_BYTES;
  if (transactions <= 0) throw new Error('no native client sent a request in the window');
  const clientCpuUs = sum(after.clientCpuUs.map((c, i) => c - before.clientCpuUs[i]));
  return {
    throughputTps: transactions / seconds,
    clientCpuUsPerTx: clientCpuUs / transactions,
    serverCpuUsPerTx: (after.serverCpuUs - before.serverCpuUs) / transactions,
    transactions,
  };
}

export type Load = 'native' | 'pipebench';

/** One measurement: a server driven by one kind of client at one client count, in one round. */
export interface Sample {
  round: number;
  clients: number;
  /** `c-reference` or a strategy's name. */
  server: string;
  load: Load;
  throughputTps: number;
  /** CPU of all clients over their transactions, per transaction; null when not measured. */
  clientCpuUsPerTx: number | null;
  /** The server's CPU per transaction; null when not measured. */
  serverCpuUsPerTx: number | null;
  /** Wrong answers and failed clients: a sample with errors is shown, never used for a ratio. */
  errors: number;
  /** What the first failed client or run said, when one failed. */
  problem: string | null;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

type Figure = 'throughputTps' | 'clientCpuUsPerTx' | 'serverCpuUsPerTx';

function valuesOf(samples: readonly Sample[], server: string, load: Load, clients: number, figure: Figure): number[] {
  return samples.filter((s) => s.server === server && s.load === load && s.clients === clients && s.errors === 0).flatMap((s) => (s[figure] === null ? [] : [s[figure]!]));
}

/** pipebench / native for the C server, round by round (rounds missing either side are left out). */
export function pairedRatios(samples: readonly Sample[], server: string, clients: number, figure: Figure): number[] {
  const side = (load: Load, round: number) => samples.find((s) => s.server === server && s.load === load && s.clients === clients && s.round === round && s.errors === 0)?.[figure] ?? null;
  const rounds = [...new Set(samples.map((s) => s.round))].sort((a, b) => a - b);
  return rounds.flatMap((round) => {
    const ours = side('pipebench', round);
    const native = side('native', round);
    return ours === null || native === null || native === 0 ? [] : [ours / native];
  });
}

export interface Target {
  what: string;
  goal: string;
  ratios: Spread | null;
  met: boolean;
}

export const REFERENCE = 'c-reference';
export const CPU_RATIO_GOAL = 1.25;
export const THROUGHPUT_RATIO_GOAL = 0.9;

/** Issue 21's targets, on the median of the per-round ratios: client CPU at every client count, the C server's throughput at the largest. */
export function clientTargets(samples: readonly Sample[], clientCounts: readonly number[]): Target[] {
  const targets: Target[] = clientCounts.map((clients) => {
    const ratios = spread(pairedRatios(samples, REFERENCE, clients, 'clientCpuUsPerTx'));
    return { what: `client CPU per transaction at ${clients} client(s), pipebench / native`, goal: `<= ${CPU_RATIO_GOAL}x`, ratios, met: ratios !== null && ratios.median <= CPU_RATIO_GOAL };
  });
  const largest = Math.max(...clientCounts);
  const ratios = spread(pairedRatios(samples, REFERENCE, largest, 'throughputTps'));
  targets.push({
    what: `C server's throughput at ${largest} clients, pipebench clients / native clients`,
    goal: `>= ${THROUGHPUT_RATIO_GOAL}x`,
    ratios,
    met: ratios !== null && ratios.median >= THROUGHPUT_RATIO_GOAL,
  });
  return targets;
}

const thousands = (v: number) => `${(v / 1000).toFixed(1)}k`;
const micro = (v: number) => v.toFixed(1);

function spreadText(s: Spread | null, format: (v: number) => string): string {
  if (s === null) return '-';
  return s.n === 1 ? format(s.median) : `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

function ratioText(s: Spread | null): string {
  return s === null ? '-' : s.n === 1 ? `${s.median.toFixed(2)}x` : `${s.median.toFixed(2)}x (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
}

/** The C server driven by each load: throughput and client CPU per transaction, median (range) over the rounds, and the ratios. */
export function referenceTable(samples: readonly Sample[], clientCounts: readonly number[]): string {
  const header = ['clients', 'load', 'C server tx/s', 'client CPU us/tx', 'server CPU us/tx'];
  const rows: string[][] = [];
  for (const clients of clientCounts) {
    for (const load of ['native', 'pipebench'] as const) {
      rows.push([
        String(clients),
        load === 'native' ? 'native (ref-load.c)' : 'pipebench',
        spreadText(spread(valuesOf(samples, REFERENCE, load, clients, 'throughputTps')), thousands),
        spreadText(spread(valuesOf(samples, REFERENCE, load, clients, 'clientCpuUsPerTx')), micro),
        spreadText(spread(valuesOf(samples, REFERENCE, load, clients, 'serverCpuUsPerTx')), micro),
      ]);
    }
    rows.push([
      String(clients),
      'pipebench / native',
      ratioText(spread(pairedRatios(samples, REFERENCE, clients, 'throughputTps'))),
      ratioText(spread(pairedRatios(samples, REFERENCE, clients, 'clientCpuUsPerTx'))),
      '',
    ]);
  }
  return textTable(header, rows);
}

/** Every server driven by native clients: throughput and server CPU per transaction, median (range). */
export function serversTable(samples: readonly Sample[], clientCounts: readonly number[]): string {
  const servers = [...new Set(samples.filter((s) => s.load === 'native').map((s) => s.server))];
  const header = ['server', ...clientCounts.flatMap((n) => [`${n} cl. tx/s`, `${n} cl. server CPU us/tx`])];
  const rows = servers.map((server) => [
    server,
    ...clientCounts.flatMap((clients) => [
      spreadText(spread(valuesOf(samples, server, 'native', clients, 'throughputTps')), thousands),
      spreadText(spread(valuesOf(samples, server, 'native', clients, 'serverCpuUsPerTx')), micro),
    ]),
  ]);
  return textTable(header, rows);
}

export const SEQUENTIAL_NOTE =
  "sequential serves its native clients one after the other: its tx/s above is the sum of their solo rates, not an aggregate (its server CPU per transaction holds).";

export function targetsText(targets: readonly Target[]): string {
  return targets.map((t) => `${t.met ? 'PASS' : 'MISS'}  ${t.what}: ${ratioText(t.ratios)} (target ${t.goal}, median of the rounds' ratios)`).join('\n');
}

/** Samples with errors, one line each: shown, never silently dropped. */
export function failuresText(samples: readonly Sample[]): string[] {
  return samples
    .filter((s) => s.errors > 0)
    .map((s) => `round ${s.round}: ${s.server} with ${s.clients} ${s.load} client(s): ${s.errors} error(s)${s.problem ? ` (${s.problem})` : ''}; left out of the figures`);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
