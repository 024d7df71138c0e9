// One trial per cell makes no claim: its windows are not independent samples of
// the launch-to-launch variance (issue 22, defect 4).

import { compareRuns, compareText, regressionsBeyond } from '../harness/measure/compare';
import { compareEstimates } from '../harness/measure/statistics';
import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

const oneTrialRun = (tps: number) => resultsOf(summarizeCells([cellOf('iocp', 4, [trial({ trial: 1, throughputTps: tps, clients: 4 })])], { ...PARAMETERS, repeat: 1 }, 2));

it('two single-launch runs 8% apart: "1 trial: not comparable", no p value, and --fail-on-regression 5 passes', () => {
  const rows = compareRuns(oneTrialRun(1000), oneTrialRun(920));
  const throughput = rows[0].changes[0]!;
  expect(throughput.pValue).toBeNull();
  expect(throughput.changed).toBe(false);
  expect(regressionsBeyond(rows, 5)).toEqual([]);
  expect(compareText(rows, 0.02)).toContain('1 trial: not comparable');
});

it("a single trial's estimate has no interval, so the headline cannot rank it against another", () => {
  const a = oneTrialRun(1000).cells[0].summary!.steady!.throughputTps;
  const b = oneTrialRun(920).cells[0].summary!.steady!.throughputTps;
  expect(a).toMatchObject({ mean: 1000, low: 1000, high: 1000, standardError: null, method: 'none' });
  expect(compareEstimates(b, a)).toBeNull();
});
