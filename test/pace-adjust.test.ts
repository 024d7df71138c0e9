// Throughput, p50, the script's completions and server CPU per transaction adjusted for the host's pace: the common within-cell slope
// on known data, its significance gate, the adjusted values, and what a run's
// summary does with them.

import { adjustToPace, applies, atCommonPace, atPace, commonPace, commonSlope, heldPaces, referencePace, trialPaceUs } from '../harness/measure/pace-adjust';
import { compareRuns } from '../harness/measure/compare';
import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, PARAMETERS, resultsOf, trial } from './support/synthetic-trials';

describe('the common slope', () => {
  // Two cells whose log figure falls exactly 0.8 per unit of log pace, at their own levels:
  // the pooled within-cell slope is -0.8 whatever the levels.
  const paces = [20, 25, 30, 22];
  const cellA = paces.map((paceUs) => ({ paceUs, value: 1000 * (paceUs / 25) ** -0.8 }));
  const cellB = paces.map((paceUs) => ({ paceUs, value: 50_000 * (paceUs / 25) ** -0.8 }));

  it('is the slope every cell follows, fitted within cells (their levels do not move it)', () => {
    const fit = commonSlope([cellA, cellB])!;
    expect(fit.slope).toBeCloseTo(-0.8, 12);
    expect(fit.correlation).toBeCloseTo(-1, 12);
    expect(fit.pValue).toBe(0);
    expect(fit.df).toBe(5); // 3 + 3 within the cells, less the slope
    expect(applies(fit, -1)).toBe(true);
    expect(applies(fit, 1)).toBe(false); // a slope the other way is not used, however significant
  });

  it('matches the least-squares slope of the within-cell deviations, computed here by hand', () => {
    // Cell 1: log paces ln 20, ln 30; log values ln 100, ln 80. Cell 2: ln 22, ln 28, ln 25; ln 10, ln 9, ln 9.4.
    const one = [{ paceUs: 20, value: 100 }, { paceUs: 30, value: 80 }];
    const two = [{ paceUs: 22, value: 10 }, { paceUs: 28, value: 9 }, { paceUs: 25, value: 9.4 }, { paceUs: 26, value: 9.5 }];
    const centered = (points: Array<{ paceUs: number; value: number }>) => {
      const mx = points.reduce((s, p) => s + Math.log(p.paceUs), 0) / points.length;
      const my = points.reduce((s, p) => s + Math.log(p.value), 0) / points.length;
      return points.map((p) => [Math.log(p.paceUs) - mx, Math.log(p.value) - my]);
    };
    const deviations = [...centered(one), ...centered(two)];
    const sxy = deviations.reduce((s, [x, y]) => s + x * y, 0);
    const sxx = deviations.reduce((s, [x]) => s + x * x, 0);
    const fit = commonSlope([one, two])!;
    expect(fit.slope).toBeCloseTo(sxy / sxx, 12);
    expect(fit.df).toBe(3);
  });

  it('is not fitted on too few trials, nor without a spread of pace; a slope fitted on noise does not apply', () => {
    expect(commonSlope([[{ paceUs: 20, value: 1 }, { paceUs: 30, value: 2 }], [{ paceUs: 25, value: 3 }, { paceUs: 26, value: 3.1 }]])).toBeNull(); // 1 df
    expect(commonSlope([paces.map((_, i) => ({ paceUs: 25, value: 1000 + i })), paces.map((_, i) => ({ paceUs: 25, value: 2000 + i }))])).toBeNull();
    // Values that do not follow the pace: r = 0.16 on 5 df, p = 0.73.
    const unrelated = [paces.map((paceUs, i) => ({ paceUs, value: [1000, 1010, 990, 1005][i] })), paces.map((paceUs, i) => ({ paceUs, value: [2000, 1990, 2010, 2000][i] }))];
    const fit = commonSlope(unrelated)!;
    expect(fit.pValue).toBeGreaterThan(0.05);
    expect(applies(fit, -1)).toBe(false);
    expect(applies(fit, 1)).toBe(false);
    expect(applies(null, -1)).toBe(false);
    // Trials without a pace or a figure are left out.
    expect(commonSlope([[...cellA, { paceUs: null, value: 5 }, { paceUs: 20, value: null }], cellB])!.df).toBe(5);
  });
});

