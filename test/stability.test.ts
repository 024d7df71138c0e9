// The stability benchmark's arithmetic on made-up runs: which cells stayed within
// ±5%, which moved and whether their intervals were wider than the run's
// precision target, and which claims agreed.

import { summarizeCells } from '../harness/measure/summarize';
import { cellStability, claimAgreement, pairGates, stabilityText } from '../harness/measure/stability';
import { cellOf, failedTrial, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

function runWith(throughputs: [number, number]) {
  return resultsOf(
    summarizeCells(
      [
        cellOf('a', 1, [1, 2, 3].map((n) => trial({ trial: n, throughputTps: throughputs[0] }))),
        cellOf('b', 4, [trial({ trial: 1, throughputTps: throughputs[1] * 0.7 }), trial({ trial: 2, throughputTps: throughputs[1] }), trial({ trial: 3, throughputTps: throughputs[1] * 1.3 })]),
      ],
      PARAMETERS,
      2,
    ),
  );
}

it('finds the cells within ±5% in every run, and whether a cell that moved was wider than its precision target', () => {
  const cells = cellStability([runWith([1000, 500]), runWith([1030, 600]), runWith([990, 450])]);
  const [a, b] = cells;
  expect([a.cell, b.cell]).toEqual(['a x 1', 'b x 4']);
  expect(a.throughputTps).toEqual([1000, 1030, 990]);
  // mean 1006.67: the largest deviation is 1030 / 1006.67 - 1 = 2.3%.
  expect(a.throughputDeviation).toBeCloseTo(1030 / (3020 / 3) - 1, 12);
  expect(a.stable).toBe(true);
  expect(a.impreciseInRuns).toBe(0);
  expect(b.stable).toBe(false);
  // b's trials scatter ±30%: every run's interval is wider than its ±5% target.
  expect(b.impreciseInRuns).toBe(3);
});

it('claims agree only when every run says the same', () => {
  const agreement = claimAgreement([
    [
      { key: 'Throughput at 20 clients', verdict: 'iocp' },
      { key: 'p99 at 20 clients', verdict: 'no significant difference' },
    ],
    [
      { key: 'Throughput at 20 clients', verdict: 'iocp' },
      { key: 'p99 at 20 clients', verdict: 'overlapped' },
    ],
  ]);
  expect(agreement).toEqual([
    { key: 'Throughput at 20 clients', verdicts: ['iocp', 'iocp'], agree: true },
    { key: 'p99 at 20 clients', verdicts: ['no significant difference', 'overlapped'], agree: false },
  ]);
  expect(claimAgreement([[{ key: 'x', verdict: 'a' }], []])[0]).toEqual({ key: 'x', verdicts: ['a', '(not claimed)'], agree: false });
});

it('prints per cell the runs, the largest deviation and the flags, then the verdicts', () => {
  const runs = [runWith([1000, 500]), runWith([1030, 600]), runWith([990, 450])];
  const claims = claimAgreement([[{ key: 'k', verdict: 'a' }], [{ key: 'k', verdict: 'a' }], [{ key: 'k', verdict: 'b' }]]);
  const lines = stabilityText(cellStability(runs), claims, runs, [61_000, 59_400, 60_600], pairGates(runs, 10), 10).split('\n');
  expect(lines[0].split(/\s{2,}/)).toEqual(['cell', 'tx/s per run', 'max deviation', 'p50 µs per run', 'max deviation', 'within ±5.0%', 'wider than target']);
  // a: 1030 against the mean 1006.67 is +2.3%; b: 600 against 516.67 is +16.1%.
  expect(lines.find((l) => l.startsWith('a x 1'))!.split(/\s{2,}/)).toEqual(['a x 1', '1,000 / 1,030 / 990', '±2.3%', expect.any(String), expect.any(String), 'yes', '0 of 3']);
  expect(lines.find((l) => l.startsWith('b x 4'))!.split(/\s{2,}/)).toEqual(['b x 4', '500 / 600 / 450', '±16.1%', expect.any(String), expect.any(String), 'no', '3 of 3']);
  expect(lines).toContain('1 of 2 cells (50.0%) within ±5.0% on throughput in all 3 runs.');
  expect(lines).toContain('1 of 2 cells (50.0%) within ±5.0% on throughput and p50 in all 3 runs.');
  // a moved at most 4%; b's ±30% trials make no change significant.
  expect(lines).toContain('compare --fail-on-regression 10, 3 of 3 pairs of runs pass: run 1 vs 2 passes; run 1 vs 3 passes; run 2 vs 3 passes.');
  expect(lines).toContain("Every cell that moved was wider than its run's precision target in at least one run.");
  expect(lines).toContain('0 of 1 claims of the reports agreed in every run.');
  expect(lines).toContain('  disagreed: k: a | a | b');
  expect(lines.find((l) => l.startsWith('Warnings per run:'))).toMatch(/Run durations: 61 s, 59 s, 61 s\.$/);
});

describe('edges', () => {
  /** One cell 'a x 1' whose three trials all give `throughputTps` and `p50Ns`: steady within its run, never flagged. */
  const steadyRun = (throughputTps: number, p50Ns = 20_000, extra: Parameters<typeof cellOf>[] = []) =>
    resultsOf(
      summarizeCells(
        [cellOf('a', 1, [1, 2, 3].map((n) => trial({ trial: n, throughputTps, p50Ns }))), ...extra.map((args) => cellOf(...args))],
        PARAMETERS,
        2,
      ),
    );

  it('a cell whose p50 moved is not stable, though its throughput held; a cell that moved without a flag is named', () => {
    const runs = [steadyRun(1000, 20_000), steadyRun(1000, 24_000)];
    const [a] = cellStability(runs);
    // p50 is the geometric mean of the trials' (equal here): exact up to rounding in exp(log).
    expect(a.p50Ns[0]).toBeCloseTo(20_000, 6);
    expect(a.p50Ns[1]).toBeCloseTo(24_000, 6);
    expect(a.throughputDeviation).toBe(0);
    expect(a.p50Deviation).toBeCloseTo(24 / 22 - 1, 12);
    expect(a.stable).toBe(false);
    expect(a.impreciseInRuns).toBe(0);
    const lines = stabilityText([a], [], runs, [1000, 2000], [], 10).split('\n');
    expect(lines.find((l) => l.startsWith('a x 1'))!.split(/\s{2,}/)).toEqual(['a x 1', '1,000 / 1,000', '±0.0%', '20.0 / 24.0', '±9.1%', 'no', '0 of 2']);
    expect(lines).toContain("Cells that moved while within their run's precision target in every run: a x 1.");
    expect(lines).toContain('1 of 1 cells (100.0%) within ±5.0% on throughput in all 2 runs.');
    expect(lines).toContain('0 of 1 cells (0.0%) within ±5.0% on throughput and p50 in all 2 runs.');
  });

  it('a cell missing from a run, or without a measured phase in one, is not stable; a cell that failed counts no flag', () => {
    const failed = ['b', 1, [failedTrial(1, 'boom')]] as Parameters<typeof cellOf>;
    const runs = [steadyRun(1000, 20_000, [failed]), steadyRun(1000)];
    const onlyPhaseless = steadyRun(1000);
    onlyPhaseless.cells[0] = { ...onlyPhaseless.cells[0], summary: { ...onlyPhaseless.cells[0].summary!, steady: null } };
    const [a, b] = cellStability([...runs, onlyPhaseless]);
    expect(a).toMatchObject({ cell: 'a x 1', throughputTps: [1000, 1000], throughputDeviation: 0, stable: false, impreciseInRuns: 0 });
    expect(b).toMatchObject({ cell: 'b x 1', throughputTps: [], p50Ns: [], stable: false, impreciseInRuns: 0 });
    expect(b.throughputDeviation).toBeNaN();
    const row = stabilityText([b], [], runs, [1000, 1000], [], 10).split('\n').find((l) => l.startsWith('b x 1'))!;
    expect(row.split(/\s{2,}/)).toEqual(['b x 1', '±-', '±-', 'no', '0 of 2']);
  });

  it('counts a cell without an interval as within no target and wider than none, whatever its warnings', () => {
    // b: its one trial served 1 of 4 clients (a 'starved' warning), and with one trial no interval.
    const run = steadyRun(1000, 20_000, [['b', 4, [trial({ trial: 1, throughputTps: 500, clients: 4, clientsServed: 1 })]]]);
    expect(run.cells[1].summary!.warnings.map((w) => w.kind)).toEqual(['starved']);
    expect(cellStability([run, run])[1].impreciseInRuns).toBe(0);
  });

  it("counts each run's warnings, its own and its cells', lists only the claims that disagreed, and ends in a newline", () => {
    const quiet = steadyRun(1000);
    const busy = { ...steadyRun(1000), warnings: [{ kind: 'busy-machine' as const, busyCpuShare: 0.5, loadAverage: 1, cores: 2, idleProbeP99Ms: null, probes: null }] };
    const starving = steadyRun(1000, 20_000, [['b', 4, [trial({ trial: 1, throughputTps: 500, clients: 4, clientsServed: 1 })]]]);
    const runs = [quiet, busy, starving];
    const claims = claimAgreement([
      [{ key: 'same', verdict: 'a' }, { key: 'moved', verdict: 'a' }],
      [{ key: 'same', verdict: 'a' }, { key: 'moved', verdict: 'b' }],
      [{ key: 'same', verdict: 'a' }, { key: 'moved', verdict: 'a' }],
    ]);
    const text = stabilityText(cellStability(runs), claims, runs, [1499, 1500, 120_000], [], 10);
    const lines = text.split('\n');
    expect(text.endsWith('.\n')).toBe(true);
    expect(lines[lines.findIndex((l) => l.startsWith('b x 4')) + 1]).toBe(''); // the table's last row, then a blank line
    expect(lines).toContain('1 of 2 claims of the reports agreed in every run.');
    expect(lines.filter((l) => l.startsWith('  disagreed:'))).toEqual(['  disagreed: moved: a | b | a']);
    expect(lines).toContain('Warnings per run: 0, 1, 1. Run durations: 1 s, 2 s, 120 s.');
  });
});

describe('the regression gate between every pair of runs', () => {
  const run = (scale: number) =>
    resultsOf(summarizeCells([cellOf('a', 1, [1000, 1010, 990].map((tps, i) => trial({ trial: i + 1, throughputTps: tps * scale })))], PARAMETERS, 2));

  it('fails a pair whose throughput fell 20% with trials 1% apart, and names the cell; passes the others', () => {
    const runs = [run(1), run(1.01), run(0.8)];
    const gates = pairGates(runs, 10);
    expect(gates.map((g) => [g.base, g.next, g.regressions.length])).toEqual([
      [1, 2, 0],
      [1, 3, 1],
      [2, 3, 1],
    ]);
    // 800 / 1000 - 1 = -20.0%.
    expect(gates[1].regressions).toEqual(['a x 1 throughput -20.0%']);
    const text = stabilityText(cellStability(runs), [], runs, [1000, 1000, 1000], gates, 10);
    expect(text).toContain(
      'compare --fail-on-regression 10, 1 of 3 pairs of runs pass: run 1 vs 2 passes; run 1 vs 3 fails (a x 1 throughput -20.0%); run 2 vs 3 fails (a x 1 throughput -20.8%).',
    );
  });
});
