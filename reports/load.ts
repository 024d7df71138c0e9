// Reads a saved results.json for `pipebench report`, refusing anything that is
// not one in the schema this pipebench reads: one clear line beats a chart of undefined.

import * as fs from 'node:fs';
import { ShapeError } from '../harness/schema/check';
import { readRunResults, RESULTS_SCHEMA_VERSION, RunResults } from '../harness/schema/results';
import { UsageError } from '../harness/usage';

export function loadResults(file: string): RunResults {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `results file ${file} does not exist` : `results file ${file} cannot be read: ${code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`results file ${file} is not JSON: ${(error as Error).message.replace(/\s+/g, ' ')}`);
  }
  try {
    return readRunResults(value, '');
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    // readRunResults names a wrong or missing version itself; a wrong shape of the right version names the field.
    const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
    const what = version === RESULTS_SCHEMA_VERSION ? ` is not a valid results file of schema version ${RESULTS_SCHEMA_VERSION}` : '';
    throw new UsageError(`${file}${what}: ${error.message}`);
  }
}
