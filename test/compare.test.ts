// `pipebench compare`: "~" where runs do not differ significantly, the change with
// its interval where they do, and --fail-on-regression's exit code for CI.

import { compareMarkdown, compareRuns, compareText, regressionsBeyond, summaryLine } from '../harness/measure/compare';
import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, failedTrial, PARAMETERS, resultsOf, trial, twoCellRun } from './support/synthetic-trials';

const run = twoCellRun;

const base = run([1000, 1010, 990], [500, 505, 495]);

it('says "~" for every figure when nothing changed', () => {
  const rows = compareRuns(base, run([1005, 995, 1000], [502, 498, 500]));
  for (const row of rows) for (const change of row.changes) expect(change?.changed).toBe(false);
  expect(summaryLine(rows)).toBe('2 cells compared: 2 with no significant change (~), 0 with a significant regression, 0 with a significant improvement');
});

it('reports a significant 20% drop in throughput as a regression, with its interval', () => {
  const rows = compareRuns(base, run([800, 808, 792], [500, 505, 495]));
  const [iocp, nodeNet] = rows;
  const throughput = iocp.changes[0]!;
  expect(throughput.changed).toBe(true);
  expect(throughput.regression).toBe(true);
  expect(throughput.relative).toBeCloseTo(-0.2, 12);
  expect(throughput.low).toBeLessThan(-0.2);
  expect(throughput.high).toBeGreaterThan(-0.2);
  expect(nodeNet.changes[0]!.changed).toBe(false);
  expect(regressionsBeyond(rows, 10).map((r) => `${r.row.strategy} ${r.figure.name}`)).toEqual(['iocp throughput']);
  expect(regressionsBeyond(rows, 25)).toEqual([]);
});

it('a change inside the noise threshold is "~" even when significant', () => {
  const rows = compareRuns(base, run([1010, 1010.5, 1009.5], [500, 505, 495]), 0.02);
  expect(rows[0].changes[0]!.changed).toBe(false);
});

it('asks one question of the whole table: a figure significant for its cell (Holm over 3) is "~" among 2 cells x 3 figures', () => {
  // Moderated on the log scale: each cell's two sides pooled (4 df), the two cells' variances alike (d0 = ∞, s0² = 2e^(γ−1) x their
  // geometric mean, 8 df; computed with scipy). Throughput up 3%, p = 0.0129: below 0.05 / 3, above 0.05 / 6; the other five figures p = 1.
  const borderline = compareRuns(base, run([1040, 1030, 1020], [500, 505, 495]), 0.005)[0].changes;
  expect(borderline[0]!.pValue).toBeCloseTo(0.012889185747209913, 8);
  expect(borderline.map((change) => change!.changed)).toEqual([false, false, false]);
  // Up 4.5%, p = 0.0014: below 0.05 / 6, and its interval [+2.3%, +6.8%] beyond 0.5%: a change.
  const clear = compareRuns(base, run([1055, 1045, 1035], [500, 505, 495]), 0.005)[0].changes;
  expect(clear[0]!.pValue).toBeCloseTo(0.0014263330817763029, 8);
  expect(clear[0]!.low).toBeCloseTo(0.022953312270801676, 8);
  expect(clear.map((change) => change!.changed)).toEqual([true, false, false]);
});

it('asks --fail-on-regression\'s question one-sided: a drop with two-sided p = 0.0120 (above 0.05 / 6) is a regression, a rise like it is "~"', () => {
  // Throughput 1000 -> 970 (scipy, as above): one-sided p = 0.0060, below 0.05 / 6 for the table's six one-sided tests; interval [-5.1%, -0.9%].
  const drop = compareRuns(base, run([980, 970, 960], [500, 505, 495]), 0.005);
  expect(drop[0].changes[0]!.pValue).toBeCloseTo(0.011990492159622642, 8);
  expect(drop[0].changes[0]!.high).toBeCloseTo(-0.00870011023857707, 8);
  expect(drop[0].changes[0]).toMatchObject({ changed: true, regression: true });
  expect(regressionsBeyond(drop, 0.5).map((r) => `${r.row.strategy} ${r.figure.name}`)).toEqual(['iocp throughput']);
  expect(regressionsBeyond(drop, 1)).toEqual([]);
  // A rise with two-sided p = 0.0129 (1000 -> 1030) is only asked two-sided: "~" (first test above).
});

