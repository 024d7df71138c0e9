// The clients check every kind of answer PROTOCOL.md defines, each on its own:
// ADD's status and id, RETRIEVE's status and both fields, DELETE's status and
// both fields of the record it removed. A server that lies in only one of them is
// caught, counted as the right kind of error, and fails the run (exit 1).
// (COUNT is the harness's question, not the clients': see store-integrity-liars.)

import { measured } from './support/runs';
import { killAll } from './support/spawned';
import { runAgainstLiar, summaryOf } from './support/liars';

afterEach(killAll);

// The script: 90 transactions a client, 30 each of ADD, RETRIEVE and DELETE; 2 clients.
// Warm-up and the measured phase run more of the same before it, so these are minimums.
const EACH_KIND = 60;

const LIES: { mode: string; kind: 'unexpectedStatus' | 'mismatches'; what: string }[] = [
  { mode: 'add-wrong-status', kind: 'unexpectedStatus', what: 'ADD answers FULL' },
  { mode: 'add-negative-id', kind: 'mismatches', what: 'ADD answers OK with id -1' },
  { mode: 'retrieve-wrong-status', kind: 'unexpectedStatus', what: 'RETRIEVE answers NOT_FOUND for a live record' },
  { mode: 'retrieve-wrong-first', kind: 'mismatches', what: "RETRIEVE answers the record's first field wrong" },
  { mode: 'wrong-field', kind: 'mismatches', what: "RETRIEVE answers the record's second field wrong" },
  { mode: 'wrong-status', kind: 'unexpectedStatus', what: 'DELETE answers NOT_FOUND for a live record' },
  { mode: 'delete-wrong-first', kind: 'mismatches', what: "DELETE answers the removed record's first field wrong" },
  { mode: 'delete-wrong-field', kind: 'mismatches', what: "DELETE answers the removed record's second field wrong" },
];

it.each(LIES)('$what: counted as $kind, and the run exits 1', async ({ mode, kind }) => {
  const { finished, results, out } = await runAgainstLiar(mode);
  const trial = measured(results.cells[0]);
  const other = kind === 'mismatches' ? 'unexpectedStatus' : 'mismatches';
  expect(trial.errors[kind]).toBeGreaterThanOrEqual(EACH_KIND);
  expect(trial.errors[other]).toBe(0);
  expect(trial.errors.failedClients).toBe(0);
  // Every client saw the lie, not only one.
  for (const client of trial.clientDetails) expect(client.errors[kind]).toBeGreaterThanOrEqual(EACH_KIND / 2);
  const shown = kind === 'mismatches' ? /errors: 0 unexpected status, [1-9]\d* mismatches, 0 failed clients/ : /errors: [1-9]\d* unexpected status, 0 mismatches, 0 failed clients/;
  expect(summaryOf(out)).toMatch(new RegExp(`  - liar-${mode} at 2 clients: ${shown.source}`));
  // What the CLI prints: the table's problems column and the progress line give the same count, and the last line says so.
  const total = trial.errors.unexpectedStatus + trial.errors.mismatches;
  const row = finished.stdout.split('\n').find((line) => line.startsWith(`liar-${mode} `));
  expect(Number(/([\d,]+) errors$/.exec(row ?? '')?.[1].replace(/,/g, ''))).toBe(total);
  expect(Number(/\[1\/1\] .*, ([\d,]+) ERRORS \(/.exec(finished.stderr)?.[1].replace(/,/g, ''))).toBe(total);
  expect(finished.stderr).toContain('pipebench: 0 cell(s) failed and 1 cell(s) had errors or failed trials');
  expect(finished.code).toBe(1);
});

it('the same server without a lie: no error, and exit 0', async () => {
  const { finished, results } = await runAgainstLiar('honest');
  const trial = measured(results.cells[0]);
  expect(trial.errors).toEqual({ unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 });
  expect(trial.store).toEqual({ countBefore: 0, countAfter: 0 });
  const row = finished.stdout.split('\n').find((line) => line.startsWith('liar-honest ')) ?? '';
  expect(row).toMatch(/^liar-honest +2 /);
  expect(row).not.toMatch(/errors|FAILED/);
  expect(finished.code).toBe(0);
});
