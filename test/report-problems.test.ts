// Problems are failures, errors and warnings, grouped by kind, each kind one
// line with the cells it happened in; observations are explained apart, never
// listed as problems; a wide interval is neither, a cell noisier than the run is.

import { observationText, warningText } from '../harness/measure/warnings';
import type { RunResults, Warning } from '../harness/schema/results';
import { problems } from '../reports/problems';
import { runView } from '../reports/run-view';
import { fixtureResults } from './support/report-fixture';

const problemsOf = (results: RunResults = fixtureResults()) => problems(runView(results));

/**
 * sequential at 1 client: throughput x (1, 1.03, 0.97), sd over mean 3%, on 2 df. The run's other
 * measured cells: nine x (1, 1.01, 0.99) (relative variance 1e-4 on 2 df) and iocp at 1 client's two
 * trials x (1.01, 0.99) (2e-4 on 1 df), pooled: 20e-4 / 19. F = 9e-4 / (20e-4 / 19) = 8.55 on (2, 19) df,
 * whose upper tail is (1 + 2F/19)^(-19/2) = 1.9^-9.5 = 0.0022; Holm over the 11 cells tested needs p < 0.05/11.
 * Its trials are listed: 56,000 tx/s x (1, 1.03, 0.97).
 * A cell 3x as noisy as every other is a problem ('noisy-cell'); its interval alone (±7.5%) would not be.
 */
const SEQUENTIAL_NOISE: Warning = { kind: 'noisy-cell', figure: 'throughput', relativeSd: 0.03, runRelativeSd: Math.sqrt(20e-4 / 19), pValue: 1.9 ** -9.5, trialValues: [56000, 56000 * 1.03, 56000 * 0.97] };

it("groups the fixture's failures, errors and warnings by kind, each kind one line with its cells: failures, errors, then warnings", () => {
  const { groups, count } = problemsOf();
  expect(groups.map(({ kind, title, severity, where }) => [kind, title, severity, where])).toEqual([
    ['cell-failed', 'cells not measured', 'failed', ['thread-per-client at 4 clients']],
    ['errors', 'wrong answers or lost transactions', 'errors', ['edge-proxy at 4 clients']],
    ['trial-failed', 'trials failed', 'failed', ['iocp at 1 client']],
    ['noisy-cell', 'trials noisier than the machine', 'warning', ['sequential at 1 client']],
    ['records-left', 'records left in the store', 'warning', ['edge-proxy at 4 clients']],
    ['no-steady-state', 'no steady state', 'warning', ['edge-proxy at 8 clients']],
  ]);
  expect(groups.flatMap((g) => g.items.map(({ where, severity, what }) => [where, severity, what]))).toEqual([
    ['thread-per-client at 4 clients', 'failed', 'FAILED: no trial was measured (3 failed); the last: server exited with signal SIGSEGV (<worker 3>)'],
    ['edge-proxy at 4 clients', 'errors', 'errors: 0 unexpected status, 1 mismatches, 1 failed clients, 400 script transactions never ran'],
    ['iocp at 1 client', 'failed', 'trial 2 failed: server exited with code 1 during the warm-up'],
    ['sequential at 1 client', 'warning', warningText(SEQUENTIAL_NOISE)],
    ['edge-proxy at 4 clients', 'warning', warningText({ kind: 'records-left', records: 1, failedClients: 1 })],
    ['edge-proxy at 8 clients', 'warning', warningText({ kind: 'no-steady-state', trial: 2, warmupMs: 5000 })],
  ]);
  expect(count).toBe(6);
});

it('warns about no cell for its wide interval: iocp at 1 client (±13%, two trials) only for its failed trial; sequential at 1 client only for its noise', () => {
  const { groups } = problemsOf();
  const about = (where: string) => groups.flatMap((g) => g.items.filter((i) => i.where === where).map((i) => i.what));
  expect(about('iocp at 1 client')).toEqual(['trial 2 failed: server exited with code 1 during the warm-up']);
  expect(about('sequential at 1 client')).toEqual([warningText(SEQUENTIAL_NOISE)]);
  expect(JSON.stringify(groups)).not.toMatch(/unstable|load average|precision/);
});