describe('the printed comparison', () => {
  const rows = compareRuns(base, run([800, 808, 792], [500, 505, 495]));

  it('gives each figure base, new and change, "~" where nothing changed', () => {
    const lines = compareText(rows, 0.02).split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'cell', 'throughput base tx/s', 'throughput new tx/s', 'throughput change',
      'p50 base µs', 'p50 new µs', 'p50 change', 'p99 base µs', 'p99 new µs', 'p99 change',
    ]);
    // iocp: 1,000 -> 800 tx/s is -20.0% (means of the trials above); p50 stays at 20 µs.
    const iocp = lines.find((line) => line.startsWith('iocp x 4'))!.split(/\s{2,}/);
    expect(iocp.slice(0, 3)).toEqual(['iocp x 4', '1,000', '800']);
    expect(iocp[3]).toMatch(/^-20\.0% \[-\d+\.\d%, -\d+\.\d%\]$/);
    expect(iocp.slice(4, 7)).toEqual(['20', '20', '~']);
    expect(lines.find((line) => line.startsWith('node-net x 4'))!.split(/\s{2,}/).slice(0, 4)).toEqual(['node-net x 4', '500', '500', '~']);
    expect(lines).toContain('2 cells compared: 1 with no significant change (~), 1 with a significant regression, 0 with a significant improvement');
    expect(lines.some((line) => line.endsWith('Noise threshold 2.0%.'))).toBe(true);
  });

  it('writes the same table as markdown, naming both runs', () => {
    const lines = compareMarkdown(rows, 0.05, 'runs/a', 'runs/b').split('\n');
    expect(lines.slice(0, 5)).toEqual(['# pipebench compare', '', 'Base: `runs/a`  ', 'New: `runs/b`', '']);
    expect(lines[5]).toBe('| cell | throughput base tx/s | throughput new tx/s | throughput change | p50 base µs | p50 new µs | p50 change | p99 base µs | p99 new µs | p99 change |');
    expect(lines[6]).toBe(`| --- |${' ---: |'.repeat(9)}`);
    expect(lines[7]).toMatch(/^\| iocp x 4 \| 1,000 \| 800 \| -20\.0% \[-\d+\.\d%, -\d+\.\d%\] \| 20 \| 20 \| ~ \|/);
    expect(lines[8]).toMatch(/^\| node-net x 4 \| 500 \| 500 \| ~ \|/);
    expect(lines).toContain('2 cells compared: 1 with no significant change (~), 1 with a significant regression, 0 with a significant improvement');
    expect(lines.some((line) => line.endsWith('Noise threshold 5.0%.'))).toBe(true);
  });

  it('counts an improvement as an improvement', () => {
    const better = compareRuns(base, run([1200, 1212, 1188], [500, 505, 495]));
    expect(better[0].changes[0]).toMatchObject({ changed: true, regression: false });
    expect(summaryLine(better)).toBe('2 cells compared: 1 with no significant change (~), 0 with a significant regression, 1 with a significant improvement');
    expect(compareText(better, 0.02)).toMatch(/iocp x 4 +1,000 +1,200 +\+20\.0% \[\+\d+\.\d%, \+\d+\.\d%\]/);
  });
});

describe('which cells and figures are compared', () => {
  const p50Run = (p50sNs: number[]) =>
    resultsOf(summarizeCells([cellOf('iocp', 4, p50sNs.map((p50Ns, i) => trial({ trial: i + 1, throughputTps: 1000, p50Ns, clients: 4 })))], PARAMETERS, 2));

  it('a turnaround that rises significantly is a regression; one that falls is not', () => {
    const p50Base = p50Run([20_000, 20_200, 19_800]);
    const slower = compareRuns(p50Base, p50Run([24_000, 24_240, 23_760]))[0].changes[1]!;
    expect(slower).toMatchObject({ changed: true, regression: true });
    expect(slower.relative).toBeCloseTo(0.2, 12);
    const faster = compareRuns(p50Base, p50Run([16_000, 16_160, 15_840]))[0].changes[1]!;
    expect(faster).toMatchObject({ changed: true, regression: false });
    expect(faster.relative).toBeCloseTo(-0.2, 12);
  });

  it("the change's interval is relative to the base, around the change", () => {
    const throughput = compareRuns(base, run([800, 808, 792], [500, 505, 495]))[0].changes[0]!;
    // Both runs vary 1% between trials: the interval of a -20% change stays within a few percent of it.
    expect(throughput.low).toBeGreaterThan(-0.25);
    expect(throughput.high).toBeLessThan(-0.15);
    expect(throughput.pValue).toBeLessThan(0.001);
  });

  it('compares only the cells both runs have', () => {
    const onlyIocp = resultsOf(summarizeCells([cellOf('iocp', 4, [1000, 1010, 990].map((tps, i) => trial({ trial: i + 1, throughputTps: tps, clients: 4 })))], PARAMETERS, 2));
    expect(compareRuns(base, onlyIocp).map((row) => row.strategy)).toEqual(['iocp']);
    expect(compareRuns(onlyIocp, base).map((row) => row.strategy)).toEqual(['iocp']);
  });

  it('a regression counts against --fail-on-regression only when its whole interval lies beyond the percentage', () => {
    // -20% on the log scale: every cell varies 1% (relative variance 1e-4, pooled over both sides on 4 df), so d0 = ∞ and
    // s0² = 1e-4·2e^(γ−1) on 8 df; standard error sqrt(2·s0²/3): interval [-21.7%, -18.3%] (scipy; the Welch of the cell's own
    // trials gave [-22.1%, -17.9%]).
    const rows = compareRuns(base, run([800, 808, 792], [500, 505, 495]));
    expect(rows[0].changes[0]!.high).toBeCloseTo(-0.1825698256715916, 10);
    expect(regressionsBeyond(rows, 17.5)).toHaveLength(1);
    expect(regressionsBeyond(rows, 18.5)).toEqual([]);
    // An improvement never counts, however large.
    expect(regressionsBeyond(compareRuns(base, run([1500, 1515, 1485], [500, 505, 495])), 1)).toEqual([]);
  });
});

