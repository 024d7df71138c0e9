// The fixed results fixture the report tests render: four servers (one external)
// at 1, 4 and 8 clients, a failed cell, a cell with errors and a warning.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunResults } from '../../harness/results';

export const FIXTURE_PATH = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'results-sample.json');

/** A fresh copy each call, so a test may change it. */
export function fixtureResults(): RunResults {
  return JSON.parse(fs.readFileSync(FIXTURE_PATH, 'utf8')) as RunResults;
}
