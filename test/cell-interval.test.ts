// A cell's interval comes from its own trials: a noisy peer neither widens nor
// narrows it (issue 22, defect 1), and it covers the true mean 95% of the time
// whether the cell is the noisy one or a quiet one.

import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, PARAMETERS, trial } from './support/synthetic-trials';
import { normal, seeded } from './support/random';

const CORES = 2;
// Student's t, 97.5th percentile, 2 degrees of freedom (tables: 4.303).
const T_2 = 4.302652729911275;

const cell = (strategy: string, tps: number[]) => cellOf(strategy, 20, tps.map((throughputTps, i) => trial({ trial: i + 1, throughputTps, clients: 20 })));
const throughput = (cells: ReturnType<typeof summarizeCells>, strategy: string) => cells.find((c) => c.strategy === strategy)!.summary!.steady!.throughputTps;

it('a noisy third cell at the same client count changes neither A nor B: each keeps the interval of its own three trials', () => {
  const a = [20000, 20400, 19600];
  const b = [15000, 15300, 14700];
  const alone = summarizeCells([cell('a', a), cell('b', b)], PARAMETERS, CORES);
  const withNoisy = summarizeCells([cell('a', a), cell('b', b), cell('c', [8000, 22000, 12000])], PARAMETERS, CORES);
  // A: mean 20000, sd 400 -> half-width t(2) * 400 / sqrt(3); B: mean 15000, sd 300.
  const halfA = (T_2 * 400) / Math.sqrt(3);
  const halfB = (T_2 * 300) / Math.sqrt(3);
  for (const cells of [alone, withNoisy]) {
    expect(throughput(cells, 'a').low).toBeCloseTo(20000 - halfA, 6);
    expect(throughput(cells, 'a').high).toBeCloseTo(20000 + halfA, 6);
    expect(throughput(cells, 'a').df).toBe(2);
    expect(throughput(cells, 'b').low).toBeCloseTo(15000 - halfB, 6);
    expect(throughput(cells, 'b').high).toBeCloseTo(15000 + halfB, 6);
  }
});

it('covers the true mean about 95% of the time for a cell 3x noisier than its 7 peers, and for the peers (seeded, 1000 runs)', () => {
  const random = seeded(20261203);
  const runs = 1000;
  let noisyCovered = 0;
  let quietCovered = 0;
  for (let r = 0; r < runs; r++) {
    // 8 cells at 20 clients, 3 trials each, true mean 1000 tx/s; 5% launch-to-launch noise, 15% for cell 0.
    const cells = Array.from({ length: 8 }, (_, c) => cell(`s${c}`, Array.from({ length: 3 }, () => normal(random, 1000, c === 0 ? 150 : 50))));
    const summarized = summarizeCells(cells, PARAMETERS, CORES);
    const noisy = throughput(summarized, 's0');
    const quiet = throughput(summarized, 's1');
    if (noisy.low <= 1000 && 1000 <= noisy.high) noisyCovered++;
    if (quiet.low <= 1000 && 1000 <= quiet.high) quietCovered++;
  }
  expect(noisyCovered / runs).toBeGreaterThan(0.93);
  expect(noisyCovered / runs).toBeLessThan(0.97);
  expect(quietCovered / runs).toBeGreaterThan(0.93);
  expect(quietCovered / runs).toBeLessThan(0.97);
});
