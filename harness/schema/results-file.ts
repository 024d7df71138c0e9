// Reads a results.json written by `pipebench run` (given as the file or its run
// folder), refusing anything else with one clear line: a chart of undefined, or a
// comparison against a file of another schema version, helps nobody.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShapeError } from '../../contract/check';
import { readRunResults, RESULTS_SCHEMA_VERSION, RunResults } from './results';
import { UsageError } from '../../contract/usage';

export function resultsPathOf(fileOrFolder: string): string {
  const resolved = path.resolve(fileOrFolder);
  return fs.existsSync(resolved) && fs.statSync(resolved).isDirectory() ? path.join(resolved, 'results.json') : resolved;
}

export function loadResults(fileOrFolder: string): RunResults {
  const file = resultsPathOf(fileOrFolder);
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
