// The command line: yargs parses flags declared once in harness/options.ts, and
// each command reads ONE validated options object out of them and runs. Usage
// problems print one line and exit with code 2.

import yargs, { Argv } from 'yargs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StartError, UsageError } from '../contract/usage';
import { locateWine, runUnderWine } from './commands/wine';
import { platform } from '../strategies/platform';
import { integer, integerOption, MEASURE_KNOBS, readKnobs, RUN_KNOBS, SERVER_KNOBS, TIMEOUT_KNOBS, WORKLOAD_KNOBS, yargsOptions } from '../contract/knobs';
import { addressOption, DEFAULT_CLIENTS, parseClientCounts, parseStrategies, parseStrategy, RunOptions } from './options';
import { DEFAULT_MAX_SESSIONS } from '../strategies/session';
import { serve } from '../strategies/server';
import { runCommand } from './commands/run-command';
import { clientCommand } from './commands/client-command';
import { microCommand } from './commands/micro';
import { loadResults, resultsPathOf } from './schema/results-file';
import { writeReport } from '../reports/report';
import { readRunOptions } from './commands/run-options';
import { compareCommand, percentOption } from './commands/compare-command';
import { DEFAULT_NOISE_THRESHOLD } from './measure/compare';
import { benchCompare, DEFAULT_REFERENCE } from './commands/bench-reference';
import { benchStability } from './commands/bench-stability';
import { benchClients } from './commands/bench-clients';
import { BenchError } from './commands/reference';

const MAX_SESSIONS = integer('max-sessions', 'most clients served at once', 1, 65536, DEFAULT_MAX_SESSIONS);
const CLIENT_INDEX = integer('index', "this client's number (goes into its records)", 0, 1_000_000, 0);
const CLIENT_WARMUP = integer('warmup', 'untimed transactions before the script', 0, 10_000_000, 100);
const CLIENT_CONNECT_TIMEOUT = integer('connect-timeout-ms', 'keep retrying a server that is not there yet this long', 0, Number.MAX_SAFE_INTEGER, 10000);
const MICRO = {
  iterations: integer('iterations', 'least iterations per task', 1, 100_000_000, 1000),
  timeMs: integer('time-ms', 'least time per task, in milliseconds', 0, 3_600_000, 1000),
  warmupIterations: integer('warmup-iterations', 'untimed iterations per task first', 0, 100_000_000, 200),
};

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

const BENCH_RUNS = integer('runs', 'runs of the benchmark, back to back', 2, 100, 3);
const BENCH_ROUNDS = integer('rounds', 'interleaved rounds of every measurement', 1, 100, 3);
const NATIVE_TRANSACTIONS = integer('native-transactions', 'transactions of each native load, shared among its clients: enough for every client to outlast the window', 100, 100_000_000, 400_000);

/** The flags of a run, shared by `run` and the bench commands (which start with a run's options). */
function runFlags<T>(y: Argv<T>) {
  return y
    .options(yargsOptions(WORKLOAD_KNOBS))
    .options(yargsOptions(SERVER_KNOBS))
    .options(yargsOptions(RUN_KNOBS))
    .options(yargsOptions(MEASURE_KNOBS))
    .options(yargsOptions(TIMEOUT_KNOBS))
    .option('strategy', { type: 'string', describe: 'a strategy, a comma list, or all (default: all, or none with --external)' })
    .option('clients', { type: 'string', default: DEFAULT_CLIENTS.join(','), describe: 'client counts: a list (1,5,10,20) or a range (1-20), 1 to 256' })
    .option('out', { type: 'string', describe: 'output folder (default results/<timestamp>)' });
}

/** `pipebench run`'s options from its flags; `args` is the command line as typed. */
function runOptionsOf(argv: Record<string, unknown>, args: string[]): RunOptions {
  const externalAddress = argv.external === undefined ? null : addressOption('external', argv.external);
  const label = argv.label as string | undefined;
  if (label !== undefined && externalAddress === null) throw new UsageError('--label names an --external server; give --external too');
  const pid = argv['external-pid'] === undefined ? null : integerOption('external-pid', argv['external-pid'], 1, 2 ** 31 - 1);
  if (pid !== null && externalAddress === null) throw new UsageError('--external-pid names the process of an --external server; give --external too');
  const external = externalAddress === null ? null : { address: externalAddress, label: label ?? 'external', pid };
  const strategies = argv.strategy === undefined ? (external ? [] : parseStrategies('all')) : parseStrategies(String(argv.strategy));
  return {
    ...readKnobs(RUN_KNOBS, argv),
    strategies,
    clients: parseClientCounts(String(argv.clients)),
    external,
    server: readKnobs(SERVER_KNOBS, argv),
    workload: readKnobs(WORKLOAD_KNOBS, argv),
    measurement: readKnobs(MEASURE_KNOBS, argv),
    timeouts: readKnobs(TIMEOUT_KNOBS, argv),
    commandLine: ['pipebench', ...args].map(quoteArg).join(' '),
    outDir: path.resolve(argv.out === undefined ? path.join('results', timestamp()) : String(argv.out)),
  };
}