it('holds a pace read during a stall within 2x of the run’s median, and leaves the others', () => {
  // Median 25: a stall read 90 is held at 50, a misreading of 10 at 12.5; 20-31 stay.
  expect(heldPaces([25, 20, 31, 90, 24, 10, 26])).toEqual([25, 20, 31, 50, 24, 12.5, 26].map((p) => expect.closeTo(p, 12)));
  // An even count: the median is the geometric mean of the middle two (20 and 80: 40), so 100 is held at 80.
  expect(heldPaces([10, 20, 80, 100])).toEqual([20, 20, 80, 80].map((p) => expect.closeTo(p, 12)));
  expect(heldPaces([])).toEqual([]);
});

it('keeps both of the host’s phases as read when a run spans them (a fast 18 µs and a slow 25-30 µs)', () => {
  // 33 of a run's readings at 17.8-18.5 µs and the rest at 24-28.8 (one run of 2026-12-05): held within 3 scaled
  // MADs of the median they had been pressed into 17.8-22.0 µs.
  const paces = [...Array.from({ length: 45 }, (_, i) => 17.8 + (i % 8) * 0.1), ...Array.from({ length: 37 }, (_, i) => 24 + (i % 9) * 0.6)];
  expect(heldPaces(paces)).toEqual(paces);
});

it('moves each figure to the reference pace, and leaves what it cannot move', () => {
  // 1000 tx/s at 30 µs, slope -1: at 24 µs, 1000 x 30/24 = 1250; at 20 µs, 1000 x 20/24.
  expect(adjustToPace([{ paceUs: 30, value: 1000 }, { paceUs: 20, value: 1000 }], -1, 24)).toEqual([1250, (1000 * 20) / 24]);
  expect(adjustToPace([{ paceUs: 30, value: 0 }, { paceUs: null, value: 7 }, { paceUs: 30, value: null }], -1, 24)).toEqual([0, 7]);
  // The geometric mean of 20 and 45 is 30.
  expect(referencePace([20, 45])).toBeCloseTo(30, 12);
});

it("takes a trial's pace as the geometric mean of the readings before and after it, or the one before alone", () => {
  expect(trialPaceUs({ hostWakeupUs: 16, hostWakeupAfterUs: 36 })).toBeCloseTo(24, 12); // √(16 × 36)
  expect(trialPaceUs({ hostWakeupUs: 16, hostWakeupAfterUs: null })).toBe(16);
  expect(trialPaceUs({ hostWakeupUs: null, hostWakeupAfterUs: 36 })).toBeNull();
});

