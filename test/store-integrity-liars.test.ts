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
  expect(finished.code).toBe(1);
  return { reason: trial.reason, summary: summaryOf(out) };
}

it('one record leaked per client connection, with no client failed, fails the trial by name', async () => {
  // 2 clients, one connection each: 2 records left, where failed clients (none) may hold 0.
  const { reason, summary } = await failedTrial('leak-one');
  expect(reason).toBe('store integrity: COUNT was 0 before the trial and 2 after it');
  expect(summary).toContain('**liar-leak-one at 2 clients**: FAILED: ');
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
