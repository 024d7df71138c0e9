// The host's pace from the round trips measured before each trial: a run's one
// line, and whether two runs' hosts differed (significant, and beyond 5%).

import { hostPace, hostPaceLine, hostPaceShift, hostWakeupsUs, paceShiftLine } from '../harness/measure/host-pace';
import { stabilityText } from '../harness/measure/stability';
import { compareRuns, compareText } from '../harness/measure/compare';
import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, failedTrial, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

const geometricMean = (values: number[]) => Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);

/** One cell of 1 client whose trials measured these round trips (µs) before they ran. */
function runWithPace(wakeupsUs: Array<number | null>) {
  const trials = wakeupsUs.map((hostWakeupUs, i) => trial({ trial: i + 1, throughputTps: 1000 + i, hostWakeupUs }));
  return resultsOf(summarizeCells([cellOf('a', 1, [...trials, failedTrial(wakeupsUs.length + 1, 'boom')])], PARAMETERS, 2));
}

it("reads the measured trials' round trips, and gives their median and range", () => {
  const run = runWithPace([27.5, null, 20.25, 31]);
  // The trial that did not record one (an older file) and the failed trial count nothing.
  expect(hostWakeupsUs(run)).toEqual([27.5, 20.25, 31]);
  expect(hostPace([27.5, 20.25, 31])).toEqual({ trials: 3, medianUs: 27.5, lowUs: 20.25, highUs: 31 });
  expect(hostPace([])).toBeNull();
  expect(hostPaceLine({ trials: 3, medianUs: 27.5, lowUs: 20.25, highUs: 31 })).toBe(
    'Host pace: a wake-up round trip between two threads took 27.5 µs before the median trial (20.3–31.0 µs over 3 trials). ' +
      'It moves with the host, not the code, and 1-client throughput moves with it; the shuffled order spreads its changes over every cell.',
  );
  expect(hostPaceLine({ trials: 1, medianUs: 27.5, lowUs: 27.5, highUs: 27.5 })).toMatch(/^Host pace: a wake-up round trip between two threads took 27\.5 µs before the median trial\. It/);
});

describe('a shift between two runs', () => {
  const slow = [27, 28, 26, 27, 28];
  const fast = [21, 20, 22, 21, 21];

  it('is the ratio of the geometric means, when significant and its whole interval beyond 5%', () => {
    const shift = hostPaceShift(slow, fast)!;
    expect(shift.baseUs).toBeCloseTo(geometricMean(slow), 10);
    expect(shift.newUs).toBeCloseTo(geometricMean(fast), 10);
    expect(shift.relative).toBeCloseTo(geometricMean(fast) / geometricMean(slow) - 1, 10); // -22.8%
    expect(shift.low).toBeLessThan(shift.relative);
    expect(shift.high).toBeGreaterThan(shift.relative);
    expect(shift.high).toBeLessThan(-0.05);
    expect(paceShiftLine(shift)).toBe(
      'Host pace differed between the runs: a wake-up round trip took 27.2 µs (base) and 21.0 µs (new), ' +
        `−23% [${'−' + Math.abs(Math.round(shift.low * 100))}%, ${'−' + Math.abs(Math.round(shift.high * 100))}%], with no code involved. ` +
        'Throughput and p50 are compared at one pace where their slopes were significant; p99 is not adjusted: a faster host moves it too.',
    );
    // The other way round: a slower host.
    const back = hostPaceShift(fast, slow)!;
    expect(back.relative).toBeCloseTo(geometricMean(slow) / geometricMean(fast) - 1, 10); // +29.5%
    expect(paceShiftLine(back)).toMatch(/, \+30% \[\+\d+%, \+\d+%\], with no code involved\. .* a slower host moves it too\.$/);
  });

  it('is not one when not significant, when its interval reaches inside the threshold, or with fewer than two a side', () => {
    expect(hostPaceShift(slow, [27.5, 26.5, 27.2])).toBeNull();
    // +1.8%, tight: significant, but inside 5% (a 1% threshold would take it).
    const tight = [27.0, 27.1, 26.9, 27.0];
    const up = [27.5, 27.6, 27.4, 27.5];
    expect(hostPaceShift(tight, up)).toBeNull();
    expect(hostPaceShift(tight, up, 0.01)!.relative).toBeCloseTo(geometricMean(up) / geometricMean(tight) - 1, 10);
    // -12% on average, but [20, 32] against [24, 31] is too wide to place beyond 5%.
    expect(hostPaceShift([20, 32, 21, 30], [24, 31])).toBeNull();
    expect(hostPaceShift([27], fast)).toBeNull();
    expect(hostPaceShift(slow, [21])).toBeNull();
  });
});

it('compare and bench-stability say when the hosts differed, and per run what the pace was', () => {
  const slowRun = runWithPace([27, 28, 26, 27, 28]);
  const fastRun = runWithPace([21, 20, 22, 21, 21]);
  const note = paceShiftLine(hostPaceShift(hostWakeupsUs(slowRun), hostWakeupsUs(fastRun))!);
  const lines = compareText(compareRuns(slowRun, fastRun), 0.02, [note]).split('\n');
  const summary = lines.findIndex((l) => l.startsWith('1 cells compared'));
  expect(lines[summary + 1]).toBe(note);

  const text = stabilityText([], [], [slowRun, fastRun, slowRun], [1000, 1000, 1000], [], 10).split('\n');
  expect(text).toContain('Host pace per run (wake-up round trip before each trial, median and range): 27.0 µs (26.0–28.0) / 21.0 µs (20.0–22.0) / 27.0 µs (26.0–28.0).');
  const shifts = text.find((l) => l.startsWith('Host pace differed between runs'))!;
  expect(shifts).toMatch(/^Host pace differed between runs \(significant, beyond 5%\): run 1 vs 2 -23% \[-\d+%, -\d+%\]; run 2 vs 3 \+30% \[\d+%, \d+%\]\.$/);
  expect(stabilityText([], [], [slowRun, slowRun], [1000, 1000], [], 10)).toContain('Host pace did not differ beyond 5% between any two runs.');
  // Runs from before the pace was measured: no line.
  const unmeasured = runWithPace([null, null]);
  expect(stabilityText([], [], [unmeasured, slowRun], [1000, 1000], [], 10)).not.toContain('Host pace');
});
