// `npm run bench:clients` (`pipebench bench-clients`): what pipebench's client
// processes cost next to native ones (issue 21). Builds the C reference server
// and the native client (../shared/reference/ref-server.c, ref-load.c) and, in
// interleaved rounds (the order of each round shuffled with --seed), at each
// client count:
//   - the C server driven by native clients and by pipebench clients
//     (`run --external`, the steady phase only): throughput, client CPU per transaction;
//   - each pipebench strategy driven by native clients: throughput, server CPU per transaction.
// Then the tables, the pipebench/native ratios round by round, and the targets.
// A benchmark, not a test: a MISS still exits 0; something that could not run exits 1.

import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { platform } from '../../strategies/platform';
import { servesOneClientAtATime, type StrategyName } from '../../strategies/types';
import type { RunOptions } from '../options';
import { writeFilesTo } from '../output';
import { CLI_PATH } from '../paths';
import { loadResults } from '../schema/results-file';
import { writeRunOptions } from './run-options';
import { trialOrder } from '../run/trials';
import { cellVerdict } from '../measure/verdict';
import {
  clientTargets,
  failuresText,
  nativeLoad,
  NativeReading,
  nativeWindow,
  parseNativeClientLine,
  REFERENCE,
  referenceTable,
  SEQUENTIAL_NOTE,
  Sample,
  serversTable,
  targetsText,
} from '../measure/bench-clients';
import { BenchError, buildC, REFERENCE_DIR, startServer, stopServer } from './reference';

export interface BenchClientsOptions {
  rounds: number;
  clients: number[];
  strategies: StrategyName[];
  /** Transactions of a native load, shared among its clients. */
  nativeTransactions: number;
  /** The pipebench runs' options (external, client count, out folder are set per run). */
  run: RunOptions;
  seed: number | null;
  outDir: string;
}

/** One measurement of a round: a server and a load at a client count. */
interface Job {
  clients: number;
  server: string;
  load: 'native' | 'pipebench';
}

function jobsOf(options: BenchClientsOptions): Job[] {
  return options.clients.flatMap((clients) => [
    { clients, server: REFERENCE, load: 'native' as const },
    { clients, server: REFERENCE, load: 'pipebench' as const },
    ...options.strategies.map((server) => ({ clients, server, load: 'native' as const })),
  ]);
}

const live = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

// How long the clients of a native load run before its window opens, once each has sent a request.
const NATIVE_SETTLE_MS = 500;
// A reading this close before a client's exit was heard may already miss that client (its exit is heard late).
const NATIVE_EXIT_MARGIN_MS = 50;
// The shortest window a native load may be cut to: 20 ref-loads do over 30,000 transactions in it.
const NATIVE_WINDOW_MIN_MS = 1000;
// How often a native load is read inside its window: 20 ref-loads cost 20 clock reads and 40 small /proc reads a time.
const NATIVE_READ_EVERY_MS = 250;

/**
 * N native clients at once against `address`. Measured, like pipebench's measured
 * phase, over a window of `windowMs` in which every client runs from edge to edge
 * (nativeWindow): the window opens NATIVE_SETTLE_MS after the last client sent its
 * first request, and closes early (NATIVE_WINDOW_MIN_MS at least) when a client
 * ends. A server that serves one client at a time gets the sum of its clients' own
 * rates (nativeLoad), since they end one after the other.
 */
