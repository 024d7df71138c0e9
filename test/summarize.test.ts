// A cell's figures from its trials: means with pooled intervals, the warnings
// that mean a problem (and only those), and observations for expected behaviour.

import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, failedTrial, PARAMETERS, trial } from './support/synthetic-trials';
import { cellVerdict } from '../harness/measure/verdict';
import { readRunResults } from '../harness/schema/results';
import { resultsOf } from './support/synthetic-trials';

const CORES = 2;

it("gives each figure the mean of its trials, with Student's t over the cell's own trials", () => {
  const cells = summarizeCells(
    [
      cellOf('a', 1, [trial({ trial: 1, throughputTps: 990 }), trial({ trial: 2, throughputTps: 1000 }), trial({ trial: 3, throughputTps: 1010 })]),
      cellOf('b', 1, [trial({ trial: 1, throughputTps: 1980 }), trial({ trial: 2, throughputTps: 2000 }), trial({ trial: 3, throughputTps: 2020 })]),
    ],
    PARAMETERS,
    CORES,
  );
  const [a, b] = cells.map((cell) => cell.summary!.steady!.throughputTps);
  expect(a.mean).toBe(1000);
  expect(b.mean).toBe(2000);
  expect(a.method).toBe('own');
  // sd 10 of 1000 and 20 of 2000 over 2 df each; t 97.5% at 2 df is 4.3027 (tables).
  expect(a.df).toBe(2);
  expect(a.standardError).toBeCloseTo(10 / Math.sqrt(3), 9);
  expect(b.high - b.mean).toBeCloseTo(4.3027 * (20 / Math.sqrt(3)), 2);
  // A healthy, steady run: no warning, no observation.
  for (const cell of cells) {
    expect(cell.summary!.warnings).toEqual([]);
    expect(cell.summary!.observations).toEqual([]);
  }
});

it('server CPU per transaction comes from the measured phase alone', () => {
  // 1,000 transactions with 15,000 us of CPU: 15 us each, however long the server lived.
  const [cell] = summarizeCells([cellOf('a', 1, [trial({ trial: 1, throughputTps: 1000, serverCpuUs: 15_000 }), trial({ trial: 2, throughputTps: 1000, serverCpuUs: 15_000 })])], PARAMETERS, CORES);
  expect(cell.summary!.steady!.serverCpuUsPerTransaction!.mean).toBe(15);
  // 15 ms of CPU in a 1 s phase on 2 cores.
  expect(cell.summary!.steady!.serverCpuShare!.mean).toBeCloseTo(0.0075, 12);
});

it('does not warn about a wide interval: the interval shows it', () => {
  const [cell] = summarizeCells(
    [cellOf('a', 1, [trial({ trial: 1, throughputTps: 800, loadAverage: 1.5 }), trial({ trial: 2, throughputTps: 1000, loadAverage: 1.5 }), trial({ trial: 3, throughputTps: 1200, loadAverage: 1.5 })])],
    PARAMETERS,
    CORES,
  );
  // sd 200 of 1000 over 3 trials, df 2: half width 4.303 * 200 / sqrt(3) = 49.7% of the mean, and no warning.
  const throughput = cell.summary!.steady!.throughputTps;
  expect((throughput.high - throughput.mean) / throughput.mean).toBeCloseTo((4.303 * 200) / Math.sqrt(3) / 1000, 3);
  expect(cell.summary!.warnings).toEqual([]);
});

it('a server that serves one client at a time is an observation, not a warning', () => {
  const [cell] = summarizeCells([cellOf('sequential', 5, [1, 2, 3].map((n) => trial({ trial: n, throughputTps: 1000, clients: 5, clientsServed: 1 })))], PARAMETERS, CORES);
  expect(cell.summary!.observations).toEqual([{ kind: 'clients-waiting', served: 1, clients: 5 }]);
  expect(cell.summary!.warnings).toEqual([]);
  expect(cell.summary!.steady!.fairness.mean).toBeCloseTo(0.2, 12);
});

