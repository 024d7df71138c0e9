// The fixed results the report tests render (built by report-fixture-builder.ts
// from literal figures; see there for what each cell holds on purpose).

import * as fs from 'node:fs';
import { readRunResults, RunResults } from '../../harness/schema/results';
import { FIXTURE_FILE } from './report-fixture-builder';

export const FIXTURE_PATH = FIXTURE_FILE;

/** A fresh copy each call, checked by the same reader `pipebench report` uses, so a test may change it. */
export function fixtureResults(): RunResults {
  return readRunResults(JSON.parse(fs.readFileSync(FIXTURE_PATH, 'utf8')), '');
}
