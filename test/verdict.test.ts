// A run's verdict: each kind of problem in any cell fails the run (exit code 1),
// each counted once; a clean run exits 0.

import { summarizeCells } from '../harness/measure/summarize';
import { cellVerdict, runExitCode } from '../harness/measure/verdict';
import { cellOf, failedTrial, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

const clean = (strategy: string) => cellOf(strategy, 1, [trial({ trial: 1, throughputTps: 1000 }), trial({ trial: 2, throughputTps: 1010 })]);
const withErrors = (errors: Parameters<typeof trial>[0]['errors']) => cellOf('bad', 1, [trial({ trial: 1, throughputTps: 1000, errors })]);
const run = (...cells: ReturnType<typeof cellOf>[]) => resultsOf(summarizeCells(cells, PARAMETERS, 2));

it('exits 0 when every cell was measured without an error', () => {
  const results = run(clean('a'), clean('b'));
  expect(results.cells.map((cell) => cellVerdict(cell))).toEqual([
    { failed: false, reason: null, failedTrials: 0, errors: { unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 }, problemCount: 0 },
    { failed: false, reason: null, failedTrials: 0, errors: { unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 }, problemCount: 0 },
  ]);
  expect(runExitCode(results)).toBe(0);
});

it.each([
  ['an unexpected status', { unexpectedStatus: 1 }],
  ['a wrong answer', { mismatches: 1 }],
  ['a failed client', { failedClients: 1 }],
  ['a transaction that never ran', { missingTransactions: 1 }],
])('exits 1 for %s in any cell, counted once', (_, errors) => {
  const results = run(clean('a'), withErrors(errors));
  expect(cellVerdict(results.cells[0]).problemCount).toBe(0);
  expect(cellVerdict(results.cells[1]).problemCount).toBe(1);
  expect(runExitCode(results)).toBe(1);
});

it('adds up every kind of problem and each failed trial', () => {
  const cell = cellOf('bad', 1, [
    trial({ trial: 1, throughputTps: 1000, errors: { unexpectedStatus: 2, mismatches: 3, failedClients: 5, missingTransactions: 7 } }),
    failedTrial(2, 'first'),
    failedTrial(3, 'second'),
  ]);
  const verdict = cellVerdict(run(cell).cells[0]);
  expect(verdict).toMatchObject({ failed: false, failedTrials: 2, reason: 'second', problemCount: 19 });
});

it('exits 1 for a failed trial alone, and names no reason when none failed', () => {
  const results = run(cellOf('a', 1, [trial({ trial: 1, throughputTps: 1000 }), failedTrial(2, 'server exited')]));
  expect(cellVerdict(results.cells[0])).toMatchObject({ failed: false, failedTrials: 1, reason: 'server exited', problemCount: 1 });
  expect(runExitCode(results)).toBe(1);
});
