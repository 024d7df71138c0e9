// Every answer is checked: a server that lies is caught, counted in the cell's
// errors, and the run exits 1. Each lie is planted by test/support/lying-server.ts
// and reached through --external, as any outside server would be.

import { cellVerdict } from '../harness/measure/verdict';
import { platform } from '../strategies/platform';
import { killAll } from './support/spawned';
import { measured } from './support/runs';
import { runAgainstLiar, summaryOf } from './support/liars';

afterEach(killAll);

it('a wrong field in RETRIEVE is counted as mismatches, and fails the run', async () => {
  const { finished, results, out } = await runAgainstLiar('wrong-field');
  expect(finished.code).toBe(1);
  expect(summaryOf(out)).toMatch(/  - liar-wrong-field at 2 clients: errors: 0 unexpected status, [1-9]\d* mismatches, 0 failed clients/);
  const trial = measured(results.cells[0]);
  // The script: 90 transactions a client, 30 of them RETRIEVEs, every one wrong.
  expect(trial.errors.mismatches).toBeGreaterThanOrEqual(60);
  expect(trial.errors.unexpectedStatus).toBe(0);
  expect(cellVerdict(results.cells[0]).problemCount).toBeGreaterThan(0);
});

it('a wrong status in DELETE is counted as unexpected statuses, and fails the run', async () => {
  const { finished, results, out } = await runAgainstLiar('wrong-status');
  expect(finished.code).toBe(1);
  expect(summaryOf(out)).toMatch(/  - liar-wrong-status at 2 clients: errors: [1-9]\d* unexpected status, 0 mismatches/);
  const trial = measured(results.cells[0]);
  expect(trial.errors.unexpectedStatus).toBeGreaterThanOrEqual(60);
  expect(trial.errors.mismatches).toBe(0);
});

it('records left behind fail the store-integrity check', async () => {
  const { finished, results, out } = await runAgainstLiar('leftover');
  expect(finished.code).toBe(1);
  expect(summaryOf(out)).toMatch(/  - liar-leftover at 2 clients: FAILED: .*store integrity: COUNT was 0 before the trial and \d+ after it/);
  const [trial] = results.cells[0].trials;
  if (trial.outcome !== 'failed') throw new Error('a store that kept deleted records passed the integrity check');
  expect(trial.reason).toMatch(/^store integrity: COUNT was 0 before the trial and \d+ after it$/);
  expect(cellVerdict(results.cells[0]).failed).toBe(true);
});

it('a reply cut short loses the client: counted as a failed client with missing transactions', async () => {
  const { finished, results, out } = await runAgainstLiar('short-reply');
  expect(finished.code).toBe(1);
  expect(summaryOf(out)).toMatch(/  - liar-short-reply at 2 clients: errors: 0 unexpected status, 0 mismatches, 2 failed clients, 180 script transactions never ran/);
  const trial = measured(results.cells[0]);
  expect(trial.errors.failedClients).toBe(2);
  expect(trial.errors.missingTransactions).toBe(180);
  // Each platform's transport names what it was doing: a socket read, or ReadFile on the pipe.
  const lost = platform.name === 'win32' ? 'server closed the pipe during ReadFile' : 'server closed the connection during read';
  for (const client of trial.clientDetails) expect(client.fatal).toBe(lost);
});
