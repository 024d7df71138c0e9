// The command line: yargs parses, harness/options validates, then one command
// runs. Usage problems print one line and exit with code 2.

import yargs from 'yargs';
import * as path from 'node:path';
import { StartError, UsageError } from './usage';
import { locateWine, runUnderWine } from './wine';
import { backend } from '../strategies/platform';
import {
  addressOption,
  DEFAULT_CLIENTS,
  defaults,
  integerOption,
  parseClientCounts,
  parseStrategies,
  parseStrategy,
  waitOrderOption,
  workloadOption,
} from './options';
import { DEFAULT_MAX_SESSIONS } from '../strategies/session';
import { serve } from '../strategies/server';
import { runCommand } from './run-command';
import { clientCommand } from './client-command';
import { IDLE_PROBE_MS } from './driver';
import { microCommand } from './micro';
import { probeMain, PROBE_SLEEP_MS } from './probe';
import { loadResults } from '../reports/load';
import { writeReport } from '../reports/report';

const workloadFlags = {
  workload: { type: 'string', default: 'transactions', describe: 'transactions (ADD, RETRIEVE, DELETE cycles) or batch (sets of ADDs then DELETEs)' },
  transactions: { type: 'number', default: defaults.transactions, describe: 'transactions per client (transactions workload)' },
  batches: { type: 'number', default: defaults.batches, describe: 'batches per client (batch workload)' },
  'batch-size': { type: 'number', default: defaults.batchSize, describe: 'ADDs, then DELETEs, per batch' },
  warmup: { type: 'number', default: defaults.warmup, describe: 'untimed, uncounted transactions each client runs before its script' },
  rate: { type: 'number', describe: 'open loop: transactions per second each client sends on a fixed schedule (default: closed loop, back to back)' },
} as const;

const serverFlags = {
  threads: { type: 'number', default: defaults.threads, describe: 'worker threads of the pooled strategy (iocp)' },
  capacity: { type: 'number', default: defaults.capacity, describe: 'store capacity in records' },
  'cpu-us': { type: 'number', default: 0, describe: 'CPU the server burns per transaction, in microseconds' },
  'store-latency-us': { type: 'number', default: 0, describe: 'time each transaction blocks inside the store, in microseconds' },
} as const;

function workloadSpec(argv: Record<string, unknown>) {
  return {
    workload: workloadOption(argv.workload),
    transactions: integerOption('transactions', argv.transactions, 1),
    batches: integerOption('batches', argv.batches, 1),
    batchSize: integerOption('batch-size', argv['batch-size'], 1),
    warmupTransactions: integerOption('warmup', argv.warmup, 0, 10_000_000),
    ratePerClientTps: argv.rate === undefined ? null : integerOption('rate', argv.rate, 1, 1_000_000),
  };
}

