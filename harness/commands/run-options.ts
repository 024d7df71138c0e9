// RunOptions as JSON, checked: how `run --wine` hands the validated options of a
// run to the Windows node, never as flags to parse again.

import { array, boolean, integer, literal, nullable, object, string } from '../schema/check';
import { serverKnobsSchema, workloadSchema } from '../schema/messages';
import { measurementSchema } from '../schema/results';
import { parseStrategies, RunOptions } from '../options';

export const RUN_OPTIONS_VERSION = 1;

const schema = object({
  version: literal(RUN_OPTIONS_VERSION),
  options: object({
    bail: boolean,
    repeat: integer,
    seed: nullable(integer),
    idleProbeMs: integer,
    strategies: array(string),
    clients: array(integer),
    external: nullable(object({ address: string, label: string, pid: nullable(integer) })),
    server: serverKnobsSchema,
    workload: workloadSchema,
    measurement: measurementSchema,
    timeouts: object({ readyMs: integer, connectMs: integer, cellMs: integer }),
    commandLine: string,
    outDir: string,
  }),
});

export function writeRunOptions(options: RunOptions): string {
  return JSON.stringify({ version: RUN_OPTIONS_VERSION, options });
}

/** The options of a run, checked; throws saying what is wrong. */
export function readRunOptions(json: unknown): RunOptions {
  const { options } = schema(json, 'run options');
  // Strategy names are checked against this platform's catalog.
  return { ...options, strategies: options.strategies.length ? parseStrategies(options.strategies.join(',')) : [] };
}
