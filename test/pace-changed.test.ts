// A trial whose host-pace readings before and after it lie more than 1.5x apart
// (the host changed pace during it, or one reading was a misreading) has no pace
// to be adjusted by: it is set aside from the cell's figures, its errors still
// count, and the report says which trial and why.

import { estimatedTrials, paceChangedDuring, PACE_CHANGED_BEYOND } from '../harness/measure/pace-adjust';
import { summarizeCells } from '../harness/measure/summarize';
import { observationText } from '../harness/measure/warnings';
import { cellOf, PARAMETERS, trial } from './support/synthetic-trials';

it('counts a change of pace beyond 1.5x either way, and none without both readings', () => {
  expect(PACE_CHANGED_BEYOND).toBe(1.5);
  const changed = (hostWakeupUs: number | null, hostWakeupAfterUs: number | null) => paceChangedDuring({ hostWakeupUs, hostWakeupAfterUs });
  // 27.7 / 17.1 = 1.62 and 30 / 19.9 = 1.51 changed; 34 / 24 = 1.42 (two readings of the slow phase) and 24.5 / 24.0 did not.
  expect([changed(17.1, 27.7), changed(30, 19.9), changed(24, 34), changed(24.0, 24.5), changed(17.1, null), changed(null, 27.7)]).toEqual([true, true, false, false, false, false]);
});

describe("a cell's figures", () => {
  // Cell a: 20,000 and 21,000 tx/s at a steady 25 µs; trial 3 read 17 µs before and 28 µs after, 40,000 tx/s, with a wrong answer.
  const cellA = cellOf('a', 1, [
    trial({ trial: 1, throughputTps: 20_000, hostWakeupUs: 25, hostWakeupAfterUs: 25 }),
    trial({ trial: 2, throughputTps: 21_000, hostWakeupUs: 25, hostWakeupAfterUs: 25 }),
    trial({ trial: 3, throughputTps: 40_000, hostWakeupUs: 17, hostWakeupAfterUs: 28, errors: { mismatches: 1 } }),
  ]);
  const cellB = cellOf('b', 1, [1, 2, 3].map((n) => trial({ trial: n, throughputTps: 30_000, hostWakeupUs: 25, hostWakeupAfterUs: 25 })));

  it('leave out the trial the host changed pace during, and count its errors', () => {
    const [a] = summarizeCells([cellA, cellB], PARAMETERS, 2);
    expect(a.summary!.measuredTrials).toBe(2);
    // (20,000 + 21,000) / 2, at one pace: nothing to adjust.
    expect(a.summary!.steady!.throughputTps.mean).toBe(20_500);
    expect(a.summary!.steady!.throughputTps.samples).toEqual([20_000, 21_000]);
    expect(a.summary!.errors.mismatches).toBe(1);
    expect(a.summary!.observations).toContainEqual({ kind: 'pace-changed', trial: 3, beforeUs: 17, afterUs: 28 });
  });

  it('keep every trial when the host changed pace during all of them', () => {
    const changing = cellOf('c', 1, [1, 2].map((n) => trial({ trial: n, throughputTps: 10_000 * n, hostWakeupUs: 17, hostWakeupAfterUs: 28 })));
    expect(estimatedTrials(changing.trials).map((t) => t.trial)).toEqual([1, 2]);
    const [c] = summarizeCells([changing], PARAMETERS, 2);
    expect(c.summary!.steady!.throughputTps.mean).toBe(15_000);
    expect(c.summary!.observations.filter((o) => o.kind === 'pace-changed')).toEqual([]);
  });
});

it('says which trial was set aside and why', () => {
  expect(observationText({ kind: 'pace-changed', trial: 3, beforeUs: 17, afterUs: 28.04 })).toBe(
    "trial 3 was set aside: the host's wake-up round trip read 17.0 µs before it and 28.0 µs after, more than 1.5× apart (the host changed pace during it, or one reading was a misreading), so no pace stands for it; its errors still count, and the cell's figures come from its other trials",
  );
});
