// The headline claims a best server only when it differs significantly from the
// runner-up, with the ratio's 95% interval; turnaround only among servers that
// served every client. Expected ratios come from the fixture builder's literal
// means (test/support/report-fixture-builder.ts), at its largest client count, 8,
// or from literal statistics set here, the intervals computed by hand.

import { headline } from '../reports/headline';
import { methodText } from '../reports/method';
import { runView } from '../reports/run-view';
import type { CellSummary, RunResults } from '../harness/schema/results';
import type { Estimate } from '../harness/measure/statistics';
import { fixtureResults } from './support/report-fixture';
import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

const claimsOf = (results: RunResults = fixtureResults()) => Object.fromEntries(headline(runView(results)).claims.map((c) => [c.figure, c]));

it('says "no significant difference" where the best and the runner-up are within noise', () => {
  const claims = claimsOf();
  // iocp 61,000 and edge-proxy 60,400 tx/s, each ±2.5% (its own three trials): Welch's t finds no difference.
  expect(claims['Throughput at 8 clients']).toEqual({
    figure: 'Throughput at 8 clients',
    leader: null,
    text: expect.stringMatching(/^no significant difference between iocp and edge-proxy \(61,000 vs 60,400 tx\/s; p = 0\.\d\d\)$/),
    verdict: 'no significant difference',
  });
  // iocp's worst client 140 ms, edge-proxy's 141 ms.
  expect(claims["Worst client's completion at 8 clients"].text).toMatch(/^no significant difference between iocp and edge-proxy \(140 vs 141 ms; p = /);
});

/**
 * Gives a cell's figure literal statistics, so the ratio's interval below is computed by hand. A turnaround
 * percentile is a geometric mean ('log'): its standard error is that of the logarithm, the relative one.
 */
function setEstimate(results: RunResults, strategy: string, clients: number, read: (s: CellSummary) => Estimate, mean: number, standardError: number, df: number) {
  const estimate = read(results.cells.find((c) => c.strategy === strategy && c.clients === clients)!.summary!);
  if (estimate.method === 'log') Object.assign(estimate, { mean, standardError: standardError / mean, df, low: mean * Math.exp(-2 * (standardError / mean)), high: mean * Math.exp(2 * (standardError / mean)) });
  else Object.assign(estimate, { mean, standardError, df, low: mean - 2 * standardError, high: mean + 2 * standardError });
}

// With both means known to 1% (relative variance 1e-4) on 8 df each, a ratio r has
// se(r) = r * sqrt(2e-4) on Welch–Satterthwaite's (2e-4)^2 / (2 * 1e-8 / 8) = 16 df, and t(0.975, 16) = 2.119905.
const T16 = 2.119905;
const halfWidth = (ratio: number) => T16 * ratio * Math.sqrt(2e-4);

it('ranks turnaround only among servers that served every client, and states the one-at-a-time server on its own line', () => {
  const results = fixtureResults();
  // p99: sequential 95 µs (1 of 8 clients served), iocp 330 µs, thread-per-client 600 µs, edge-proxy 990 µs.
  setEstimate(results, 'iocp', 8, (s) => s.steady!.p99Ns, 330_000, 3_300, 8);
  setEstimate(results, 'thread-per-client', 8, (s) => s.steady!.p99Ns, 600_000, 6_000, 8);
  const claims = claimsOf(results);
  const p99 = claims['p99 turnaround at 8 clients'];
  expect(p99.leader).toBe('iocp');
  // 600 / 330 = 1.818; half-width 2.119905 * 1.818 * 0.014142 = 0.0545: under 0.1, two decimals.
  expect(halfWidth(600 / 330).toFixed(2)).toBe('0.05');
  expect(p99.text).toBe('1.82× ± 0.05 lower than thread-per-client (330 vs 600 µs)');
  expect(claims["sequential's turnaround at 8 clients"].text).toBe(
    'p50 28.0 µs, p99 95.0 µs: that of the one client it served at a time (1 of 8 served in the measured phase), not ranked against servers that served every client',
  );
  expect(claims['p50 turnaround at 8 clients'].text).not.toContain('sequential');
});

/** The fixture's results, as a run whose precision target (--unstable-half-width without --precision) is `share`. */
function measuredTo(share: number): RunResults {
  const results = fixtureResults();
  results.parameters = { ...results.parameters, precision: null, measurement: { ...results.parameters.measurement, unstableHalfWidth: share } };
  return results;
}

it("gives a turnaround margin the interval of the trials' geometric means, from the fixture's literals", () => {
  // p50 at 8 clients: iocp 110 and edge-proxy 116 µs, each x (1, 1.01, 0.99): the same sd of logarithms,
  // s = sd(ln 1, ln 1.01, ln 0.99) = 0.0100004, se = s / sqrt(3); the ratio's relative variance 2 se^2 on 4 df, t(0.975, 4) = 2.776445.
  const se = 0.0100004 / Math.sqrt(3);
  const ratio = 116 / 110;
  const half = 2.776445 * ratio * Math.sqrt(2 * se * se);
  // 1 - 110/116 = 5.2% lower, ± half / ratio^2 = 2.1%. Welch's test of the two: ln(110/116) = -0.05311 ± 2.776445 * 0.0100004 * sqrt(2/3)
  // = ± 0.02267, a lead of 1 - exp(-0.05311 ± 0.02267) = 3.0% to 7.3%: beyond a ±2% target.
  expect([((1 - 110 / 116) * 100).toFixed(1), ((half / ratio ** 2) * 100).toFixed(1)]).toEqual(['5.2', '2.1']);
  expect(claimsOf(measuredTo(0.02))['p50 turnaround at 8 clients']).toEqual({ figure: 'p50 turnaround at 8 clients', leader: 'iocp', text: '5.2% ± 2.1% lower than edge-proxy (110 vs 116 µs)', verdict: 'iocp' });
});

it("ranks no server by a lead whose interval reaches within the run's precision target", () => {
  // The same 5.2% lead (above) in a run measured to ±5%: significant, but its interval (3.0% to 7.3%) reaches within 5%.
  const p50 = claimsOf(measuredTo(0.05))['p50 turnaround at 8 clients'];
  expect(p50.leader).toBeNull();
  expect(p50.verdict).toBe('no significant difference');
  expect(p50.text).toMatch(/^no difference beyond 5% between iocp and edge-proxy \(110 vs 116 µs; p = \de-\d, the difference's interval reaches within 5%\)$/);
  // A run with --precision ranks by that target: 3.0% to 7.3% reaches within 4%, not within 2.5%.
  const atPrecision = (share: number) => {
    const results = fixtureResults();
    results.parameters = { ...results.parameters, precision: share };
    return claimsOf(results)['p50 turnaround at 8 clients'].leader;
  };
  expect([atPrecision(0.04), atPrecision(0.025)]).toEqual([null, 'iocp']);
});

it('states a small significant difference as a percentage with its interval', () => {
  const results = fixtureResults();
  // Server CPU per transaction: sequential 9 µs, iocp 10 µs. 10 / 9 = 1.1111 ± 0.033311; 1 - 9/10 = 10.0%, ± 0.033311 / 1.1111^2 = 2.7%.
  setEstimate(results, 'sequential', 8, (s) => s.steady!.serverCpuUsPerTransaction!, 9, 0.09, 8);
  setEstimate(results, 'iocp', 8, (s) => s.steady!.serverCpuUsPerTransaction!, 10, 0.1, 8);
  expect(((halfWidth(10 / 9) / (10 / 9) ** 2) * 100).toFixed(1)).toBe('2.7');
  const cpu = claimsOf(results)['Server CPU per transaction at 8 clients'];
  expect(cpu.leader).toBe('sequential');
  expect(cpu.text).toBe('10.0% ± 2.7% lower than iocp (9.00 vs 10.0 µs); sequential served 1 of 8 clients in the measured phase (see the notes)');
});

it('names no best server when the difference is significant but its interval reaches within the 2% noise threshold, whatever finer target the run had', () => {
  // A run measured to ±1% still ranks only beyond compare's 2% noise threshold.
  const results = measuredTo(0.01);
  // Fairness: iocp 1.000 and edge-proxy 0.998, each ± 0.0002 on 8 df: Welch's t = 0.002 / 0.000283 = 7.1 (p < 1e-5), a 0.2% margin.
  setEstimate(results, 'iocp', 8, (s) => s.steady!.fairness!, 1.0, 0.0002, 8);
  setEstimate(results, 'edge-proxy', 8, (s) => s.steady!.fairness!, 0.998, 0.0002, 8);
  const fairness = claimsOf(results)['Fairness (Jain, measured phase) at 8 clients'];
  expect(fairness.leader).toBeNull();
  // Welch's interval of the difference: 0.002 ± t(0.975, 16) 2.1199 * 0.000283 = [0.0014, 0.0026], 0.14% to 0.26% of 0.998.
  expect(fairness.text).toMatch(/^no difference beyond 2% between iocp and edge-proxy \(1\.00 vs 1\.00; p = \de-\d, the difference's interval reaches within 2%\)$/);
  // 4% apart with the same precision: the whole interval (4.2% ± 0.06%) lies beyond 2%, so it is claimed.
  setEstimate(results, 'edge-proxy', 8, (s) => s.steady!.fairness!, 0.96, 0.0002, 8);
  expect(claimsOf(results)['Fairness (Jain, measured phase) at 8 clients'].leader).toBe('iocp');
});

it('says "N× ± h the throughput of" and "% ± h more" for a higher-is-better figure', () => {
  const results = fixtureResults();
  // Give iocp at 8 clients a wrong answer: it is left out, and edge-proxy (60,400) leads thread-per-client (45,000).
  results.cells.find((c) => c.strategy === 'iocp' && c.clients === 8)!.summary!.errors.mismatches = 1;
  setEstimate(results, 'edge-proxy', 8, (s) => s.steady!.throughputTps, 60_400, 604, 8);
  setEstimate(results, 'thread-per-client', 8, (s) => s.steady!.throughputTps, 45_000, 450, 8);
  const outcome = headline(runView(results));
  expect(outcome.leftOut).toEqual(['iocp (errors)']);
  const throughput = outcome.claims.find((c) => c.figure === 'Throughput at 8 clients')!;
  expect(throughput.leader).toBe('edge-proxy');
  // 60,400 / 45,000 = 1.3422: 34.2% more, ± 2.119905 * 1.3422 * 0.014142 = 4.0%.
  expect((halfWidth(60400 / 45000) * 100).toFixed(1)).toBe('4.0');
  expect(throughput.text).toBe('34.2% ± 4.0% more throughput than thread-per-client (60,400 vs 45,000 tx/s)');

  // sequential at 8 clients made 30,000 tx/s: against a thread-per-client at 60,000, the margin is said as a ratio: 2.0 ± 0.06.
  results.cells = results.cells.filter((c) => c.clients === 8 && (c.strategy === 'sequential' || c.strategy === 'thread-per-client'));
  setEstimate(results, 'thread-per-client', 8, (s) => s.steady!.throughputTps, 60_000, 600, 8);
  setEstimate(results, 'sequential', 8, (s) => s.steady!.throughputTps, 30_000, 300, 8);
  const ratio = headline(runView(results)).claims.find((c) => c.figure === 'Throughput at 8 clients')!;
  expect(halfWidth(2).toFixed(2)).toBe('0.06');
  expect(ratio.text).toBe('2.00× ± 0.06 the throughput of sequential (60,000 vs 30,000 tx/s)');
});

it("states the large differences the strategies exist to show: sequential's last client, with its ratio's interval, and threads as counted", () => {
  const results = fixtureResults();
  // sequential's worst client 300 ms against iocp's 140 ms: 2.1429 ± 0.0642.
  setEstimate(results, 'sequential', 8, (s) => s.script!.worstDoneMs, 300, 3, 8);
  setEstimate(results, 'iocp', 8, (s) => s.script!.worstDoneMs, 140, 1.4, 8);
  expect(halfWidth(300 / 140).toFixed(2)).toBe('0.06');
  const claims = claimsOf(results);
  expect(claims["Worst client's completion at 8 clients: sequential vs the best concurrent server"].text).toBe(
    "sequential's last client was done after 300 ms, 2.14× ± 0.06 later than under iocp (140 ms)",
  );
  expect(claims["Worst client's completion at 8 clients: sequential vs the best concurrent server"].verdict).toBe('sequential later');
  expect(claims['Peak server threads at 8 clients: thread-per-client vs iocp'].text).toBe('15 vs 11 threads');
  expect(claims['Peak server threads at 8 clients'].text).toBe('sequential 7, iocp 11, thread-per-client 15 (counted, not estimated)');
});

it("says when sequential's last client was not significantly later, in the words every run uses for that verdict", () => {
  const results = fixtureResults();
  // sequential's worst client 300 ms (standard error 100, 3 df) against iocp's 140 (1.4, 3 df): Welch's t = 1.5998 on
  // 3.0012 df, p = 0.2079 (scipy.stats.t).
  setEstimate(results, 'sequential', 8, (s) => s.script!.worstDoneMs, 300, 100, 3);
  setEstimate(results, 'iocp', 8, (s) => s.script!.worstDoneMs, 140, 1.4, 3);
  const claim = claimsOf(results)["Worst client's completion at 8 clients: sequential vs the best concurrent server"];
  expect(claim.text).toMatch(/^no significant difference between sequential and iocp \(300 vs 140 ms; p = 0\.21\)$/);
  expect(claim.verdict).toBe('no significant difference');
});

it('answers the seed question first: throughput, the worst client, fairness, server CPU, threads, responsiveness; turnaround after', () => {
  const results = fixtureResults();
  const probe = (strategy: string, p99LatenessNs: number) => {
    results.cells.find((c) => c.strategy === strategy && c.clients === 8)!.summary!.steady!.responsiveness!.p99LatenessNs = p99LatenessNs;
  };
  probe('sequential', 450_000);
  probe('thread-per-client', 3_250_000);
  probe('iocp', 1_110_000);
  probe('edge-proxy', 820_000);
  const outcome = headline(runView(results));
  expect(outcome.claims.map((c) => c.figure)).toEqual([
    'Throughput at 8 clients',
    "Worst client's completion at 8 clients",
    "Worst client's completion at 8 clients: sequential vs the best concurrent server",
    'Fairness (Jain, measured phase) at 8 clients',
    'Server CPU per transaction at 8 clients',
    'Peak server threads at 8 clients',
    'Peak server threads at 8 clients: thread-per-client vs iocp',
    'Machine responsiveness at 8 clients',
    'p50 turnaround at 8 clients',
    'p99 turnaround at 8 clients',
    "sequential's turnaround at 8 clients",
  ]);
  // Rankings and the significant contrast were decided by a test; counts and measurements are stated.
  expect(outcome.claims.filter((c) => c.verdict === null).map((c) => c.figure)).toEqual([
    'Peak server threads at 8 clients',
    'Peak server threads at 8 clients: thread-per-client vs iocp',
    'Machine responsiveness at 8 clients',
    "sequential's turnaround at 8 clients",
  ]);
  // The fixture's idle probe woke p99 140 µs late.
  expect(outcome.claims.find((c) => c.figure === 'Machine responsiveness at 8 clients')!.text).toBe(
    "a probe's p99 lateness waking from sleep: sequential 0.45 ms, edge-proxy 0.82 ms, iocp 1.1 ms, thread-per-client 3.3 ms; idle machine before the run 0.14 ms (measured, not estimated)",
  );
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
    "interval of their relative difference lies beyond 5% (the run's precision target, and at least compare's 2% noise threshold",
    "Jain's index over the transactions each client completed in the phase",
    "Jain's index over the transactions each client had done when the first client finished",
    'read from outside the server process at the two edges of the measured phase',
    'every window from some point to the latest (at least 5) scattered by at most 10% of their mean and trended by at most a third of that',
    'Trials: exactly 3 per cell (no precision target).',
    'the run made 3 trials of each cell',
    'by the delta method',
    'Turnaround is ranked only among servers that served every client in the measured phase',
    // The fixture's clients: 300,000 + 50,000 n µs of CPU over the phase; at 1 client 56,000 (sequential) to 40,000 (edge-proxy) tx/s over 1 s.
    `at 1 client, ${(350_000 / 56_000).toFixed(1)}–${(350_000 / 40_000).toFixed(1)} µs of CPU per transaction`,
    // At 8 clients: 700,000 µs over 61,000 (iocp) to 30,000 (sequential) tx; 0.7 s of a 2-core second is 35% of the machine;
    // the server: 9 µs * 30,000 = 13.5% (sequential) to 16 µs * 45,000 = 36% (thread-per-client); edge-proxy's is not measured.
    `at 8 clients, ${(700_000 / 61_000).toFixed(1)}–${(700_000 / 30_000).toFixed(1)} µs of CPU per transaction, 35% of the machine (the server: 14–36%)`,
    'clients and server together used at least 75% of the machine and the clients the larger part',
    'The load average during a cell counts the run\'s own processes and is never quoted as evidence',
    // Every kind of problem the run can warn about, those of the statistics (issue 22 part A) included.
    'no steady state, drift in the measured windows, a cell whose trials varied significantly more than the run\'s other cells, a machine busy before the run',
    // A turnaround ratio's two geometric means: their relative variance is their logarithm's squared standard error.
    "a geometric mean's (turnaround) is the squared standard error of its logarithm",
    // How the host's pace was read, said once whether or not the run adjusted for it.
    'results.json: hostWakeupUs before a trial, hostWakeupAfterUs after it',
  ]) {
    expect(text).toContain(phrase);
  }
  expect(text.match(/Host pace:/g)).toHaveLength(1);
});

it('names the client transport the run used, and says nothing of it for files from before it was recorded', () => {
  const results = fixtureResults();
  expect(methodText(runView(results)).join('\n')).not.toContain('talked to its server');
  results.environment.clientTransport = 'read/write, two or three system calls a transaction (io_uring unavailable: io_uring_setup failed: EPERM (1))';
  expect(methodText(runView(results)).join('\n')).toContain(
    'Each client talked to its server by read/write, two or three system calls a transaction (io_uring unavailable: io_uring_setup failed: EPERM (1)).',
  );
});

it('compares server CPU per transaction on the log scale: a server that spends half the CPU is named, with the ratio of geometric means', () => {
  // Run 1 of the 2026-12-04 22:40 stability set at 20 clients (µs a transaction, three trials each). Welch on the raw
  // values: p = 0.056 on 2.4 df, "no significant difference" (scipy.stats.ttest_ind, equal_var=False); on the logarithms:
  // p = 0.016 on 3.44 df. Geometric means 19.452 and 9.919 µs (scipy.stats.gmean); ratio 1.961, half-width
  // t(0.975, 3.44) * 1.961 * sqrt(se_a^2 + se_b^2) = 0.886 (the logarithms' standard errors, by hand in numpy).
  const cpuOf = (strategy: string, usPerTransaction: number[]) =>
    cellOf(strategy, 20, usPerTransaction.map((us, i) => trial({ trial: i + 1, clients: 20, throughputTps: 1000, serverCpuUs: us * 1000 })));
  const cells = summarizeCells([cpuOf('overlapped', [17.31, 25.1, 16.94]), cpuOf('completion-routines', [8.49, 10.19, 11.28])], PARAMETERS, 2);
  expect(cells.map((c) => c.summary!.steady!.serverCpuUsPerTransaction!.mean)).toEqual([expect.closeTo(19.452, 3), expect.closeTo(9.919, 3)]);
  const cpu = claimsOf(resultsOf(cells))['Server CPU per transaction at 20 clients'];
  expect(cpu).toEqual({ figure: 'Server CPU per transaction at 20 clients', leader: 'completion-routines', text: '2.0× ± 0.9 lower than overlapped (9.92 vs 19.5 µs)', verdict: 'completion-routines' });
});