it('puts every cell with the same kind of problem on its one line, each cell once, in run order', () => {
  const results = fixtureResults();
  const cell = (strategy: string, clients: number) => results.cells.find((c) => c.strategy === strategy && c.clients === clients)!;
  cell('iocp', 8).summary!.warnings.push({ kind: 'no-steady-state', trial: 1, warmupMs: 5000 }, { kind: 'no-steady-state', trial: 3, warmupMs: 5000 });
  cell('sequential', 1).summary!.warnings.push({ kind: 'client-bound', clientShare: 0.6, serverShare: 0.35, cores: 2 });
  const { groups, count } = problemsOf(results);
  const steady = groups.find((g) => g.kind === 'no-steady-state')!;
  expect(steady.where).toEqual(['iocp at 8 clients', 'edge-proxy at 8 clients']);
  expect(steady.items.map((i) => i.what)).toEqual([1, 3, 2].map((trial) => warningText({ kind: 'no-steady-state', trial, warmupMs: 5000 })));
  // A kind that first appears in an earlier cell comes first among the warnings.
  expect(groups.map((g) => g.kind)).toEqual(['cell-failed', 'errors', 'trial-failed', 'noisy-cell', 'client-bound', 'no-steady-state', 'records-left']);
  expect(count).toBe(9);
});

it('explains observations apart from the problems', () => {
  const { groups, observations } = problemsOf();
  const items = groups.flatMap((g) => g.items);
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
  expect(problemsOf(results)).toEqual({ banners: [], groups: [], count: 0, observations: [{ where: ['sequential at 8 clients'], text: expect.any(String) }] });
});

it('puts Wine, an unfinished run and a busy machine in banners', () => {
  const results = fixtureResults();
  results.environment.wine = 'wine-9.0';
  results.status = 'interrupted';
  results.cells = results.cells.slice(0, 5);
  results.warnings = [{ kind: 'busy-machine', busyCpuShare: 0.5, loadAverage: 3.5, cores: 2, idleProbeP99Ms: null, probes: null }];
  expect(problemsOf(results).banners).toEqual([
    { kind: 'wine', text: 'Measured under Wine wine-9.0: these times show Wine, not Windows.' },
    // The first 5 cells of the fixture hold 15 trials; 4 of those cells were measured (thread-per-client at 4 failed).
    { kind: 'unfinished', text: 'This run was interrupted: 15 of 36 trials ran, 4 of 12 cells measured.' },
    { kind: 'warning', text: `Warning: ${warningText(results.warnings[0])}.` },
  ]);
});

it("puts a client warm-up that lost clients in a banner, with how many and why", () => {
  const results = fixtureResults();
  results.cells = results.cells.filter((cell) => cell.clients === 8 && cell.strategy !== 'edge-proxy');
  results.warnings = [
    { kind: 'client-warmup-failed', server: 'node-net', clients: 20, failedClients: 3, reason: 'server closed the connection during read' },
    { kind: 'client-warmup-failed', server: 'iocp', clients: 5, failedClients: 5, reason: 'server not ready within 20000 ms' },
  ];
  expect(problemsOf(results).banners).toEqual([
    {
      kind: 'warning',
      text:
        'Warning: the client warm-up against node-net lost 3 of its 20 client processes (server closed the connection during read): ' +
        'a client that ends is a fault of the client or the server; fresh processes took their places, cold, in the first trials that needed them.',
    },
    {
      kind: 'warning',
      text:
        'Warning: the client warm-up against iocp failed (server not ready within 20000 ms): ' +
        'a client that ends is a fault of the client or the server; fresh processes took their places, cold, in the first trials that needed them.',
    },
  ]);
});
