// A cell's summary when its trials measured only one phase (--mode steady or
// script), its context switches per transaction, and its peaks across trials.

import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, PARAMETERS, trial } from './support/synthetic-trials';

const CORES = 2;

it('a cell of --mode script has no steady figures, and a cell of --mode steady no script figures', () => {
  const scriptOnly = [1, 2].map((n) => ({ ...trial({ trial: n, throughputTps: 1000, worstDoneMs: 40 + n }), steady: null }));
  const steadyOnly = [1, 2].map((n) => ({ ...trial({ trial: n, throughputTps: 1000 + n }), script: null }));
  const [script, steady] = summarizeCells([cellOf('s', 1, scriptOnly), cellOf('t', 1, steadyOnly)], PARAMETERS, CORES);
  expect(script.summary!.steady).toBeNull();
  expect(script.summary!.script!.worstDoneMs.mean).toBe(41.5);
  expect(script.summary!.script!.worstDoneMs.samples).toEqual([41, 42]);
  expect(steady.summary!.script).toBeNull();
  expect(steady.summary!.steady!.throughputTps.samples).toEqual([1001, 1002]);
});

it('context switches per transaction count both kinds, over the measured phase', () => {
  // 1,000 transactions in the phase, 100 voluntary + 50 involuntary switches: 0.15 each.
  const withSwitches = (n: number) => {
    const t = trial({ trial: n, throughputTps: 1000, serverCpuUs: 10_000 });
    t.steady!.serverCost = { ...t.steady!.serverCost!, voluntaryContextSwitches: 100, involuntaryContextSwitches: 50 };
    return t;
  };
  const [cell] = summarizeCells([cellOf('a', 1, [withSwitches(1), withSwitches(2)])], PARAMETERS, CORES);
  expect(cell.summary!.steady!.contextSwitchesPerTransaction!.mean).toBeCloseTo(0.15, 12);
  // Without a reading of the switches there is no figure.
  const unread = (n: number) => {
    const t = trial({ trial: n, throughputTps: 1000, serverCpuUs: 10_000 });
    t.steady!.serverCost = { ...t.steady!.serverCost!, voluntaryContextSwitches: null, involuntaryContextSwitches: 50 };
    return t;
  };
  const [none] = summarizeCells([cellOf('a', 1, [unread(1), unread(2)])], PARAMETERS, CORES);
  expect(none.summary!.steady!.contextSwitchesPerTransaction).toBeNull();
  // No server cost (an external server without --external-pid): no CPU figure either.
  const [external] = summarizeCells([cellOf('x', 1, [trial({ trial: 1, throughputTps: 1000 }), trial({ trial: 2, throughputTps: 1000 })])], PARAMETERS, CORES);
  expect(external.summary!.steady!.serverCpuUsPerTransaction).toBeNull();
  expect(external.summary!.steady!.contextSwitchesPerTransaction).toBeNull();
});

it('peak threads and memory are the largest of any trial, and absent when never sampled', () => {
  const peaks = (n: number, threads: number | null, rss: number | null) => ({ ...trial({ trial: n, throughputTps: 1000 }), serverLoad: threads === null ? null : { peakThreads: threads, peakRssKb: rss!, sampling: 'test', samples: 3 } });
  const [cell, unsampled] = summarizeCells(
    [cellOf('a', 1, [peaks(1, 9, 70_000), peaks(2, 12, 60_000), peaks(3, 7, 80_000)]), cellOf('b', 1, [peaks(1, null, null), peaks(2, null, null)])],
    PARAMETERS,
    CORES,
  );
  expect(cell.summary!.peakThreads).toBe(12);
  expect(cell.summary!.peakRssKb).toBe(80_000);
  expect(unsampled.summary!.peakThreads).toBeNull();
  expect(unsampled.summary!.peakRssKb).toBeNull();
});

it("the script's timeline comes from the trial whose worst client is nearest the middle", () => {
  const [cell] = summarizeCells([cellOf('a', 1, [30, 50, 90].map((ms, i) => trial({ trial: i + 1, throughputTps: 1000, worstDoneMs: ms })))], PARAMETERS, CORES);
  // Worst clients 30, 50 and 90 ms: mean 56.7, nearest 50 (trial 2).
  expect(cell.summary!.script!.timelineTrial).toBe(2);
});
