// `npm run bench:compare` (harness/bench-reference.ts): every strategy against the C reference server
// (shared/reference/ref-server.c: one thread, epoll), in one run. Builds it with
// `cc -O2`, serves it, runs `pipebench run --strategy all --external` against it,
// and prints each strategy's throughput as a ratio to the reference, then the
// Linux targets as PASS or MISS. A benchmark, not a test: a MISS still exits 0;
// only something that failed to run exits non-zero.
//
// usage: node dist/harness/compare.js [--reference FILE.c] [--out DIR] [more `pipebench run` flags]

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResults } from '../schema/results';
import { cellVerdict } from '../measure/verdict';
import { compareEstimates } from '../measure/statistics';
import { textTable } from '../table';
import { CLI_PATH, SHARED_DIR } from '../paths';

const DEFAULT_REFERENCE = path.join(SHARED_DIR, 'reference', 'ref-server.c');
const LABEL = 'c-reference';
const CLIENTS = [1, 5, 10, 20];
const EVENT_STRATEGIES = ['overlapped', 'completion-routines', 'iocp'];
const TARGET_CLIENTS = 20;
const TARGET_VS_C = 0.8;
const TARGET_VS_NODE_NET = 1.3;
const READY_TIMEOUT_MS = 10000;

class CompareError extends Error {}

interface Arguments {
  reference: string;
  outDir: string | null;
  runFlags: string[];
}

function parseArguments(args: string[]): Arguments {
  const parsed: Arguments = { reference: DEFAULT_REFERENCE, outDir: null, runFlags: [] };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--reference' || args[i] === '--out') {
      const value = args[++i];
      if (value === undefined) throw new CompareError(`${args[i - 1]} needs a value`);
      if (args[i - 1] === '--reference') parsed.reference = value;
      else parsed.outDir = value;
    } else parsed.runFlags.push(args[i]);
  }
  return parsed;
}

function buildReference(source: string, dir: string): string {
  if (!fs.existsSync(source)) throw new CompareError(`C reference server source not found: ${source} (give --reference FILE.c)`);
  const binary = path.join(dir, 'ref-server');
  const built = spawnSync('cc', ['-O2', '-o', binary, source], { encoding: 'utf8' });
  if (built.error) {
    const code = (built.error as NodeJS.ErrnoException).code;
    throw new CompareError(code === 'ENOENT' ? 'no C compiler: `cc` is not on PATH (install gcc or clang)' : `cc failed to run: ${built.error.message}`);
  }
  if (built.status !== 0) throw new CompareError(`cc -O2 ${source} failed (exit ${built.status}):\n${built.stderr.trim()}`);
  return binary;
}

/** Starts the reference server and resolves once it printed "ready". */
function startReference(binary: string, address: string): Promise<ChildProcess> {
  const child = spawn(binary, [address], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new CompareError(`C reference server ${reason}${output ? `: ${output.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready/m.test(output)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
    child.once('error', (error) => fail(`failed to start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before it was ready`));
  });
}

function stopReference(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
}

let running: ChildProcess | null = null;

function runBenchmark(address: string, referencePid: number, outDir: string, runFlags: string[]): Promise<void> {
  // --external-pid: the reference's CPU and context switches are read like every strategy's.
  const args = [CLI_PATH, 'run', '--strategy', 'all', '--external', address, '--external-pid', String(referencePid), '--label', LABEL,
    '--clients', CLIENTS.join(','), '--out', outDir, ...runFlags];
  process.stdout.write(`$ node ${[path.relative(process.cwd(), CLI_PATH), ...args.slice(1)].join(' ')}\n`);
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  running = child;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new CompareError(`pipebench run ended with ${code ?? signal}`))));
  });
}

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

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pipebench-compare-'));
  const outDir = args.outDir ?? path.join(work, 'run');
  let reference: ChildProcess | null = null;
  let succeeded = false;
  const killReference = () => reference?.kill('SIGKILL');
  process.once('exit', killReference); // whatever happens, the reference server goes with us
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running?.kill('SIGINT'); // the run stops its own servers and clients
      process.exit(1);
    });
  }
  try {
    const binary = buildReference(args.reference, work);
    reference = await startReference(binary, path.join(work, 'ref.sock'));
    await runBenchmark(path.join(work, 'ref.sock'), reference.pid!, outDir, args.runFlags);
    const results = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8')) as RunResults;
    report(results);
    process.stdout.write(`\nresults: ${path.join(outDir, 'results.json')}\n`);
    succeeded = true;
  } finally {
    if (reference) await stopReference(reference);
    process.off('exit', killReference);
    // Keep only the run's results when they live in the temp folder.
    if (succeeded && args.outDir === null) {
      fs.rmSync(path.join(work, 'ref-server'), { force: true });
      fs.rmSync(path.join(work, 'ref.sock'), { force: true });
    } else fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:compare: ${error instanceof CompareError ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(1);
});
