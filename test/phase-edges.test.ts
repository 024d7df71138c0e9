// The measured phase's edges on literals: the first warm-up window boundary at
// least the announcement's lead after now, then a whole number of windows.

import { measuredPhaseEdges } from '../harness/run/edges';

it('starts on the first window boundary at least the lead after now', () => {
  // go at 1000, windows of 50: boundaries 1050, 1100, ...; now 1012 + lead 50 = 1062 -> 1100.
  expect(measuredPhaseEdges(1000, 1012, 50, 50, 6)).toEqual({ startMs: 1100, endMs: 1400 });
  // now 1030 + 50 = 1080 -> 1100 as well: the lead is a minimum, the boundary rounds up.
  expect(measuredPhaseEdges(1000, 1030, 50, 50, 2)).toEqual({ startMs: 1100, endMs: 1200 });
});

it('a lead that ends exactly on a boundary starts there', () => {
  expect(measuredPhaseEdges(1000, 1050, 50, 50, 1)).toEqual({ startMs: 1100, endMs: 1150 });
  expect(measuredPhaseEdges(0, 0, 100, 100, 3)).toEqual({ startMs: 100, endMs: 400 });
});

it('one past a boundary waits for the next', () => {
  expect(measuredPhaseEdges(1000, 1050.5, 50, 50, 1)).toEqual({ startMs: 1150, endMs: 1200 });
});

it('window length and count set the end, counted from the start, not from now', () => {
  expect(measuredPhaseEdges(200, 937, 50, 100, 10)).toEqual({ startMs: 1000, endMs: 2000 });
  expect(measuredPhaseEdges(200, 937, 50, 250, 4)).toEqual({ startMs: 1200, endMs: 2200 });
});
