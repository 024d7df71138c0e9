// A cell whose trials vary significantly more than the machine's noise (the run's
// other cells, pooled) is flagged; cells that vary like the rest are not.

import { summarizeCells } from '../harness/measure/summarize';
import { warningText } from '../harness/measure/warnings';
import { cellOf, PARAMETERS, trial } from './support/synthetic-trials';

const cell = (strategy: string, tps: number[]) => cellOf(strategy, 4, tps.map((throughputTps, i) => trial({ trial: i + 1, throughputTps, clients: 4 })));

it('flags the one cell of eight whose trials vary 40% when the others vary 1-2%', () => {
  const quiet = [
    [1000, 1010, 990],
    [2000, 2040, 1960],
    [500, 505, 495],
    [800, 790, 810],
    [1500, 1530, 1470],
    [3000, 3030, 2970],
    [1200, 1212, 1188],
  ];
  const cells = summarizeCells([...quiet.map((tps, i) => cell(`q${i}`, tps)), cell('noisy', [600, 1400, 1000])], PARAMETERS, 2);
  const flagged = cells.filter((c) => c.summary!.warnings.some((w) => w.kind === 'noisy-cell')).map((c) => c.strategy);
  expect(flagged).toEqual(['noisy']);
  const warning = cells.find((c) => c.strategy === 'noisy')!.summary!.warnings.find((w) => w.kind === 'noisy-cell')!;
  expect(warningText(warning)).toMatch(/^throughput varied 40\.0% between trials \(600, 1,400, 1,000 tx\/s; sd over mean\), against the run's 1\.\d% \(F test, p = /);
});
