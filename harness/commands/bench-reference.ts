// `npm run bench:compare` (`pipebench bench-compare`): every strategy against the C
// reference server (../shared/reference/ref-server.c: one thread, epoll), in one
// run. Builds it with `cc -O2`, serves it, runs the benchmark with it as the
// --external server (its CPU read through --external-pid), and prints each
// strategy's throughput as a ratio to the reference, then the Linux targets as
// PASS or MISS. A benchmark, not a test: a MISS still exits 0; only something
// that failed to run exits non-zero.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResults } from '../schema/results';
import type { RunOptions } from '../options';
import { loadResults } from '../schema/results-file';
import { cellVerdict } from '../measure/verdict';
import { compareEstimates } from '../measure/statistics';
import { textTable } from '../table';
import { runCommand } from './run-command';
import { buildC, REFERENCE_DIR, startServer, stopServer } from './reference';

export const DEFAULT_REFERENCE = path.join(REFERENCE_DIR, 'ref-server.c');
const LABEL = 'c-reference';
const EVENT_STRATEGIES = ['overlapped', 'completion-routines', 'iocp'];
const TARGET_CLIENTS = 20;
const TARGET_VS_C = 0.8;
const TARGET_VS_NODE_NET = 1.3;

function report(results: RunResults): void {
  const estimate = (strategy: string, clients: number) =>
    results.cells.find((cell) => cell.strategy === strategy && cell.clients === clients)?.summary?.steady?.throughputTps ?? null;
  const tps = (strategy: string, clients: number) => estimate(strategy, clients)?.mean ?? null;
  const failed = results.cells.filter((cell) => cellVerdict(cell).failed);
  const strategies = [...new Set(results.cells.map((cell) => cell.strategy))];
  const clientCounts = [...new Set(results.cells.map((cell) => cell.clients))].sort((a, b) => a - b);

  const ratio = (value: number | null, base: number | null) => (value === null || base === null || base === 0 ? null : value / base);
  const cellText = (strategy: string, clients: number) => {
    const value = tps(strategy, clients);
    const r = ratio(value, tps(LABEL, clients));
    return value === null ? 'failed' : `${Math.round(value).toLocaleString('en-US')} (${r === null ? '?' : `${r.toFixed(2)}x`})`;
  };
  const header = ['strategy', ...clientCounts.map((n) => `${n} clients: tps (x C)`)];
  const rows = strategies.map((strategy) => [strategy, ...clientCounts.map((n) => cellText(strategy, n))]);
  process.stdout.write(`\nAggregate throughput, and its ratio to the C reference at the same client count:\n${textTable(header, rows)}\n`);
  for (const cell of failed) process.stdout.write(`failed: ${cell.strategy} x ${cell.clients}: ${cellVerdict(cell).reason}\n`);

  const best = EVENT_STRATEGIES.map((name) => ({ name, tps: tps(name, TARGET_CLIENTS) }))
    .filter((entry): entry is { name: string; tps: number } => entry.tps !== null)
    .sort((a, b) => b.tps - a.tps)[0];
  // A ratio is a point estimate: say whether it differs from 1 beyond the noise (Welch's t on the two cells).
  const target = (what: string, base: string, goal: number) => {
    const value = ratio(best?.tps ?? null, tps(base, TARGET_CLIENTS));
    const verdict = value === null ? 'MISS (not measured)' : value >= goal ? 'PASS' : 'MISS';
    const baseEstimate = estimate(base, TARGET_CLIENTS);
    const bestEstimate = best ? estimate(best.name, TARGET_CLIENTS) : null;
    const comparison = baseEstimate && bestEstimate ? compareEstimates(baseEstimate, bestEstimate) : null;
    const noise = comparison === null ? '' : comparison.significant ? `; differs from 1x, p = ${comparison.pValue.toFixed(2)}` : `; no significant difference from 1x, p = ${comparison.pValue.toFixed(2)}`;
    process.stdout.write(`${verdict.padEnd(4)}  ${what}: ${value === null ? '-' : `${value.toFixed(2)}x`} (target >= ${goal}x${noise})\n`);
  };
  process.stdout.write(`\nTargets at ${TARGET_CLIENTS} clients (best event strategy: ${best ? best.name : 'none measured'}):\n`);
  target('best of overlapped/completion-routines/iocp vs C reference', LABEL, TARGET_VS_C);
  target('best of overlapped/completion-routines/iocp vs node-net', 'node-net', TARGET_VS_NODE_NET);
}

/** Runs `options` with the C reference server (built from `source`) as its --external server; returns the run's exit code. */
export async function benchCompare(options: RunOptions, source: string): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pipebench-compare-'));
  const address = path.join(work, 'ref.sock');
  const binary = buildC(source, work);
  const reference = await startServer('C reference server', binary, [address]);
  const killReference = () => reference.kill('SIGKILL');
  process.once('exit', killReference); // whatever happens, the reference server goes with us
  try {
    const exitCode = await runCommand({ ...options, external: { address, label: LABEL, pid: reference.pid! } });
    report(loadResults(options.outDir));
    return exitCode;
  } finally {
    await stopServer(reference);
    process.off('exit', killReference);
    fs.rmSync(work, { recursive: true, force: true });
  }
}
