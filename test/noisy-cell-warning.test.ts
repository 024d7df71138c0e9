// A cell whose trials vary significantly more than the machine's noise (the run's
// other cells, pooled) is flagged; cells that vary like the rest are not, nor is a
// cell that does so by one trial whose clients' own CPU per transaction moved
// against its throughput (the host ran slower or faster during it): that is said.

import { HOST_EXPLAINS, summarizeCells } from '../harness/measure/summarize';
import { observationText, warningText } from '../harness/measure/warnings';
import { cellOf, PARAMETERS, trial } from './support/synthetic-trials';

const cell = (strategy: string, tps: number[]) => cellOf(strategy, 4, tps.map((throughputTps, i) => trial({ trial: i + 1, throughputTps, clients: 4 })));

const quiet = [
  [1000, 1010, 990],
  [2000, 2040, 1960],
  [500, 505, 495],
  [800, 790, 810],
  [1500, 1530, 1470],
  [3000, 3030, 2970],
  [1200, 1212, 1188],
];

it('flags the one cell of eight whose trials vary 40% when the others vary 1-2%', () => {
  const cells = summarizeCells([...quiet.map((tps, i) => cell(`q${i}`, tps)), cell('noisy', [600, 1400, 1000])], PARAMETERS, 2);
  const flagged = cells.filter((c) => c.summary!.warnings.some((w) => w.kind === 'noisy-cell')).map((c) => c.strategy);
  expect(flagged).toEqual(['noisy']);
  const warning = cells.find((c) => c.strategy === 'noisy')!.summary!.warnings.find((w) => w.kind === 'noisy-cell')!;
  expect(warningText(warning)).toMatch(/^throughput varied 40\.0% between trials \(600, 1,400, 1,000 tx\/s; sd over mean\), against the run's 1\.\d% \(F test, p = /);
});

describe('a cell off by one trial', () => {
  // 1,000 and 1,010 tx/s, then 600: 27% between trials, against the others' 1-2%.
  const dip = (clientCpuUs: (throughputTps: number) => number) =>
    cellOf('dip', 4, [1000, 1010, 600].map((throughputTps, i) => trial({ trial: i + 1, throughputTps, clients: 4, clientCpuUs: clientCpuUs(throughputTps) })));
  const summaryOf = (cells: ReturnType<typeof summarizeCells>) => cells.find((c) => c.strategy === 'dip')!.summary!;

  it('is not flagged when its clients spent more CPU per transaction in it, as on a slower host; the trial is named', () => {
    expect(HOST_EXPLAINS).toBe(0.5);
    // The clients' CPU over the one-second phase the same in every trial: per transaction 100, 99.0 and 166.7 µs.
    const summary = summaryOf(summarizeCells([...quiet.map((tps, i) => cell(`q${i}`, tps)), dip(() => 100_000)], PARAMETERS, 2));
    expect(summary.warnings.filter((w) => w.kind === 'noisy-cell')).toEqual([]);
    const observation = summary.observations.find((o) => o.kind === 'outlying-trial')!;
    expect(observation).toMatchObject({ kind: 'outlying-trial', trial: 3, throughputTps: 600, othersTps: [1000, 1010] });
    // 166.67 / ((100 + 99.01) / 2)
    expect(observation.kind === 'outlying-trial' && observation.clientCostRatio).toBeCloseTo(1.675, 3);
    expect(observationText(observation)).toBe(
      "trial 3 read 600 tx/s against 1,000, 1,010 for the cell's other trials, and its clients spent 1.67× the CPU per transaction they spent in those: " +
        "the host ran slower during that trial (the clients do the same work against every server); without it the cell's trials vary as the run's other cells do, and its interval includes it",
    );
  });

  it('is flagged when its clients spent the same CPU per transaction in it', () => {
    const summary = summaryOf(summarizeCells([...quiet.map((tps, i) => cell(`q${i}`, tps)), dip((tps) => 50 * tps)], PARAMETERS, 2));
    expect(summary.warnings.map((w) => w.kind)).toEqual(['noisy-cell']);
    expect(summary.observations.filter((o) => o.kind === 'outlying-trial')).toEqual([]);
  });

  it('is flagged when its other trials still vary more than the run, quoting their test', () => {
    // 600 leaves (its clients' CPU fixed, so their cost per transaction x1.89); 1,400, 1,000 and 1,000 still vary:
    // relative variance 53,333 / 1,133.3^2 = 0.0415 against the quiet cells' pooled (1 + 4 + 1 + 1.5625 + 4 + 1 + 1) / 7
    // x 1e-4 = 1.9375e-4 on 14 df. The upper tail of F(2, 14) is (1 + 2F/14)^-7.
    const cells = summarizeCells([...quiet.map((tps, i) => cell(`q${i}`, tps)), cellOf('dip', 4, [600, 1400, 1000, 1000].map((throughputTps, i) => trial({ trial: i + 1, throughputTps, clients: 4 })))], PARAMETERS, 2);
    const warning = summaryOf(cells).warnings.find((w) => w.kind === 'noisy-cell')!;
    const f = 53_333.333 / 1_133.333 ** 2 / 1.9375e-4;
    expect(warning.kind === 'noisy-cell' && warning.pValue / (1 + (2 * f) / 14) ** -7).toBeCloseTo(1, 3);
  });

  it('is flagged when its clients moved less than half as far as its throughput (log scale)', () => {
    // Per transaction 50, 50 and 65 µs: ln(65 / 50) = 0.26 against ln(1005 / 600) = 0.52, a share of 0.51; 64 µs: 0.47.
    const cost = (trialUs: number) => (tps: number) => (tps === 600 ? trialUs : 50) * tps;
    const explained = summaryOf(summarizeCells([...quiet.map((tps, i) => cell(`q${i}`, tps)), dip(cost(65))], PARAMETERS, 2));
    const unexplained = summaryOf(summarizeCells([...quiet.map((tps, i) => cell(`q${i}`, tps)), dip(cost(64))], PARAMETERS, 2));
    expect([explained.warnings.length, unexplained.warnings.length]).toEqual([0, 1]);
  });
});
