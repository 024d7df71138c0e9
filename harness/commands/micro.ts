// `pipebench micro`: tinybench measures ONE client's round trip over the real
// client transport, per strategy: COUNT (no store change) and an ADD then DELETE
// pair (leaves the store as it found it). A server process per strategy, as in a run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Transport } from '../../clients/transport';
import { sayBye } from '../../clients/workloads';
import { Command, Status } from '../../strategies/protocol';
import { strategy as strategyDescriptor } from '../../strategies/catalog';
import { platform } from '../../strategies/platform';
import type { ServerKnobs, StrategyName } from '../../strategies/types';
import { DEFAULT_MAX_SESSIONS } from '../../strategies/session';
import { describeEnvironment } from '../schema/environment';
import { RunOutput } from '../output';
import type { Environment } from '../schema/results';
import { startServer } from '../processes/server-process';
import { textTable } from '../table';

export interface MicroOptions {
  strategies: StrategyName[];
  server: ServerKnobs;
  iterations: number;
  timeMs: number;
  warmupIterations: number;
  outDir: string;
}

export interface MicroTask {
  strategy: string;
  mechanism: string;
  task: string;
  samples: number;
  meanNs: number;
  p50Ns: number;
  p99Ns: number;
  minNs: number;
  maxNs: number;
  /** Relative margin of error of the mean at 95%, in percent. */
  rmePercent: number;
  opsPerSecond: number;
}

export interface MicroResults {
  tool: string;
  startedAt: string;
  environment: Environment;
  parameters: Omit<MicroOptions, 'outDir'>;
  tasks: MicroTask[];
}

const READY_TIMEOUT_MS = 20_000;

export async function microCommand(options: MicroOptions): Promise<void> {
  const output = new RunOutput(options.outDir);
  const results = await runMicro(options, output, (line) => process.stdout.write(`${line}\n`));
  process.stderr.write(`micro: ${output.writeFile('micro.json', JSON.stringify(results, null, 1) + '\n')}\n`);
}

export async function runMicro(options: MicroOptions, output: RunOutput, print: (text: string) => void): Promise<MicroResults> {
  // tinybench 6 is ESM only; tsconfig's node16 module mode keeps this a real import().
  const { Bench, version } = await loadTinybench();
  const { outDir: _outDir, ...parameters } = options;
  const results: MicroResults = { tool: `tinybench ${version}`, startedAt: new Date().toISOString(), environment: describeEnvironment(), parameters, tasks: [] };
  for (const name of options.strategies) {
    const descriptor = strategyDescriptor(name);
    const address = platform.uniqueAddress(`micro-${name}`);
    const server = await startServer(name, { address, maxSessions: DEFAULT_MAX_SESSIONS, knobs: options.server }, output.openLog(`micro-${name}-server.log`), READY_TIMEOUT_MS);
    let transport: Transport | undefined;
    try {
      transport = platform.connect(address, { timeoutMs: READY_TIMEOUT_MS });
      const bench = new Bench({ name, iterations: options.iterations, time: options.timeMs, warmupIterations: options.warmupIterations, throws: true });
      const t = transport;
      bench.add('COUNT', () => {
        t.request.setInt32(0, Command.COUNT, true);
        expectOk(t.roundTrip(4, 4), 'COUNT');
      });
      bench.add('ADD+DELETE', () => {
        t.request.setInt32(0, Command.ADD, true);
        t.request.setInt32(4, 7, true);
        t.request.setInt32(8, 8, true);
        expectOk(t.roundTrip(12, 4), 'ADD');
        const id = t.reply.getInt32(4, true);
        t.request.setInt32(0, Command.DELETE, true);
        t.request.setInt32(4, id, true);
        expectOk(t.roundTrip(8, 8), 'DELETE');
      });
      await bench.run();
      print(`${name} (${descriptor.mechanism}):`);
      const us = (ms: number) => (ms * 1000).toFixed(1);
      const rows = bench.tasks.map((task) => {
        const result = task.result;
        if (result.state !== 'completed') return [task.name, result.state];
        return [task.name, us(result.latency.mean), us(result.latency.p50), us(result.latency.p99), `±${result.latency.rme.toFixed(2)}`, String(result.latency.samplesCount)];
      });
      print(textTable(['task', 'mean us', 'p50 us', 'p99 us', 'rme %', 'samples'], rows));
      for (const task of bench.tasks) {
        const result = task.result;
        if (result.state !== 'completed') throw new Error(`${name} ${task.name}: tinybench task ${result.state}`);
        const latency = result.latency;
        results.tasks.push({
          strategy: name,
          mechanism: descriptor.mechanism,
          task: task.name,
          samples: latency.samplesCount,
          meanNs: latency.mean * 1e6,
          p50Ns: latency.p50 * 1e6,
          p99Ns: latency.p99 * 1e6,
          minNs: latency.min * 1e6,
          maxNs: latency.max * 1e6,
          rmePercent: latency.rme,
          opsPerSecond: result.throughput.mean,
        });
      }
      const bye = sayBye(transport);
      if (bye) throw new Error(`${name}: ${bye}`);
    } finally {
      transport?.close();
      await server.stop(READY_TIMEOUT_MS);
    }
  }
  return results;
}

async function loadTinybench() {
  const { Bench } = await import('tinybench');
  return { Bench, version: tinybenchVersion() };
}

// tinybench's exports map hides its package.json from require.resolve; look for it as Node would.
function tinybenchVersion(): string {
  for (const dir of module.paths) {
    const manifest = path.join(dir, 'tinybench', 'package.json');
    if (fs.existsSync(manifest)) return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
  }
  return 'unknown version';
}

function expectOk(status: number, what: string): void {
  if (status !== Status.OK) throw new Error(`${what} answered status ${status}`);
}
