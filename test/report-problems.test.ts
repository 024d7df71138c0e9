// Problems are failures, errors and warnings, each listed once with where it
// happened; observations are explained apart, never listed as problems.

import { observationText, warningText } from '../harness/measure/warnings';
import type { RunResults } from '../harness/schema/results';
import { problems } from '../reports/problems';
import { runView } from '../reports/run-view';
import { fixtureResults } from './support/report-fixture';

const problemsOf = (results: RunResults = fixtureResults()) => problems(runView(results));

it("lists exactly the fixture's failures, errors and warnings, in cell order", () => {
  const { items } = problemsOf();
  expect(items.map(({ where, severity, what }) => [where, severity, what])).toEqual([
    ['sequential at 1 client', 'warning', expect.stringMatching(/^unstable: the 95% interval of throughput reaches ±7\.\d% of its mean/)],
    ['sequential at 1 client', 'warning', expect.stringMatching(/^unstable: the 95% interval of p50 turnaround reaches ±7\.\d% of its mean/)],
    ['sequential at 1 client', 'warning', expect.stringMatching(/^throughput varied 3\.0% between trials \(sd over mean\), against the run's 1\.0% \(F test/)],
    ['thread-per-client at 4 clients', 'failed', 'FAILED: no trial was measured (3 failed); the last: server exited with signal SIGSEGV (<worker 3>)'],
    ['iocp at 1 client', 'failed', 'trial 2 failed: server exited with code 1 during the warm-up'],
    // Two trials left: Student's t at 1 degree of freedom (12.7) makes a 1% spread ±13%.
    ['iocp at 1 client', 'warning', expect.stringMatching(/^unstable: the 95% interval of throughput reaches ±13% of its mean/)],
    ['iocp at 1 client', 'warning', expect.stringMatching(/^unstable: the 95% interval of p50 turnaround reaches ±13% of its mean/)],
    ['edge-proxy at 4 clients', 'errors', 'errors: 0 unexpected status, 1 mismatches, 1 failed clients, 400 script transactions never ran'],
    ['edge-proxy at 4 clients', 'warning', warningText({ kind: 'records-left', records: 1, failedClients: 1 })],
    ['edge-proxy at 8 clients', 'warning', warningText({ kind: 'no-steady-state', trial: 2, warmupMs: 5000 })],
  ]);
});

it("shows a failure with the server's last lines, and errors with the clients that stopped", () => {
  const { items } = problemsOf();
  expect(items.find((i) => i.where === 'thread-per-client at 4 clients')!.log).toEqual(['accepting on /tmp/pb-thread-per-client-4', 'spawning worker 3', 'pthread_create failed: EAGAIN <&>']);
  expect(items.find((i) => i.where === 'iocp at 1 client')!.log).toEqual(['listening', 'GetQueuedCompletionStatus: ERROR_ABANDONED_WAIT_0']);
  expect(items.find((i) => i.severity === 'errors')!.log).toEqual(['trial 3, client 2: connection reset by the server (ECONNRESET)']);
});

it('explains observations apart from the problems', () => {
  const { items, observations } = problemsOf();
  const waiting = (clients: number) => observationText({ kind: 'clients-waiting', served: 1, clients });
  expect(observations).toEqual([
    { where: ['sequential at 4 clients'], text: waiting(4) },
    { where: ['sequential at 8 clients'], text: waiting(8) },
  ]);
  expect(items.map((i) => i.what)).not.toEqual(expect.arrayContaining([waiting(4)]));
});

it('finds nothing wrong in a healthy run', () => {
  const results = fixtureResults();
  results.cells = results.cells.filter((cell) => cell.clients === 8 && cell.strategy !== 'edge-proxy');
  expect(problemsOf(results)).toEqual({ banners: [], items: [], observations: [{ where: ['sequential at 8 clients'], text: expect.any(String) }] });
});

it('puts Wine, an unfinished run and a busy machine in banners', () => {
  const results = fixtureResults();
  results.environment.wine = 'wine-9.0';
  results.status = 'interrupted';
  results.cells = results.cells.slice(0, 5);
  results.warnings = [{ kind: 'busy-machine', busyCpuShare: 0.5, loadAverage: 3.5, cores: 2, idleProbeP99Ms: null }];
  expect(problemsOf(results).banners).toEqual([
    { kind: 'wine', text: 'Measured under Wine wine-9.0: these times show Wine, not Windows.' },
    // The first 5 cells of the fixture hold 15 trials; 4 of those cells were measured (thread-per-client at 4 failed).
    { kind: 'unfinished', text: 'This run was interrupted: 15 of 36 trials ran, 4 of 12 cells measured.' },
    { kind: 'warning', text: `Warning: ${warningText(results.warnings[0])}.` },
  ]);
});