export async function main(args: string[]): Promise<void> {
  try {
    await yargs(args)
      .scriptName('pipebench')
      .command(
        ['run', '$0'],
        'run the benchmark matrix: every strategy x every client count (the default command)',
        (y) =>
          runFlags(y)
            .option('external', { type: 'string', describe: 'also run the clients against a server somebody else started at this address' })
            .option('label', { type: 'string', describe: 'name of the --external server in results' })
            .option('external-pid', { type: 'number', describe: 'the process of the --external server: its CPU, threads and memory are then measured like ours' })
            .option('wine', { type: 'boolean', default: false, describe: 'run the Win32 strategies: the same run by a Windows Node under Wine (Linux; set up with bash .ci/setup-wine.sh)' }),
        async (argv) => {
          if (argv.wine && platform.name === 'win32') throw new UsageError('--wine runs the Windows build under Wine on Linux; this is Windows already');
          const setup = argv.wine ? locateWine() : null;
          const options = runOptionsOf(argv, args);
          process.exitCode = setup ? await runUnderWine(setup, options) : await runCommand(options);
        },
      )
      .command({
        command: 'run-options <file>',
        describe: false, // internal: `run --wine` hands the Windows node its validated options as one JSON file
        builder: (y) => y.positional('file', { type: 'string', demandOption: true }).option('report', { type: 'boolean', default: false }),
        handler: async (argv) => {
          const options = readRunOptions(JSON.parse(fs.readFileSync(argv.file, 'utf8')));
          // Under --wine the Linux host renders the report: the canvas does not load in Wine's node.exe.
          process.exitCode = await runCommand(options, { report: argv.report });
        },
      })
      .command(
        'serve',
        'run one server in the foreground; prints "ready ADDRESS" when it accepts connections',
        (y) =>
          y
            .options(yargsOptions(SERVER_KNOBS))
            .options(yargsOptions({ maxSessions: MAX_SESSIONS }))
            .option('strategy', { type: 'string', demandOption: true, describe: 'the strategy to serve with' })
            .option('address', { type: 'string', demandOption: true, describe: 'Unix socket path, or \\\\.\\pipe\\NAME on Windows' }),
        async (argv) => {
          const { maxSessions } = readKnobs({ maxSessions: MAX_SESSIONS }, argv);
          await serve(parseStrategy(String(argv.strategy)), { address: addressOption('address', argv.address), maxSessions, knobs: readKnobs(SERVER_KNOBS, argv) }, null);
        },
      )
      .command(
        'client',
        'run one client script against a server and print its report',
        (y) =>
          y
            .options(yargsOptions(WORKLOAD_KNOBS))
            .options(yargsOptions({ clientIndex: CLIENT_INDEX, connectTimeoutMs: CLIENT_CONNECT_TIMEOUT, warmup: CLIENT_WARMUP }))
            .option('address', { type: 'string', demandOption: true, describe: 'the server address' })
            .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' }),
        async (argv) => {
          const { clientIndex, connectTimeoutMs, warmup } = readKnobs({ clientIndex: CLIENT_INDEX, connectTimeoutMs: CLIENT_CONNECT_TIMEOUT, warmup: CLIENT_WARMUP }, argv);
          process.exitCode = clientCommand({ address: addressOption('address', argv.address), clientIndex, connectTimeoutMs, workload: readKnobs(WORKLOAD_KNOBS, argv), measureWindows: 0 }, warmup, argv.json);
        },
      )
      .command(
        'report <results>',
        'render report.html, the chart PNGs, summary.md and cells.csv again from a saved results.json',
        (y) =>
          y
            .positional('results', { type: 'string', demandOption: true, describe: 'a results.json written by pipebench run, or its run folder' })
            .option('out', { type: 'string', describe: 'output folder (default: the folder of the results file)' }),
        (argv) => {
          // A run folder or its results.json: the report goes beside the file it was read from.
          const file = resultsPathOf(path.resolve(argv.results));
          const { htmlPath, pngsSkipped } = writeReport(loadResults(file), argv.out ?? path.dirname(file));
          process.stderr.write(`report: ${htmlPath}\n`);
          if (pngsSkipped) process.stderr.write(`pipebench: warning: ${pngsSkipped}\n`);
        },
      )
      .command(
        'compare <base> <new>',
        'compare two runs cell by cell (results.json files or run folders): the change of throughput, p50 and p99 where it is significant, "~" where not',
        (y) =>
          y
            .positional('base', { type: 'string', demandOption: true, describe: 'the run to compare against' })
            .positional('new', { type: 'string', demandOption: true, describe: 'the run to compare' })
            .option('fail-on-regression', { type: 'number', describe: 'exit 1 when any figure regressed significantly by more than this many percent' })
            .option('threshold', { type: 'number', default: DEFAULT_NOISE_THRESHOLD * 100, describe: 'changes smaller than this many percent count as no change' })
            .option('out', { type: 'string', describe: 'markdown file (default: compare.md beside the new results)' }),
        (argv) => {
          const failOn = argv['fail-on-regression'] === undefined ? null : percentOption('fail-on-regression', argv['fail-on-regression']);
          process.exitCode = compareCommand(String(argv.base), String(argv.new), percentOption('threshold', argv.threshold) / 100, failOn, argv.out);
        },
      )
      .command(
        'micro',
        "tinybench: one client's round trip (COUNT; ADD then DELETE) over the real transport, per strategy",
        (y) =>
          y
            .options(yargsOptions(SERVER_KNOBS))
            .options(yargsOptions(MICRO))
            .option('strategy', { type: 'string', default: 'all', describe: 'a strategy, a comma list, or all' })
            .option('out', { type: 'string', describe: 'output folder for micro.json (default results/micro-<timestamp>)' }),
        async (argv) => {
          await microCommand({
            ...readKnobs(MICRO, argv),
            strategies: parseStrategies(String(argv.strategy)),
            server: readKnobs(SERVER_KNOBS, argv),
            outDir: argv.out ?? path.join('results', `micro-${timestamp()}`),
          });
        },
      )
      .command(
        'bench-compare',
        'every strategy and the C reference server (../shared/reference/ref-server.c, built with cc) in one run, and each strategy as a ratio to it',
        (y) => runFlags(y).option('reference', { type: 'string', default: DEFAULT_REFERENCE, describe: 'the C server to build and compare with' }),
        async (argv) => {
          const options = runOptionsOf({ ...argv, strategy: argv.strategy ?? 'all' }, args);
          process.exitCode = await benchCompare(options, path.resolve(argv.reference));
        },
      )
      .command(
        'bench-stability',
        'the same run several times back to back: how much each cell and each headline claim moves between runs',
        (y) =>
          runFlags(y).options(yargsOptions({ runs: BENCH_RUNS })),
        async (argv) => {
          const { runs } = readKnobs({ runs: BENCH_RUNS }, argv);
          const outDir = path.resolve(argv.out === undefined ? path.join('results', `stability-${timestamp()}`) : String(argv.out));
          await benchStability(runOptionsOf({ ...argv, out: outDir }, args), runs, outDir);
        },
      )
      .command(
        'bench-clients',
        "what pipebench's clients cost beside native ones (../shared/reference/ref-load.c): the C server driven by both, every strategy driven by native clients, in interleaved rounds",
        (y) =>
          runFlags(y)
            .options(yargsOptions({ rounds: BENCH_ROUNDS, nativeTransactions: NATIVE_TRANSACTIONS }))
            .default('clients', '1,20')
            .default('measure-windows', 30),
        async (argv) => {
          const { rounds, nativeTransactions } = readKnobs({ rounds: BENCH_ROUNDS, nativeTransactions: NATIVE_TRANSACTIONS }, argv);
          const outDir = path.resolve(argv.out === undefined ? path.join('results', `clients-${timestamp()}`) : String(argv.out));
          const run = runOptionsOf({ ...argv, strategy: 'all', out: outDir }, args);
          process.exitCode = await benchClients({
            rounds,
            clients: run.clients,
            strategies: parseStrategies(argv.strategy === undefined ? 'all' : String(argv.strategy)),
            nativeTransactions,
            run,
            seed: run.seed,
            outDir,
          });
        },
      )
      .strict()
      .help()
      .version(false)
      .fail((message, error) => {
        throw error ?? new UsageError(message);
      })
      .parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`pipebench: ${error.message}\n`);
      process.exit(2);
    }
    if ((error instanceof StartError || error instanceof BenchError) && !process.env.PIPEBENCH_DEBUG) {
      process.stderr.write(`pipebench: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`pipebench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

if (require.main === module) void main(process.argv.slice(2));