describe('cells that cannot be compared, and the printing of odd values', () => {
  const cellRun = (strategy: string, clients: number, throughputs: number[], p50Ns = 20_000) =>
    resultsOf(summarizeCells([cellOf(strategy, clients, throughputs.map((tps, i) => trial({ trial: i + 1, throughputTps: tps, p50Ns, clients })))], PARAMETERS, 2));
  const withoutSteady = (results: ReturnType<typeof cellRun>) => ({
    ...results,
    cells: results.cells.map((cell) => ({ ...cell, summary: { ...cell.summary!, steady: null } })),
  });

  it('a cell measured without a steady phase, or failed, in one run is "n/a" with empty figures, and not counted as compared', () => {
    const failed = resultsOf(summarizeCells([cellOf('iocp', 4, [failedTrial(1, 'boom')])], PARAMETERS, 2));
    for (const other of [withoutSteady(cellRun('iocp', 4, [1000, 1010, 990])), failed]) {
      const rows = compareRuns(cellRun('iocp', 4, [1000, 1010, 990]), other);
      expect(rows).toEqual([{ strategy: 'iocp', clients: 4, changes: [null, null, null] }]);
      expect(summaryLine(rows)).toBe('0 cells compared: 0 with no significant change (~), 0 with a significant regression, 0 with a significant improvement');
      expect(compareMarkdown(rows, 0.02, 'a', 'b').split('\n')[7]).toBe('| iocp x 4 |  |  | n/a |  |  | n/a |  |  | n/a |');
    }
  });

  it('a base throughput of 0 cannot give a relative change: "n/a"', () => {
    const rows = compareRuns(cellRun('iocp', 4, [0, 0, 0]), cellRun('iocp', 4, [1000, 1010, 990]));
    expect(rows[0].changes[0]).toBeNull();
    expect(rows[0].changes[1]).not.toBeNull();
  });

  it('an estimate of one trial is never a change, has no p-value, and says so', () => {
    const next = cellRun('iocp', 4, [2000, 2000, 2000]);
    const steady = next.cells[0].summary!.steady!;
    steady.throughputTps = { ...steady.throughputTps, standardError: null, low: 2000, high: 2000, df: 0, method: 'none' };
    const [row] = compareRuns(cellRun('iocp', 4, [1000, 1010, 990]), next);
    expect(row.changes[0]).toMatchObject({ relative: 1, comparable: false, changed: false, regression: false, pValue: null });
    expect(row.changes[0]!.low).toBeNaN();
    expect(compareText([row], 0.02)).toMatch(/iocp x 4 +1,000 +2,000 +1 trial: not comparable/);
  });

  it('a significant change below the noise threshold stays "~"; above it, it counts', () => {
    const tight = cellRun('iocp', 4, [1000, 1000.5, 999.5]);
    const [row] = compareRuns(tight, cellRun('iocp', 4, [1010, 1010.5, 1009.5]), 0.02);
    expect(row.changes[0]!.pValue).toBeLessThan(0.001);
    expect(row.changes[0]!.changed).toBe(false);
    expect(compareRuns(tight, cellRun('iocp', 4, [1010, 1010.5, 1009.5]), 0.005)[0].changes[0]!.changed).toBe(true);
  });

  it('matches cells by strategy and client count', () => {
    expect(compareRuns(cellRun('iocp', 4, [1000, 1010, 990]), cellRun('iocp', 8, [1000, 1010, 990]))).toEqual([]);
  });

  it('prints throughput in whole tx/s and turnaround to 0.1 µs, and escapes "|" in markdown', () => {
    const rows = compareRuns(cellRun('a|b', 4, [1000.4, 1000.4, 1000.4], 20_400), cellRun('a|b', 4, [1000.4, 1000.4, 1000.4], 20_400));
    const lines = compareMarkdown(rows, 0.02, 'x', 'y').split('\n');
    expect(lines[7]).toMatch(/^\| a\\\|b x 4 \| 1,000 \| 1,000 \| ~ \| 20\.4 \| 20\.4 \| ~ \|/);
    expect(lines.slice(8)).toEqual([
      '',
      '1 cells compared: 1 with no significant change (~), 0 with a significant regression, 0 with a significant improvement',
      '',
      expect.stringMatching(/Noise threshold 2\.0%\.$/),
      '',
    ]);
  });
});
