// The headline claims a best server only when it differs significantly from the
// runner-up. Expected ratios come from the fixture builder's literal means
// (test/support/report-fixture-builder.ts), at its largest client count, 8.

import { headline } from '../reports/headline';
import { methodText } from '../reports/method';
import { runView } from '../reports/run-view';
import type { RunResults } from '../harness/schema/results';
import { fixtureResults } from './support/report-fixture';

const claimsOf = (results: RunResults = fixtureResults()) => Object.fromEntries(headline(runView(results)).claims.map((c) => [c.figure, c]));

it('says "no significant difference" where the best and the runner-up are within noise', () => {
  const claims = claimsOf();
  // iocp 61,000 and edge-proxy 60,400 tx/s, each ±1.6%: Welch's t finds no difference.
  expect(claims['Throughput at 8 clients']).toEqual({
    figure: 'Throughput at 8 clients',
    leader: null,
    text: expect.stringMatching(/^no significant difference between iocp and edge-proxy \(61,000 vs 60,400 tx\/s; p = 0\.\d\d\)$/),
  });
  // iocp's worst client 140 ms, edge-proxy's 141 ms.
  expect(claims["Worst client's completion at 8 clients"].text).toMatch(/^no significant difference between iocp and edge-proxy \(140 vs 141 ms; p = /);
});

it('states a ratio where the difference is significant and large, a percentage where it is small', () => {
  const claims = claimsOf();
  // p99: sequential 95 µs, iocp 330 µs.
  const p99 = claims['p99 turnaround at 8 clients'];
  expect(p99.leader).toBe('sequential');
  expect(p99.text).toMatch(new RegExp(`^${(330 / 95).toFixed(1)}× lower than iocp \\(95\\.0 vs 330 µs\\)`));
  // Sequential serves one client at a time: its turnaround is that one client's, and the claim says so.
  expect(p99.text).toContain('sequential served 1 of 8 clients in the measured phase');
  // Server CPU per transaction: sequential 9 µs, iocp 10 µs.
  const cpu = claims['Server CPU per transaction at 8 clients'];
  expect(cpu.leader).toBe('sequential');
  expect(cpu.text).toMatch(new RegExp(`^${((1 - 9 / 10) * 100).toFixed(1)}% lower than iocp \\(9\\.00 vs 10\\.0 µs\\)`));
});

it('says "N× the throughput of" and "% more" for a higher-is-better figure', () => {
  const results = fixtureResults();
  // Give iocp at 8 clients a wrong answer: it is left out, and edge-proxy (60,400) leads thread-per-client (45,000).
  results.cells.find((c) => c.strategy === 'iocp' && c.clients === 8)!.summary!.errors.mismatches = 1;
  const outcome = headline(runView(results));
  expect(outcome.leftOut).toEqual(['iocp (errors)']);
  const throughput = outcome.claims.find((c) => c.figure === 'Throughput at 8 clients')!;
  expect(throughput.leader).toBe('edge-proxy');
  expect(throughput.text).toBe(`${((60400 / 45000 - 1) * 100).toFixed(1)}% more throughput than thread-per-client (60,400 vs 45,000 tx/s)`);

  // sequential at 8 clients made 30,000 tx/s: against a thread-per-client at 60,000, the margin is said as a ratio.
  results.cells = results.cells.filter((c) => c.clients === 8 && (c.strategy === 'sequential' || c.strategy === 'thread-per-client'));
  results.cells.find((c) => c.strategy === 'thread-per-client')!.summary!.steady!.throughputTps.mean = 60000;
  const ratio = headline(runView(results)).claims.find((c) => c.figure === 'Throughput at 8 clients')!;
  expect(ratio.text).toMatch(new RegExp(`^${(60000 / 30000).toFixed(1)}× the throughput of sequential \\(60,000 vs 30,000 tx/s\\)`));
});

it("states the large differences the strategies exist to show: sequential's last client, and threads as counted", () => {
  const claims = claimsOf();
  // sequential's worst client 300 ms against iocp's 140 ms.
  expect(claims["Worst client's completion at 8 clients: sequential vs the best concurrent server"].text).toBe(
    `sequential's last client was done after 300 ms, ${(300 / 140).toFixed(1)}× later than under iocp (140 ms)`,
  );
  expect(claims['Peak server threads at 8 clients: thread-per-client vs iocp'].text).toBe('15 vs 11 threads');
  expect(claims['Peak server threads at 8 clients'].text).toBe('sequential 7, iocp 11, thread-per-client 15 (counted, not estimated)');
});

it('leaves out a server whose trial failed, and says why', () => {
  const results = fixtureResults();
  // At 1 client, iocp lost trial 2: make 1 client the largest count.
  results.cells = results.cells.filter((c) => c.clients === 1);
  const outcome = headline(runView(results));
  expect(outcome.clients).toBe(1);
  expect(outcome.leftOut).toEqual(['iocp (1 trial failed)']);
  expect(outcome.claims.every((c) => !c.text.includes('iocp'))).toBe(true);
});

it('says once how the figures were computed, with the parameters of the run', () => {
  const text = methodText(runView(fixtureResults())).join('\n');
  for (const phrase of [
    "Student's t over the cell's own trial values ('own')",
    'never pooled with other cells',
    "geometric mean with Student's t over their logarithms ('log'",
    "'1 trial: not comparable'",
    "Welch's t test",
    'p < 0.05',
    "Jain's index over the transactions each client completed in the phase",
    "Jain's index over the transactions each client had done when the first client finished",
    'read from outside the server process at the two edges of the measured phase',
    'every window from some point to the latest (at least 5) scattered by at most 10% of their mean and trended by at most a third of that',
    'Trials: exactly 3 per cell (no precision target).',
    'the run made 3 trials of each cell',
  ]) {
    expect(text).toContain(phrase);
  }
});
