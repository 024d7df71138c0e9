// RunOptions as JSON, checked: how `run --wine` hands the validated options of a
// run to the Windows node, never as flags to parse again.

import { array, integer, literal, nullable, object, string } from '../../contract/check';
import { knobsReader, MEASURE_KNOBS, RUN_KNOBS, SERVER_KNOBS, TIMEOUT_KNOBS, WORKLOAD_KNOBS } from '../../contract/knobs';
import { parseStrategies, RunOptions } from '../options';

export const RUN_OPTIONS_VERSION = 1;

const schema = object({
  version: literal(RUN_OPTIONS_VERSION),
  settings: knobsReader(RUN_KNOBS),
  options: object({
    strategies: array(string),
    clients: array(integer),
    external: nullable(object({ address: string, label: string, pid: nullable(integer) })),
    server: knobsReader(SERVER_KNOBS),
    workload: knobsReader(WORKLOAD_KNOBS),
    measurement: knobsReader(MEASURE_KNOBS),
    timeouts: knobsReader(TIMEOUT_KNOBS),
    commandLine: string,
    outDir: string,
  }),
});

export function writeRunOptions(options: RunOptions): string {
  const { bail, repeat, seed, idleProbeMs, precision, maxTimeMs, ...rest } = options;
  // Settings travel as their flags read them (percent, seconds), so the same knobs check them on arrival.
  const settings = { bail, repeat, seed, idleProbeMs, precision: precision === null ? 0 : precision * 100, maxTimeMs: `${maxTimeMs / 1000}s` };
  return JSON.stringify({ version: RUN_OPTIONS_VERSION, settings, options: rest });
}

/** The options of a run, checked; throws saying what is wrong. */
export function readRunOptions(json: unknown): RunOptions {
  const { settings, options } = schema(json, 'run options');
  // Strategy names are checked against this platform's catalog.
  return { ...settings, ...options, strategies: options.strategies.length ? parseStrategies(options.strategies.join(',')) : [] };
}