describe("a run's summary", () => {
  // Two cells at 4 clients whose throughput is 40,000 and 20,000 at 25 µs and falls with the pace (slope -1), each
  // trial at another pace: adjusted to the run's mean pace, every trial of a cell reads the same. The server's CPU
  // per transaction, 10 µs at 25 µs, grows with the square root of the pace (slope 0.5).
  const paces = [20, 25, 31.25];
  const reference = referencePace([...paces, ...paces]); // 25
  const cpuUsPerTransaction = (paceUs: number) => 10 * Math.sqrt(paceUs / 25);
  const cell = (strategy: string, atRef: number, withPace = true) =>
    cellOf(
      strategy,
      4,
      paces.map((paceUs, i) => {
        const throughputTps = atRef * (25 / paceUs); // whole numbers: the trial's transactions in its one-second phase
        return trial({ trial: i + 1, clients: 4, throughputTps, p50Ns: 100_000 * (paceUs / 25), worstDoneMs: 400 * (paceUs / 25), meanDoneMs: 300 * (paceUs / 25), serverCpuUs: cpuUsPerTransaction(paceUs) * throughputTps, hostWakeupUs: withPace ? paceUs : null });
      }),
    );

  it("estimates throughput, p50, the script's completions and server CPU per transaction from the adjusted trials, and says how", () => {
    const [a, b] = summarizeCells([cell('a', 40_000), cell('b', 20_000)], PARAMETERS, 2);
    expect(reference).toBeCloseTo(25, 12);
    expect(a.summary!.paceAdjustment!.referenceUs).toBeCloseTo(25, 12);
    expect(a.summary!.paceAdjustment!.throughputSlope).toBeCloseTo(-1, 12);
    expect(a.summary!.paceAdjustment!.p50Slope).toBeCloseTo(1, 12);
    expect(a.summary!.paceAdjustment!.worstDoneSlope).toBeCloseTo(1, 12);
    expect(a.summary!.paceAdjustment!.meanDoneSlope).toBeCloseTo(1, 12);
    expect(a.summary!.paceAdjustment!.serverCpuSlope).toBeCloseTo(0.5, 9);
    for (const [summary, atRef] of [[a.summary!, 40_000], [b.summary!, 20_000]] as const) {
      // 8.94, 10 and 11.18 µs at 20, 25 and 31.25 µs: 10 each at 25 µs.
      summary.steady!.serverCpuUsPerTransaction!.samples.forEach((v) => expect(v).toBeCloseTo(10, 9));
      summary.steady!.throughputTps.samples.forEach((v) => expect(v).toBeCloseTo(atRef, 6));
      expect(summary.steady!.throughputTps.mean).toBeCloseTo(atRef, 6);
      expect(summary.steady!.throughputTps.high - summary.steady!.throughputTps.low).toBeCloseTo(0, 6);
      expect(summary.steady!.p50Ns.mean).toBeCloseTo(100_000, 6);
      // 320, 400 and 500 ms at 20, 25 and 31.25 µs: 400 ms each at 25 µs.
      summary.script!.worstDoneMs.samples.forEach((v) => expect(v).toBeCloseTo(400, 9));
      summary.script!.meanDoneMs.samples.forEach((v) => expect(v).toBeCloseTo(300, 9));
    }
    // p99 is not adjusted: its trial values as measured.
    expect(a.summary!.steady!.p99Ns.samples).toEqual(paces.map((p) => 300_000 * (p / 25)));
  });

  it("fits the slope on the held paces: a reading taken during a stall (90 µs among 20-31) does not hide it", () => {
    // Cells a and b fall exactly with the pace (slope -1); c too, but its fifth trial ran at 25 µs while the gauge,
    // stalled, read 90. Held (at 50 µs, twice the median), the slope is significant (-0.41, p < 0.05, computed
    // here from the held paces); with the 90 as read it would be -0.16, p = 0.19, and not applied.
    const five = [20, 25, 31.25, 22, 28];
    const ran = [24, 26, 25, 27, 25];
    const read = [24, 26, 25, 27, 90];
    const cellAt = (strategy: string, atRef: number, pacesRun: number[], pacesRead: number[]) =>
      cellOf(strategy, 4, pacesRun.map((paceUs, i) => trial({ trial: i + 1, clients: 4, throughputTps: atRef * (25 / paceUs), hostWakeupUs: pacesRead[i] })));
    const [a] = summarizeCells([cellAt('a', 40_000, five, five), cellAt('b', 20_000, five, five), cellAt('c', 30_000, ran, read)], PARAMETERS, 2);
    const points = (atRef: number, pacesRun: number[], pacesHeld: number[]) => pacesRun.map((paceUs, i) => ({ paceUs: pacesHeld[i], value: atRef * (25 / paceUs) }));
    const byHand = commonSlope([points(40_000, five, five), points(20_000, five, five), points(30_000, ran, [24, 26, 25, 27, 50])])!;
    expect(byHand.slope).toBeCloseTo(-0.405, 3);
    expect(a.summary!.paceAdjustment!.throughputSlope).toBeCloseTo(byHand.slope, 9);
  });

  it('adjusts with the pace that brackets each trial: its readings before and after', () => {
    // The host ran each trial at 20, 25 and 31.25 µs; the reading before read 16, 25 and 25, the one after
    // 25, 25 and 39.0625 (their geometric means are the paces run). With both, every trial of a cell reads
    // its throughput at 25 µs exactly; with the reading before alone they would not agree.
    const before = [16, 25, 25];
    const after = [25, 25, 39.0625];
    const bracketed = (strategy: string, atRef: number) =>
      cellOf(strategy, 4, paces.map((paceUs, i) => trial({ trial: i + 1, clients: 4, throughputTps: atRef * (25 / paceUs), hostWakeupUs: before[i], hostWakeupAfterUs: after[i] })));
    const [a, b] = summarizeCells([bracketed('a', 40_000), bracketed('b', 20_000)], PARAMETERS, 2);
    expect(a.summary!.paceAdjustment!.referenceUs).toBeCloseTo(25, 12);
    a.summary!.steady!.throughputTps.samples.forEach((v) => expect(v).toBeCloseTo(40_000, 6));
    b.summary!.steady!.throughputTps.samples.forEach((v) => expect(v).toBeCloseTo(20_000, 6));
    expect(commonPace([resultsOf([a, b])])).toBeCloseTo(25, 12);
  });

  it('adjusts nothing when a trial has no pace (a file from before it was measured)', () => {
    const [a] = summarizeCells([cell('a', 40_000), cell('b', 20_000, false)], PARAMETERS, 2);
    expect(a.summary!.paceAdjustment).toBeNull();
    expect(a.summary!.steady!.throughputTps.samples).toEqual(paces.map((p) => 40_000 * (25 / p)));
  });
});

