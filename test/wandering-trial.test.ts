// A measured phase whose windows trended while their mean stayed at the steady
// level (within a third of the tolerance) only wandered: the trial's figure is the
// steady state's, so it is explained among the cell's observations, not warned
// about as drift. A phase whose mean moved further is drift. The run classifies
// each kept phase once and records a wander on the trial; the cell reads that record.

import { classifyMeasuredPhase, measuredDrift, onlyWandered } from '../harness/measure/steady-state';
import { summarizeCells } from '../harness/measure/summarize';
import { observationText } from '../harness/measure/warnings';
import type { MeasuredTrial } from '../harness/schema/results';
import { cellOf, PARAMETERS, trial } from './support/synthetic-trials';

it('the trial of 2026-12-05 (thread-per-client x 5, after two re-measures) wandered: a trend of 20.6%, its mean 3.0% above the steady level', () => {
  const steady = [54_000, 56_000, 55_000, 56_000];
  const measured = [48_700, 55_800, 57_000, 57_100, 60_900, 62_000];
  const drifted = measuredDrift(steady, measured, 0.15)!;
  // Means 341,500 / 6 and 221,000 / 4; the least-squares slope 40,950 / 17.5 per window, over 5 windows.
  expect(drifted.levelShift).toBeCloseTo(341_500 / 6 / 55_250 - 1, 12);
  expect(drifted.trend).toBeCloseTo(((40_950 / 17.5) * 5) / (341_500 / 6), 12);
  expect(onlyWandered(drifted, 0.15)).toBe(true);
});

it('a mean within a third of the tolerance of the steady level wandered; beyond it, drifted', () => {
  expect(onlyWandered({ levelShift: 0.0499, trend: 0.2 }, 0.15)).toBe(true);
  expect(onlyWandered({ levelShift: -0.0499, trend: 0.2 }, 0.15)).toBe(true);
  expect(onlyWandered({ levelShift: 0.0501, trend: 0.2 }, 0.15)).toBe(false);
  expect(onlyWandered({ levelShift: -0.0501, trend: 0.01 }, 0.15)).toBe(false);
  expect(onlyWandered({ levelShift: 0.04, trend: 0.2 }, 0.1)).toBe(false);
});

describe('a phase measured twice before (tolerance 10%: a mean within 3.3% of the steady level)', () => {
  // Steady at 1,000 tx/s; mean 1,000, least-squares slope 2,050 / 82.5 a window, across 9 windows.
  const steadyWindows = [1000, 1000, 1000, 1000];
  const rising = [910, 890, 950, 930, 990, 1010, 1070, 1050, 1110, 1090];
  const classified = (windows: number[]) => classifyMeasuredPhase(steadyWindows, windows, 0.1).kind;

  it('rising from 910 to 1,090 tx/s around 1,000 wandered; the same 10% higher drifted; a phase within 1% held', () => {
    expect(classified(rising)).toBe('wandered');
    expect(classified(rising.map((v) => v * 1.1))).toBe('drifted');
    expect(classified([1000, 1010, 990, 1000, 1005, 995, 1000, 1010, 990, 1000])).toBe('held');
  });

  // The trial records how its kept phase wandered (harness/run/cell.ts); the cell explains it from that record.
  const recorded = (number: number, wandered: { levelShift: number; trend: number } | null, remeasured: number): MeasuredTrial & { outcome: 'measured' } => {
    const t = trial({ trial: number, throughputTps: 1000, clients: 4 });
    return { ...t, warmup: { ...t.warmup, remeasured, wandered } };
  };
  const summaryOf = (first: MeasuredTrial & { outcome: 'measured' }) => summarizeCells([cellOf('wanders', 4, [first, recorded(2, null, 0), recorded(3, null, 0)])], PARAMETERS, 2)[0].summary!;
  const trend = ((2050 / 82.5) * 9) / 1000;

  it('a trial that recorded a wander is observed with its trend, its level and its phases, and not warned about', () => {
    const summary = summaryOf(recorded(1, { levelShift: 0, trend }, 2));
    expect(summary.warnings).toEqual([]);
    const observations = summary.observations.filter((o) => o.kind === 'wandering-trial');
    expect(observations).toEqual([{ kind: 'wandering-trial', trial: 1, levelShift: 0, trend, phases: 3 }]);
    expect(observationText(observations[0])).toBe(
      "trial 1's measured windows trended 22.4% across the phase while their mean stayed +0.0% from the steady state the warm-up found " +
        '(the last of 3 measured phases; each earlier one drifted and was run again after more warm-up): ' +
        "the throughput wandered around its steady state, so the trial's figure is the steady state's, and how far trials differ is in the cell's interval",
    );
  });

  it('trials that recorded none are not', () => {
    expect(summaryOf(recorded(1, null, 2)).observations.filter((o) => o.kind === 'wandering-trial')).toEqual([]);
  });

  it('a first phase says nothing of earlier ones', () => {
    const observation = summaryOf(recorded(1, { levelShift: 0, trend }, 0)).observations.find((o) => o.kind === 'wandering-trial')!;
    expect(observationText(observation)).toBe(
      "trial 1's measured windows trended 22.4% across the phase while their mean stayed +0.0% from the steady state the warm-up found: " +
        "the throughput wandered around its steady state, so the trial's figure is the steady state's, and how far trials differ is in the cell's interval",
    );
  });
});