function serverKnobs(argv: Record<string, unknown>) {
  return {
    threads: integerOption('threads', argv.threads, 1, 1024),
    capacity: integerOption('capacity', argv.capacity, 1, 500_000_000),
    cpuUs: integerOption('cpu-us', argv['cpu-us'], 0, 10_000_000),
    storeLatencyUs: integerOption('store-latency-us', argv['store-latency-us'], 0, 10_000_000),
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
          y
            .options(workloadFlags)
            .options(serverFlags)
            .option('strategy', { type: 'string', describe: 'a strategy, a comma list, or all (default: all, or none with --external)' })
            .option('clients', { type: 'string', default: DEFAULT_CLIENTS.join(','), describe: 'client counts: a list (1,5,10,20) or a range (1-20), 1 to 256' })
            .option('out', { type: 'string', describe: 'output folder (default results/<timestamp>)' })
            .option('external', { type: 'string', describe: 'also run the clients against a server somebody else started at this address' })
            .option('label', { type: 'string', describe: 'name of the --external server in results' })
            .option('bail', { type: 'boolean', default: false, describe: 'stop at the first failed cell' })
            .option('repeat', { type: 'number', default: 1, describe: 'run each cell this many times, all trials interleaved in a shuffled order; report medians and 95% intervals' })
            .option('seed', { type: 'number', describe: 'seed of the trial order (default: random, recorded in results)' })
            .option('idle-probe-ms', { type: 'number', default: IDLE_PROBE_MS, describe: 'how long to measure the idle machine\'s responsiveness before the first cell (0: skip)' })
            .option('ready-timeout-ms', { type: 'number', default: 20000, describe: 'how long a server may take to get ready (or to stop)' })
            .option('connect-timeout-ms', { type: 'number', default: 30000, describe: 'how long clients may take to connect' })
            .option('cell-timeout-ms', { type: 'number', default: 600000, describe: 'how long one cell may run' })
            .option('wine', { type: 'boolean', default: false, describe: 'run the Win32 strategies: the same run by a Windows Node under Wine (Linux; set up with bash .ci/setup-wine.sh)' }),
        async (argv) => {
          if (argv.wine) {
            if (backend === 'win32') throw new UsageError('--wine runs the Windows build under Wine on Linux; this is Windows already');
            process.exitCode = await runUnderWine(locateWine(), args.filter((arg) => arg !== '--wine'));
            return;
          }
          const external = argv.external === undefined ? null : { address: addressOption('external', argv.external), label: argv.label ?? 'external' };
          if (argv.label !== undefined && external === null) throw new UsageError('--label names an --external server; give --external too');
          const strategies = argv.strategy === undefined ? (external ? [] : parseStrategies('all')) : parseStrategies(argv.strategy);
          await runCommand({
            ...workloadSpec(argv),
            ...serverKnobs(argv),
            strategies,
            clients: parseClientCounts(argv.clients),
            external,
            bail: argv.bail,
            repeat: integerOption('repeat', argv.repeat, 1, 1000),
            seed: argv.seed === undefined ? undefined : integerOption('seed', argv.seed, 0, 2 ** 32 - 1),
            idleProbeMs: integerOption('idle-probe-ms', argv['idle-probe-ms'], 0, 600_000),
            timeouts: {
              readyMs: integerOption('ready-timeout-ms', argv['ready-timeout-ms'], 100),
              connectMs: integerOption('connect-timeout-ms', argv['connect-timeout-ms'], 100),
              cellMs: integerOption('cell-timeout-ms', argv['cell-timeout-ms'], 1000),
            },
            commandLine: ['pipebench', ...args].map(quoteArg).join(' '),
            outDir: argv.out ?? path.join('results', new Date().toISOString().replace(/[:.]/g, '-')),
          });
        },
      )
      .command(
        'serve',
        'run one server in the foreground; prints "ready ADDRESS" when it accepts connections',
        (y) =>
          y
            .options(serverFlags)
            .option('strategy', { type: 'string', demandOption: true, describe: 'the strategy to serve with' })
            .option('address', { type: 'string', demandOption: true, describe: 'Unix socket path, or \\\\.\\pipe\\NAME on Windows' })
            .option('max-sessions', { type: 'number', default: DEFAULT_MAX_SESSIONS, describe: 'most clients served at once' })
            .option('wait-order', { type: 'string', default: 'fair', describe: 'Win32 overlapped: fair (every signalled instance each wait) or lowest-first (only the lowest index, as WaitForMultipleObjects returns it)' }),
        async (argv) => {
          await serve(parseStrategy(argv.strategy), {
            ...serverKnobs(argv),
            address: addressOption('address', argv.address),
            maxSessions: integerOption('max-sessions', argv['max-sessions'], 1, 65536),
            waitOrder: waitOrderOption(argv['wait-order']),
          });
        },
      )
      .command(
        'client',
        'run one client script against a server and print its report',
        (y) =>
          y
            .options(workloadFlags)
            .option('address', { type: 'string', demandOption: true, describe: 'the server address' })
            .option('index', { type: 'number', default: 0, describe: "this client's number (goes into its records)" })
            .option('connect-timeout-ms', { type: 'number', default: 10000, describe: 'keep retrying a server that is not there yet this long' })
            .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' }),
        async (argv) => {
          process.exitCode = await clientCommand(
            {
              ...workloadSpec(argv),
              address: addressOption('address', argv.address),
              clientIndex: integerOption('index', argv.index, 0, 1_000_000),
              connectTimeoutMs: integerOption('connect-timeout-ms', argv['connect-timeout-ms'], 0),
            },
            argv.json,
          );
        },
      )
      .command(
        'report <results>',
        'render report.html, the chart PNGs, summary.md and cells.csv again from a saved results.json',
        (y) =>
          y
            .positional('results', { type: 'string', demandOption: true, describe: 'a results.json written by pipebench run' })
            .option('out', { type: 'string', describe: 'output folder (default: the folder of the results file)' }),
        (argv) => {
          const file = path.resolve(argv.results);
          const { htmlPath, pngsSkipped } = writeReport(loadResults(file), argv.out ?? path.dirname(file));
          process.stderr.write(`report: ${htmlPath}\n`);
          if (pngsSkipped) process.stderr.write(`pipebench: warning: ${pngsSkipped}\n`);
        },
      )
      .command(
        'micro',
        "tinybench: one client's round trip (COUNT; ADD then DELETE) over the real transport, per strategy",
        (y) =>
          y
            .options(serverFlags)
            .option('strategy', { type: 'string', default: 'all', describe: 'a strategy, a comma list, or all' })
            .option('iterations', { type: 'number', default: 1000, describe: 'least iterations per task' })
            .option('time-ms', { type: 'number', default: 1000, describe: 'least time per task, in milliseconds' })
            .option('warmup-iterations', { type: 'number', default: 200, describe: 'untimed iterations per task first' })
            .option('out', { type: 'string', describe: 'output folder for micro.json (default results/micro-<timestamp>)' }),
        async (argv) => {
          await microCommand({
            ...serverKnobs(argv),
            strategies: parseStrategies(argv.strategy),
            iterations: integerOption('iterations', argv.iterations, 1, 100_000_000),
            timeMs: integerOption('time-ms', argv['time-ms'], 0, 3_600_000),
            warmupIterations: integerOption('warmup-iterations', argv['warmup-iterations'], 0, 100_000_000),
            outDir: argv.out ?? path.join('results', `micro-${new Date().toISOString().replace(/[:.]/g, '-')}`),
          });
        },
      )
      .command({
        command: 'probe',
        describe: false, // internal: the responsiveness probe the harness starts for every cell
        builder: (y) => y.option('sleep-ms', { type: 'number', default: PROBE_SLEEP_MS }),
        handler: (argv) => probeMain(integerOption('sleep-ms', argv['sleep-ms'], 1, 1000)),
      })
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
    if (error instanceof StartError && !process.env.PIPEBENCH_DEBUG) {
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