it('a concurrent server that leaves clients unserved starves them: a warning, not a note', () => {
  const [cell] = summarizeCells([cellOf('overlapped', 20, [1, 2, 3].map((n) => trial({ trial: n, throughputTps: 1000, clients: 20, clientsServed: 9 })))], PARAMETERS, CORES);
  expect(cell.summary!.observations).toEqual([]);
  expect(cell.summary!.warnings).toEqual([{ kind: 'starved', served: 9, clients: 20 }]);
});

it('no steady state, a failed trial and client-bound CPU are warnings; errors sum over trials', () => {
  const [cell] = summarizeCells(
    [
      cellOf('a', 2, [
        // Clients 1.6 s and server 0.3 s of CPU in a 1-s phase on 2 cores: 80% and 15% of the machine, the clients saturating it alone.
        { ...trial({ trial: 1, throughputTps: 1000, clients: 2, errors: { mismatches: 3 }, clientCpuUs: 1_600_000, serverCpuUs: 300_000 }), warnings: [{ kind: 'no-steady-state', trial: 1, warmupMs: 5000 }] },
        trial({ trial: 2, throughputTps: 1000, clients: 2, errors: { unexpectedStatus: 1 }, clientCpuUs: 1_600_000, serverCpuUs: 300_000 }),
        failedTrial(3, 'server exited with code 1 before server ready'),
      ]),
    ],
    PARAMETERS,
    CORES,
  );
  const summary = cell.summary!;
  expect(summary.measuredTrials).toBe(2);
  expect(summary.errors).toEqual({ unexpectedStatus: 1, mismatches: 3, failedClients: 0, missingTransactions: 0 });
  expect(summary.warnings.map((w) => w.kind).sort()).toEqual(['client-bound', 'no-steady-state', 'trial-failed']);
  const bound = summary.warnings.find((w) => w.kind === 'client-bound')!;
  expect(bound).toEqual({ kind: 'client-bound', clientShare: expect.closeTo(0.8, 12), serverShare: expect.closeTo(0.15, 12), cores: 2 });
  // The verdict counts the errors and the failed trial: the run's exit code and every report read it.
  expect(cellVerdict(cell)).toMatchObject({ failed: false, failedTrials: 1, problemCount: 5, reason: 'server exited with code 1 before server ready' });
});

it('a cell with no measured trial has no summary and fails', () => {
  const [cell] = summarizeCells([cellOf('a', 1, [failedTrial(1, 'boom')])], PARAMETERS, CORES);
  expect(cell.summary).toBeNull();
  expect(cellVerdict(cell)).toMatchObject({ failed: true, reason: 'boom', problemCount: 1 });
});

it('writes what the schema reads back', () => {
  const cells = summarizeCells([cellOf('a', 1, [trial({ trial: 1, throughputTps: 1000 }), failedTrial(2, 'x')])], PARAMETERS, CORES);
  const results = resultsOf(cells);
  expect(readRunResults(JSON.parse(JSON.stringify(results)), '')).toEqual(JSON.parse(JSON.stringify(results)));
});

it("a noisy cell at another client count leaves a cell's interval as its own trials give it", () => {
  const cells = summarizeCells(
    [
      cellOf('a', 1, [trial({ trial: 1, throughputTps: 990 }), trial({ trial: 2, throughputTps: 1000 }), trial({ trial: 3, throughputTps: 1010 })]),
      cellOf('a', 4, [trial({ trial: 1, throughputTps: 700, clients: 4 }), trial({ trial: 2, throughputTps: 1000, clients: 4 }), trial({ trial: 3, throughputTps: 1300, clients: 4 })]),
    ],
    PARAMETERS,
    CORES,
  );
  expect(cells[0].summary!.steady!.throughputTps).toMatchObject({ df: 2, method: 'own' });
  expect(cells[0].summary!.steady!.throughputTps.standardError).toBeCloseTo(10 / Math.sqrt(3), 9);
  expect(cells[1].summary!.steady!.throughputTps.standardError).toBeCloseTo(300 / Math.sqrt(3), 9);
});

