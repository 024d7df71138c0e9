// Reads a saved results.json for `pipebench report`, refusing anything that is
// not one: a clear UsageError beats a chart of undefined.

import * as fs from 'node:fs';
import { UsageError } from '../harness/usage';
import { RESULTS_SCHEMA_VERSION, RunResults } from '../harness/results';

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
  if (value === null || typeof value !== 'object' || !('schemaVersion' in value)) throw new UsageError(`${file} is not a pipebench results file (no schemaVersion)`);
  const results = value as RunResults;
  if (results.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new UsageError(`${file} has results schema version ${JSON.stringify(results.schemaVersion)}; this pipebench reads version ${RESULTS_SCHEMA_VERSION}`);
  }
  if (!Array.isArray(results.cells) || typeof results.environment !== 'object' || typeof results.parameters !== 'object') {
    throw new UsageError(`${file} is not a complete pipebench results file (cells, environment or parameters missing)`);
  }
  return results;
}