async function nativeRun(refLoad: string, address: string, serverPid: number, clients: number, transactions: number, windowMs: number, oneAtATime: boolean): Promise<Omit<Sample, 'round' | 'server' | 'load'>> {
  const perClient = Math.max(1, Math.floor(transactions / clients));
  const server = platform.openProcess(serverPid);
  const exitedAtMs: number[] = Array.from({ length: clients }, () => Infinity);
  const children = Array.from({ length: clients }, (_, i) => {
    const child = track(spawn(refLoad, [address, String(perClient)], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', () => (exitedAtMs[i] = performance.now()));
    // 'close', not 'exit': a client's last line can still be in its pipe when its exit is heard.
    const output = new Promise<string>((resolve) =>
      child.once('close', (code, signal) => resolve(out.trim() === '' ? `ref-load printed nothing (${signal ? `signal ${signal}` : `exit code ${code}`})` : out)),
    );
    return { child, output };
  });
  const allOutput = () => Promise.all(children.map((c) => c.output));
  let windowed: ReturnType<typeof nativeWindow> | null = null;
  let windowProblem: string | null = null;
  const serverBefore = server.cost();
  if (!oneAtATime || clients === 1) {
    try {
      const readers = children.map(({ child }) => platform.openProcess(child.pid!));
      const read = (): NativeReading => {
        const atMs = performance.now();
        const costs = readers.map((r) => r.cost());
        const serverCost = server.cost();
        return {
          atMs,
          clientBytes: readers.map((r) => r.bytesWritten()),
          clientCpuUs: costs.map((c) => c.cpuUserUs + c.cpuSystemUs),
          serverCpuUs: serverCost.cpuUserUs + serverCost.cpuSystemUs,
        };
      };
      const deadline = performance.now() + 30_000;
      while (!readers.every((r) => r.bytesWritten() > 0)) {
        if (exitedAtMs.some((t) => t < Infinity) || performance.now() > deadline) throw new Error('not every native client sent a request');
        await delay(10);
      }
      await delay(NATIVE_SETTLE_MS);
      // Read every NATIVE_READ_EVERY_MS until the window is over or a client ends (a server that
      // serves some clients faster lets them finish first): the window is then cut at the last
      // reading every client outlived.
      const readings: NativeReading[] = [read()];
      const endMs = readings[0].atMs + windowMs;
      while (exitedAtMs.every((t) => t === Infinity) && performance.now() < endMs) {
        await delay(Math.min(NATIVE_READ_EVERY_MS, Math.max(0, endMs - performance.now())));
        try {
          readings.push(read());
        } catch {
          break; // a client ended during the reading
        }
      }
      readers.forEach((r) => r.close());
      await allOutput();
      const firstExitMs = Math.min(...exitedAtMs);
      const outlived = readings.filter((r) => r.atMs + NATIVE_EXIT_MARGIN_MS < firstExitMs);
      const spanMs = outlived.length > 1 ? outlived[outlived.length - 1].atMs - outlived[0].atMs : 0;
      if (spanMs < Math.min(windowMs, NATIVE_WINDOW_MIN_MS)) windowProblem = `the first native client ended ${Math.round(firstExitMs - readings[0].atMs)} ms into the ${windowMs} ms window: raise --native-transactions`;
      else windowed = nativeWindow(outlived[0], outlived[outlived.length - 1]);
    } catch (error) {
      windowProblem = `native window not measured: ${(error as Error).message}`;
    }
  }
  const outputs = await allOutput();
  const serverAfter = server.cost();
  server.close();
  const lines = outputs.flatMap((out) => {
    try {
      return [parseNativeClientLine(out)];
    } catch {
      return [];
    }
  });
  const failed = clients - lines.length;
  const problem = windowProblem ?? outputs.find((out) => !/^\s*[\d.]+( [\d.]+){4} 0\s*$/.test(out))?.trim().split('\n').pop() ?? null;
  if (lines.length === 0) throw new BenchError(`no native client reported: ${outputs[0].trim()}`);
  const load = nativeLoad(lines);
  const errors = load.errors + failed + (windowProblem ? 1 : 0);
  if (windowed) return { clients, throughputTps: windowed.throughputTps, clientCpuUsPerTx: windowed.clientCpuUsPerTx, serverCpuUsPerTx: windowed.serverCpuUsPerTx, errors, problem };
  const serverUs = serverAfter.cpuUserUs + serverAfter.cpuSystemUs - serverBefore.cpuUserUs - serverBefore.cpuSystemUs;
  return { clients, throughputTps: load.throughputTps, clientCpuUsPerTx: load.clientCpuUsPerTx, serverCpuUsPerTx: serverUs / (perClient * lines.length), errors, problem };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `pipebench run --external` at one client count, one trial, the steady phase only: its figures from results.json. */
async function pipebenchRun(options: BenchClientsOptions, address: string, serverPid: number, clients: number, outDir: string): Promise<Omit<Sample, 'round' | 'server' | 'load'>> {
  const run: RunOptions = {
    ...options.run,
    strategies: [],
    clients: [clients],
    external: { address, label: REFERENCE, pid: serverPid },
    // Exactly one trial: the rounds, not --precision, give the spread here.
    repeat: 1,
    precision: null,
    idleProbeMs: 0,
    measurement: { ...options.run.measurement, mode: 'steady' },
    outDir,
  };
  // The validated options travel as JSON (as `run --wine` hands them over), never as flags to parse again.
  const [file] = writeFilesTo(path.dirname(outDir), [{ name: `${path.basename(outDir)}.options.json`, contents: writeRunOptions(run) }]);
  const child = track(spawn(process.execPath, [CLI_PATH, 'run-options', file], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  if (code !== 0 && code !== 1) throw new BenchError(`pipebench run ended with ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
  const problem = code === 1 ? (stderr.trim().split('\n').pop() ?? null) : null;
  const cell = loadResults(outDir).cells[0];
  const trial = cell?.trials[0];
  const steady = trial?.outcome === 'measured' ? trial.steady : null;
  // A failed trial (or none) counts as one error: shown in the output, left out of the figures.
  if (!cell || trial?.outcome !== 'measured' || !steady || steady.transactions === 0) return { clients, throughputTps: 0, clientCpuUsPerTx: null, serverCpuUsPerTx: null, errors: 1, problem };
  const errors = trial.errors.unexpectedStatus + trial.errors.mismatches + trial.errors.failedClients + (cellVerdict(cell).failed ? 1 : 0);
  return {
    clients,
    throughputTps: steady.throughputTps,
    clientCpuUsPerTx: steady.clientCpuUs / steady.transactions,
    serverCpuUsPerTx: steady.serverCost ? (steady.serverCost.cpuUserUs + steady.serverCost.cpuSystemUs) / steady.transactions : null,
    errors,
    problem: errors > 0 ? problem : null,
  };
}

export async function benchClients(options: BenchClientsOptions): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pipebench-clients-'));
  const killAll = () => live.forEach((child) => child.kill('SIGKILL'));
  process.once('exit', killAll); // whatever happens, no server or client is left behind
  const say = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const refServer = buildC(path.join(REFERENCE_DIR, 'ref-server.c'), work);
    const refLoad = buildC(path.join(REFERENCE_DIR, 'ref-load.c'), work);
    say(`bench:clients: built ${refServer} and ${refLoad} with cc -O2`);
    const referenceAddress = path.join(work, 'ref.sock');
    const reference = track(await startServer('C reference server', refServer, [referenceAddress]));
    const jobs = jobsOf(options);
    // The native loads' window is as long as pipebench's measured phase.
    const windowMs = options.run.measurement.measureWindows * options.run.measurement.windowMs;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    const samples: Sample[] = [];
    let step = 0;
    for (const planned of trialOrder(jobs.length, options.rounds, seed)) {
      const job = jobs[planned.cell];
      const round = planned.trial;
      step++;
      say(`bench:clients: ${step}/${jobs.length * options.rounds}: round ${round}, ${job.server} with ${job.clients} ${job.load} client(s)`);
      let figures: Omit<Sample, 'round' | 'server' | 'load'>;
      if (job.server === REFERENCE) {
        figures =
          job.load === 'native'
            ? await nativeRun(refLoad, referenceAddress, reference.pid!, job.clients, options.nativeTransactions, windowMs, false)
            : await pipebenchRun(options, referenceAddress, reference.pid!, job.clients, path.join(options.outDir, `round-${round}-${job.clients}-clients`));
      } else {
        const address = platform.uniqueAddress(job.server);
        const server = track(await startServer(`pipebench serve --strategy ${job.server}`, process.execPath, [CLI_PATH, 'serve', '--strategy', job.server, '--address', address]));
        try {
          figures = await nativeRun(refLoad, address, server.pid!, job.clients, options.nativeTransactions, windowMs, servesOneClientAtATime(job.server));
        } finally {
          await stopServer(server);
        }
      }
      samples.push({ round, server: job.server, load: job.load, ...figures });
    }
    await stopServer(reference);
    const text = [
      `pipebench bench-clients, ${new Date().toISOString()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${platform.label()}, seed ${seed}`,
      `${options.rounds} interleaved rounds; native loads of ${options.nativeTransactions} transactions a cell, measured over ${windowMs} ms in which every client ran (their requests counted from outside: bytes written); pipebench: one trial of run --external, steady phase of ${options.run.measurement.measureWindows} x ${options.run.measurement.windowMs} ms windows`,
      `pipebench clients talked to the server by ${platform.clientTransport()}`,
      'median (min-max) over the rounds; ratios are per round, pipebench / native, then their median (min-max)',
      '',
      'The C reference server (ref-server.c) driven by native and by pipebench clients:',
      referenceTable(samples, options.clients),
      '',
      'Every server driven by native clients (ref-load.c):',
      serversTable(samples, options.clients),
      ...(options.strategies.includes('sequential') && Math.max(...options.clients) > 1 ? [SEQUENTIAL_NOTE] : []),
      '',
      targetsText(clientTargets(samples, options.clients)),
      ...failuresText(samples),
      '',
    ].join('\n');
    process.stdout.write(`\n${text}`);
    const files = writeFilesTo(options.outDir, [
      { name: 'bench-clients.md', contents: `# pipebench bench-clients\n\n\`\`\`\n${text}\`\`\`\n` },
      { name: 'bench-clients.json', contents: `${JSON.stringify({ seed, options: { ...options, run: undefined }, samples }, null, 2)}\n` },
    ]);
    say(`bench:clients: ${files.join(', ')}`);
    return 0;
  } finally {
    killAll();
    process.off('exit', killAll);
    fs.rmSync(work, { recursive: true, force: true });
  }
}