it("records a script-only cell's precision on the worst client's completion, the figure the report's precision line reads", () => {
  // Worst client done after 100, 110, 90 ms: 4.302653 x 10 / sqrt(3) / 100 = ±24.8%. The makespan (a client
  // that failed ran on to 300 ms in every trial) is another figure, with no spread at all.
  const trials = [100, 110, 90].map((worstDoneMs, i) => {
    const t = trial({ trial: i + 1, throughputTps: 1000, worstDoneMs });
    return { ...t, steady: null, script: { ...t.script!, makespanMs: 300 } };
  });
  const [cell] = summarizeCells([cellOf('a', 1, trials)], { ...PARAMETERS, precision: 0.05 }, CORES);
  expect(cell.summary!.precision!.throughputTps).toBeCloseTo((4.302653 * 10) / Math.sqrt(3) / 100, 5);
  expect(cell.summary!.precision!.reached).toBe(false);
});

describe('a trial whose measured phase was uneven', () => {
  // Trial 1 of thread-per-client x 20, run 3 of the 2026-12-04 22:59 stability set: the transactions each client
  // completed in the measured phase. Sum 23,760; Jain's index (sum)^2 / (n * sum of squares) = 0.16985 (by hand in Python).
  const uneven = [1280, 573, 567, 474, 508, 536, 523, 532, 517, 559, 475, 509, 12609, 597, 899, 515, 581, 491, 518, 497];
  const withService = (n: number, perClient: number[], fairness: number) => {
    const t = trial({ trial: n, throughputTps: 23_760, clients: 20, p50Ns: 67_071 });
    return { ...t, steady: { ...t.steady!, perClient, transactions: perClient.reduce((a, b) => a + b, 0), fairness } };
  };
  const even = (n: number) => trial({ trial: n, throughputTps: 40_000, clients: 20 });

  it('is explained in an observation, not a warning, for a server that serves its clients at once', () => {
    const [cell] = summarizeCells([cellOf('thread-per-client', 20, [withService(1, uneven, 0.16985), even(2), even(3)])], PARAMETERS, CORES);
    expect(cell.summary!.observations).toEqual([
      { kind: 'uneven-trial', trial: 1, fairness: 0.16985, mostTransactions: 12609, leastTransactions: 474, transactions: 23760, p50Ns: 67_071 },
    ]);
    expect(cell.summary!.warnings).toEqual([]);
  });

  it('needs Jain\'s index under 0.5: an unequal but not uneven phase (0.84, trial 2 of the same cell) says nothing', () => {
    const spread = [1171, 1187, 871, 1462, 1476, 2064, 837, 836, 987, 1910, 1167, 770, 828, 1317, 824, 853, 838, 1106, 2525, 2683];
    const [cell] = summarizeCells([cellOf('thread-per-client', 20, [withService(1, spread, 0.83859), even(2), even(3)])], PARAMETERS, CORES);
    expect(cell.summary!.observations).toEqual([]);
    // Just under the bound it is said; at it, not.
    const at = (fairness: number) => summarizeCells([cellOf('iocp', 20, [withService(1, uneven, fairness), even(2)])], PARAMETERS, CORES)[0].summary!.observations.length;
    expect([at(0.4999), at(0.5)]).toEqual([1, 0]);
  });

  it('is not said of a server that serves one client at a time, nor of a phase that left a client unserved', () => {
    const [sequential] = summarizeCells([cellOf('sequential', 20, [withService(1, uneven, 0.16985), even(2)])], PARAMETERS, CORES);
    expect(sequential.summary!.observations.map((o) => o.kind)).not.toContain('uneven-trial');
    const starving = trial({ trial: 1, throughputTps: 23_760, clients: 20, clientsServed: 19 });
    // A client left out is starvation (warned of when the cell's phase leaves one out), not an uneven phase.
    const [starved] = summarizeCells([cellOf('iocp', 20, [{ ...starving, steady: { ...starving.steady!, fairness: 0.2 } }, even(2)])], PARAMETERS, CORES);
    expect(starved.summary!.observations).toEqual([]);
  });
});
