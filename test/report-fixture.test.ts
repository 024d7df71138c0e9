// The report tests read a stored run (test/fixtures/results-sample.json); it must be
// what its builder makes from the literals today, or those tests state expectations
// about a file the harness would no longer write (it had fallen behind: a noisy cell
// the summary no longer warned about, fields a run now stores).

import * as fs from 'node:fs';
import { FIXTURE_FILE, fixtureText } from './support/report-fixture-builder';

it('the stored fixture is what its builder writes today (rebuild: node dist/test/support/report-fixture-builder.js)', () => {
  expect(fs.readFileSync(FIXTURE_FILE, 'utf8')).toBe(fixtureText());
});