describe('runs compared at one pace', () => {
  // Two runs of one machine whose throughput is 1,000,000 / pace (µs) tx/s, and p50 10 µs per µs of pace:
  // run A at paces 20-31.25 µs (its mean 25), run B at twice those (its mean 50). Each run's adjusted figures
  // are at its own mean pace (40,000 and 20,000 tx/s); at one pace they are the same.
  const runAt = (paces: number[]) =>
    resultsOf(
      summarizeCells(
        ['a', 'b'].map((strategy) => cellOf(strategy, 4, paces.map((paceUs, i) => trial({ trial: i + 1, clients: 4, throughputTps: 1_000_000 / paceUs, p50Ns: 10_000 * paceUs, hostWakeupUs: paceUs })))),
        PARAMETERS,
        2,
      ),
    );
  const a = runAt([20, 25, 31.25]);
  const b = runAt([40, 50, 62.5]);

  it('moves each run from its own mean pace to the runs’ common pace', () => {
    expect(a.cells[0].summary!.steady!.throughputTps.mean).toBeCloseTo(40_000, 6);
    expect(b.cells[0].summary!.steady!.throughputTps.mean).toBeCloseTo(20_000, 6);
    const common = Math.sqrt(25 * 50); // the geometric mean of all six paces
    expect(commonPace([a, b])).toBeCloseTo(common, 9);
    for (const run of atCommonPace([a, b])) {
      const steady = run.cells[0].summary!.steady!;
      expect(steady.throughputTps.mean).toBeCloseTo(1_000_000 / common, 6);
      expect(steady.p50Ns.mean).toBeCloseTo(10_000 * common, 4);
      expect(run.cells[0].summary!.paceAdjustment!.referenceUs).toBeCloseTo(common, 9);
    }
    // Throughput and p50 unchanged; p99 (3 x p50 here, not adjusted) doubled with the pace.
    const rows = compareRuns(a, b);
    expect(rows.map((row) => row.changes.map((c) => c!.changed))).toEqual([
      [false, false, true],
      [false, false, true],
    ]);
  });

  it('moves them with a slope fitted on every compared run’s trials, not with each run’s own', () => {
    // Run A's paces lie close together and its trials fit a slope of -4; run B's are spread and follow -1.
    // Moved with its own -4, run A's throughput would be far from run B's at the common pace.
    const run = (paces: number[], throughput: (paceUs: number) => number) =>
      resultsOf(summarizeCells(['a', 'b'].map((strategy) => cellOf(strategy, 4, paces.map((paceUs, i) => trial({ trial: i + 1, clients: 4, throughputTps: throughput(paceUs), hostWakeupUs: paceUs })))), PARAMETERS, 2));
    const pacesA = [24, 25, 26];
    const pacesB = [40, 50, 62.5];
    const a = run(pacesA, (paceUs) => 40_000 * (paceUs / 25) ** -4);
    const b = run(pacesB, (paceUs) => 1_000_000 / paceUs);
    expect(a.cells[0].summary!.paceAdjustment!.throughputSlope).toBeCloseTo(-4, 9);
    expect(b.cells[0].summary!.paceAdjustment!.throughputSlope).toBeCloseTo(-1, 9);
    // The slope over both runs, by hand: within each cell y = slope × x on the centred logs, so
    // sxy / sxx = (-4 × sxx(A) - 1 × sxx(B)) / (sxx(A) + sxx(B)), each cell counted twice in both sums.
    const sxx = (paces: number[]) => {
      const logs = paces.map(Math.log);
      const middle = logs.reduce((s, l) => s + l, 0) / logs.length;
      return logs.reduce((s, l) => s + (l - middle) ** 2, 0);
    };
    const joint = (-4 * sxx(pacesA) - sxx(pacesB)) / (sxx(pacesA) + sxx(pacesB));
    expect(joint).toBeCloseTo(-1.1, 1);
    const geometric = (paces: number[]) => Math.exp(paces.reduce((s, p) => s + Math.log(p), 0) / paces.length);
    const common = geometric([...pacesA, ...pacesB]);
    const [movedA, movedB] = atCommonPace([a, b]);
    // Each run's adjusted throughput (at its own mean pace) moved by (common / its mean pace)^joint.
    const referenceA = geometric(pacesA);
    expect(movedA.cells[0].summary!.steady!.throughputTps.mean).toBeCloseTo(40_000 * (referenceA / 25) ** -4 * (common / referenceA) ** joint, 4);
    expect(movedB.cells[1].summary!.steady!.throughputTps.mean).toBeCloseTo((1_000_000 / 50) * (common / 50) ** joint, 4);
    // The record keeps the slopes each run's own adjustment used.
    expect(movedA.cells[0].summary!.paceAdjustment!.throughputSlope).toBeCloseTo(-4, 9);
  });

  it('scales an estimate: an arithmetic one with its standard error, a logarithmic one without', () => {
    const run = runAt([20, 25, 31.25]);
    const cell = run.cells[0];
    const noisy = { ...cell.summary!.steady!.throughputTps, mean: 1000, low: 900, high: 1100, standardError: 20, samples: [950, 1000, 1050] };
    const logged = { ...cell.summary!.steady!.p50Ns, mean: 100, low: 90, high: 111, standardError: 0.05, samples: [95, 100, 105] };
    const worst = { ...cell.summary!.script!.worstDoneMs, mean: 400, low: 300, high: 500, standardError: 40, samples: [360, 400, 440] };
    const meanClient = { ...worst, mean: 200, low: 150, high: 250, standardError: 20, samples: [180, 200, 220] };
    const cpu = { ...logged, mean: 8, low: 6, high: 10, standardError: 0.1, samples: [7, 8, 9] };
    const adjustment = { referenceUs: 20, throughputSlope: -1, p50Slope: 1, worstDoneSlope: 2, meanDoneSlope: 1, serverCpuSlope: 1 };
    const { referenceUs: _, ...slopes } = adjustment;
    run.cells[0] = {
      ...cell,
      summary: {
        ...cell.summary!,
        paceAdjustment: adjustment,
        steady: { ...cell.summary!.steady!, throughputTps: noisy, p50Ns: logged, serverCpuUsPerTransaction: cpu },
        script: { ...cell.summary!.script!, worstDoneMs: worst, meanDoneMs: meanClient },
      },
    };
    const movedCell = atPace(run, 25, new Map([[4, slopes]])).cells[0].summary!;
    const moved = movedCell.steady!;
    // Throughput: x (25/20)^-1 = 0.8; p50: x 1.25; the worst client: x 1.25^2 = 1.5625; the mean client: x 1.25.
    expect(moved.throughputTps).toMatchObject({ mean: 800, low: 720, high: 880, standardError: 16, samples: [760, 800, 840] });
    expect(moved.p50Ns).toMatchObject({ mean: 125, low: 112.5, high: 138.75, standardError: 0.05, samples: [118.75, 125, 131.25] });
    expect(movedCell.script!.worstDoneMs).toMatchObject({ mean: 625, low: 468.75, high: 781.25, standardError: 62.5, samples: [562.5, 625, 687.5] });
    expect(movedCell.script!.meanDoneMs).toMatchObject({ mean: 250, low: 187.5, high: 312.5, standardError: 25, samples: [225, 250, 275] });
    // Server CPU per transaction: x 1.25, a logarithmic estimate's standard error as it was.
    expect(moved.serverCpuUsPerTransaction).toMatchObject({ mean: 10, low: 7.5, high: 12.5, standardError: 0.1, samples: [8.75, 10, 11.25] });
    // A figure without a slope stays.
    const withoutCompletions = atPace(run, 25, new Map([[4, { ...slopes, worstDoneSlope: null, meanDoneSlope: null, serverCpuSlope: null }]])).cells[0].summary!;
    expect(withoutCompletions.steady!.serverCpuUsPerTransaction).toMatchObject({ mean: 8, samples: [7, 8, 9] });
    expect(withoutCompletions.script!.worstDoneMs).toMatchObject({ mean: 400, samples: [360, 400, 440] });
    expect(withoutCompletions.script!.meanDoneMs).toMatchObject({ mean: 200, samples: [180, 200, 220] });
    // The slopes are a pace group's: a cell whose group has none is a caller's mistake, said.
    expect(() => atPace(run, 25, new Map([[1, slopes]]))).toThrow('no pace slopes for a x 4');
    // A cell that was not adjusted stays as it is.
    const unadjusted = { ...run, cells: [{ ...run.cells[0], summary: { ...run.cells[0].summary!, paceAdjustment: null } }] };
    expect(atPace(unadjusted, 25, new Map()).cells[0]).toBe(unadjusted.cells[0]);
    expect(commonPace([unadjusted, a])).toBeNull();
    expect(atCommonPace([unadjusted, a])).toEqual([unadjusted, a]);
  });
});
