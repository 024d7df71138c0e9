// The harness's own questions to the server, COUNT before and after each trial,
// against servers that lie in them: a store that keeps one record per connection
// (no client failed, so none may be left), a COUNT that drops, a COUNT refused.
// Each fails the trial by name, and the run exits 1.

import { cellVerdict } from '../harness/measure/verdict';
import { killAll } from './support/spawned';
import { runAgainstLiar, summaryOf } from './support/liars';

afterEach(killAll);

async function failedTrial(mode: string) {
  const { finished, results, out } = await runAgainstLiar(mode);
  const [trial] = results.cells[0].trials;
  if (trial.outcome !== 'failed') throw new Error(`the trial against liar ${mode} passed: errors ${JSON.stringify(trial.errors)}, store ${JSON.stringify(trial.store)}`);
  expect(cellVerdict(results.cells[0]).failed).toBe(true);
  // What the CLI prints: the table's row says FAILED and why, the progress line too, and the last line counts the cell.
  const row = finished.stdout.split('\n').find((line) => line.startsWith(`liar-${mode} `)) ?? '';
  expect(row).toMatch(/^\S+ +2 +FAILED /);
  // The problems column shows the reason, or as much of it as its width allows.
  const shown = row.replace(/^.* FAILED +/, '');
  expect(shown.length).toBeGreaterThanOrEqual(Math.min(20, trial.reason.length));
  expect(trial.reason.startsWith(shown)).toBe(true);
  expect(finished.stderr).toContain(`[1/1] liar-${mode} x 2 clients: FAILED: ${trial.reason} (`);
  expect(finished.stderr).toContain('pipebench: 1 cell(s) failed and 0 cell(s) had errors or failed trials');
  expect(finished.code).toBe(1);
  return { reason: trial.reason, summary: summaryOf(out) };
}

it('one record leaked per client connection, with no client failed, fails the trial by name', async () => {
  // 2 clients, one connection each: 2 records left, where failed clients (none) may hold 0.
  const { reason, summary } = await failedTrial('leak-one');
  expect(reason).toBe('store integrity: COUNT was 0 before the trial and 2 after it');
  expect(summary).toContain('  - liar-leak-one at 2 clients: FAILED: ');
  expect(summary).toContain('store integrity: COUNT was 0 before the trial and 2 after it');
});

it('a COUNT lower after the trial than before fails the trial', async () => {
  const { reason } = await failedTrial('count-drops');
  expect(reason).toBe('store integrity: COUNT was 0 before the trial and -1 after it');
});

it('a COUNT answered with a status other than OK fails the trial', async () => {
  const { reason } = await failedTrial('count-wrong-status');
  expect(reason).toBe('COUNT answered status 1');
});
