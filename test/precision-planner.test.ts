// Precision on request (BenchmarkDotNet-style): the planner adds trials, in
// shuffled rounds, only to the cells that miss the target, and stops when all
// reach it or before a trial would overrun the budget. No real time: the planner
// is told the time, the run gets a fake clock that each mock trial advances.

import type { TrialPlan, TrialRunner } from '../harness/run/cell';
import { defaultsOf, MEASURE_KNOBS, PRECISION_MIN_TRIALS, SERVER_KNOBS, TIMEOUT_KNOBS, WORKLOAD_KNOBS } from '../contract/knobs';
import type { RunOptions } from '../harness/options';
import type { RunOutput } from '../harness/output';
import type { RunResults, Trial } from '../harness/schema/results';
import { runBenchmark } from '../harness/run/run';
import { CellState, PlannedTrial, TrialPlanner } from '../harness/run/trials';
import { trial } from './support/synthetic-trials';

/** Runs the planner to its end: each trial takes `durationMs` of its cell; a cell reaches the target after `needs` trials. */
function drive(needs: number[], durationMs: number[], settings: { repeat: number; target: number | null; budgetMs: number; minTrials?: number }) {
  const planner = new TrialPlanner(needs.length, { seed: 3, minTrials: settings.repeat, reserveMs: 0, ...settings });
  const states: CellState[] = needs.map(() => ({ durationsMs: [], reached: null, setAside: 0 }));
  const order: PlannedTrial[] = [];
  let elapsedMs = 0;
  for (;;) {
    const next = planner.next(states, elapsedMs);
    if (typeof next === 'string') return { order, end: next, elapsedMs, counts: states.map((s) => s.durationsMs.length) };
    order.push(next);
    elapsedMs += durationMs[next.cell];
    const state = states[next.cell];
    state.durationsMs.push(durationMs[next.cell]);
    state.reached = settings.target === null ? null : state.durationsMs.length >= needs[next.cell];
  }
}

it('adds trials only where the target is missed: cells needing 3, 5, 3 and 9 trials get exactly that', () => {
  const { counts, end, order } = drive([3, 5, 3, 9], [1000, 1000, 1000, 1000], { repeat: 3, target: 0.05, budgetMs: 3_600_000 });
  expect(counts).toEqual([3, 5, 3, 9]);
  expect(end).toBe('reached');
  // Each cell's trials are numbered 1, 2, 3, ... in the order they ran.
  for (let cell = 0; cell < 4; cell++) expect(order.filter((t) => t.cell === cell).map((t) => t.trial)).toEqual(Array.from({ length: counts[cell] }, (_, i) => i + 1));
});

it('does not stop a cell that reached the target before its minimum of trials: cells needing 3, 5, 3 and 9 get 8, 8, 8 and 9', () => {
  const { counts, end } = drive([3, 5, 3, 9], [1000, 1000, 1000, 1000], { repeat: 3, target: 0.05, budgetMs: 3_600_000, minTrials: 8 });
  expect(counts).toEqual([8, 8, 8, 9]);
  expect(end).toBe('reached');
});

it('puts the cells that miss the target first in an added round, before those only short of the minimum', () => {
  // Five cells; cell 2 never reaches the target, the others reach it at once but are short of 8 trials. Room for one added trial.
  for (let seed = 1; seed <= 20; seed++) {
    const planner = new TrialPlanner(5, { seed, repeat: 3, target: 0.05, minTrials: 8, budgetMs: 16_000, reserveMs: 0 });
    const states: CellState[] = Array.from({ length: 5 }, (_, cell) => ({ durationsMs: [], reached: cell !== 2, setAside: 0 }));
    const added: number[] = [];
    let elapsedMs = 0;
    for (let next = planner.next(states, 0); typeof next !== 'string'; next = planner.next(states, elapsedMs)) {
      if (states.every((s) => s.durationsMs.length >= 3)) added.push(next.cell);
      states[next.cell].durationsMs.push(1000);
      elapsedMs += 1000;
    }
    expect(added).toEqual([2]);
  }
});

it('keeps added trials interleaved: every round holds each missing cell once, in a shuffled order', () => {
  const { order } = drive([3, 7, 3, 7], [1000, 1000, 1000, 1000], { repeat: 3, target: 0.05, budgetMs: 3_600_000 });
  // 3 rounds of 4 cells, then 4 rounds of cells 1 and 3 only.
  expect(order).toHaveLength(12 + 8);
  for (let r = 0; r < 3; r++) expect(order.slice(r * 4, r * 4 + 4).map((t) => t.cell).sort()).toEqual([0, 1, 2, 3]);
  const added = order.slice(12).map((t) => t.cell);
  for (let r = 0; r < 4; r++) expect(added.slice(r * 2, r * 2 + 2).sort()).toEqual([1, 3]);
  // Shuffled: not the same order in every round.
  expect(new Set([0, 1, 2, 3].map((r) => added.slice(r * 2, r * 2 + 2).join())).size).toBe(2);
});

it('stops before an added trial that would end after the budget; never cuts the first --repeat rounds', () => {
  // Cells of 10 s and 20 s per trial; one never reaches the target. Budget 100 s.
  const { counts, end, elapsedMs } = drive([3, 100], [10_000, 20_000], { repeat: 3, target: 0.05, budgetMs: 100_000 });
  expect(end).toBe('budget');
  expect(elapsedMs).toBeLessThanOrEqual(100_000);
  // 3 rounds: 90 s; the next 20 s trial of cell 1 would end at 110 s.
  expect(counts).toEqual([3, 3]);
  // The first --repeat rounds always run, whatever the budget: 25 s is spent after 3 of their 6 trials of 10 s,
  // and no trial is added after them.
  const short = drive([3, 5], [10_000, 10_000], { repeat: 3, target: 0.05, budgetMs: 25_000 });
  expect(short.counts).toEqual([3, 3]);
  expect(short.end).toBe('budget');
});

it("expects an added trial to last as long as its cell's longest so far, not their mean", () => {
  // Trials of 2, 2 and 5 s (mean 3 s) end at 9 s: a fourth expected at 5 s would end at 14 s, past a 13.5 s budget.
  const planner = new TrialPlanner(1, { seed: 1, repeat: 3, target: 0.05, minTrials: 1, budgetMs: 13_500, reserveMs: 0 });
  const states: CellState[] = [{ durationsMs: [], reached: false, setAside: 0 }];
  let elapsedMs = 0;
  for (const durationMs of [2000, 2000, 5000]) {
    expect(planner.next(states, elapsedMs)).toEqual({ cell: 0, trial: states[0].durationsMs.length + 1 });
    states[0].durationsMs.push(durationMs);
    elapsedMs += durationMs;
  }
  expect(planner.next(states, elapsedMs)).toBe('budget');
});

/** Trials of 1 s, each `gapMs` after the last, of 2 cells that never reach the target: how many start, and when the last ended. */
function withGaps(gapMs: number, budgetMs: number, reserveMs: number) {
  const planner = new TrialPlanner(2, { seed: 5, repeat: 1, target: 0.05, minTrials: 1, budgetMs, reserveMs });
  const states: CellState[] = [
    { durationsMs: [], reached: false, setAside: 0 },
    { durationsMs: [], reached: false, setAside: 0 },
  ];
  let elapsedMs = 0;
  let trials = 0;
  for (let next = planner.next(states, elapsedMs); typeof next !== 'string'; next = planner.next(states, elapsedMs)) {
    states[next.cell].durationsMs.push(1000);
    elapsedMs += 1000 + gapMs;
    trials++;
  }
  return { trials, endedMs: elapsedMs - gapMs };
}

it('counts the gap between trials (the pace gauge, the results written) and keeps the reserve for the report', () => {
  // No gaps, no reserve: ten trials of 1 s fill 10 s.
  expect(withGaps(0, 10_000, 0)).toEqual({ trials: 10, endedMs: 10_000 });
  // 0.5 s between trials: the trial starting at 9 s would end, with its gap, at 10.5 s; six trials end at 8.5 s.
  expect(withGaps(500, 10_000, 0)).toEqual({ trials: 6, endedMs: 8_500 });
  // 2 s kept for the report: the trials end by 8 s.
  expect(withGaps(0, 10_000, 2_000)).toEqual({ trials: 8, endedMs: 8_000 });
});

it('with no target, exactly --repeat rounds', () => {
  const { counts, end } = drive([9, 9], [1000, 1000], { repeat: 2, target: null, budgetMs: 3_600_000 });
  expect(counts).toEqual([2, 2]);
  expect(end).toBe('repeat');
});

it('does not retry a cell whose trials all failed (nothing to judge): it is neither reached nor missing', () => {
  const planner = new TrialPlanner(2, { seed: 1, repeat: 1, target: 0.05, minTrials: 1, budgetMs: 3_600_000, reserveMs: 0 });
  const states: CellState[] = [
    { durationsMs: [], reached: null, setAside: 0 },
    { durationsMs: [], reached: null, setAside: 0 },
  ];
  for (let k = 0; k < 2; k++) {
    const next = planner.next(states, 0) as PlannedTrial;
    states[next.cell].durationsMs.push(1000);
  }
  states[1].reached = false;
  expect(planner.next(states, 2000)).toEqual({ cell: 1, trial: 2 });
  states[1].reached = true;
  expect(planner.next(states, 3000)).toBe('reached');
});

describe('the run with a mock trial runner and a fake clock', () => {
  function options(overrides: Partial<RunOptions>): RunOptions {
    return {
      bail: false,
      repeat: 3,
      seed: 4,
      idleProbeMs: 0,
      precision: 0.05,
      maxTimeMs: 3_600_000,
      strategies: ['sequential', 'node-net'],
      clients: [1],
      external: null,
      server: defaultsOf(SERVER_KNOBS),
      workload: defaultsOf(WORKLOAD_KNOBS),
      measurement: defaultsOf(MEASURE_KNOBS),
      timeouts: defaultsOf(TIMEOUT_KNOBS),
      commandLine: 'pipebench run',
      outDir: '/nowhere',
      ...overrides,
    };
  }
  const output = { resultsPath: '/nowhere/results.json', writeResults: () => {}, openLog: () => { throw new Error('no log'); } } as unknown as RunOutput;

  // sequential's trials: 1000 tx/s ± 1 (well inside ±5%); node-net's alternate 800 and 1200 until its 6th trial, then hold 1000.
  function runner(clock: { ms: number }): TrialRunner & { plans: TrialPlan[] } {
    const plans: TrialPlan[] = [];
    return {
      plans,
      run: async (plan: TrialPlan): Promise<Trial> => {
        plans.push(plan);
        clock.ms += 5000;
        const noisy = plan.target.kind === 'strategy' && plan.target.name === 'node-net';
        const tps = noisy ? (plan.trial <= 6 ? (plan.trial % 2 ? 800 : 1200) : 1000) : 1000 + (plan.trial % 2 ? 1 : -1);
        return { ...trial({ trial: plan.trial, throughputTps: tps }), durationMs: 5000, runPosition: plan.runPosition };
      },
      prepare: async () => [],
      close: () => {},
    };
  }

  it("spends the budget on the noisy cell, and records each cell's precision and trials", async () => {
    const clock = { ms: 0 };
    const run = runner(clock);
    const lines: string[] = [];
    const results: RunResults = await runBenchmark(options({}), run, output, { line: (l) => lines.push(l) }, () => clock.ms);
    const count = (name: string) => run.plans.filter((p) => p.target.kind === 'strategy' && p.target.name === name).length;
    // sequential reaches the target at once, and runs the minimum; node-net's 8 trials of 800/1200 and 1000 are ±15%.
    expect(count('sequential')).toBe(PRECISION_MIN_TRIALS);
    expect(PRECISION_MIN_TRIALS).toBe(8);
    expect(count('node-net')).toBeGreaterThan(8);
    expect(results.ended).toBe('reached');
    for (const cell of results.cells) {
      expect(cell.summary!.precision!.reached).toBe(true);
      expect(cell.summary!.precision!.throughputTps!).toBeLessThanOrEqual(0.05);
      expect(cell.summary!.measuredTrials).toBe(cell.trials.length);
    }
    expect(lines[lines.length - 1]).toBe('precision ±5.0%: 2 of 2 cells reached it; every measured cell reached it');
    expect(lines.filter((l) => l.includes('node-net x 1 client, trial 9 (added for precision): '))).toHaveLength(1);
  });

  it('runs a trial in place of one the host changed pace during before any other added trial', async () => {
    // sequential's trial 2 read 17 µs before and 28 µs after (5,000 tx/s): set aside, sequential has 2 trials to estimate from,
    // reaches ±5% on them (999 and 1,001 tx/s) but is short of 3; node-net misses the target. Room for one added trial: 6 x 5 s, then 35 s <= 37 s - 2 s.
    const clock = { ms: 0 };
    const plans: TrialPlan[] = [];
    const run: TrialRunner = {
      run: async (plan: TrialPlan): Promise<Trial> => {
        plans.push(plan);
        clock.ms += 5000;
        const name = plan.target.kind === 'strategy' ? plan.target.name : '';
        const changed = name === 'sequential' && plan.trial === 2;
        const tps = changed ? 5000 : name === 'node-net' ? (plan.trial % 2 ? 800 : 1200) : 1000 + (plan.trial % 2 ? 1 : -1);
        const paces = changed ? { hostWakeupUs: 17, hostWakeupAfterUs: 28 } : { hostWakeupUs: 25, hostWakeupAfterUs: 25 };
        return { ...trial({ trial: plan.trial, throughputTps: tps, ...paces }), durationMs: 5000, runPosition: plan.runPosition };
      },
      prepare: async () => [],
      close: () => {},
    };
    const results = await runBenchmark(options({ maxTimeMs: 37_000 }), run, output, { line: () => {} }, () => clock.ms);
    expect(plans).toHaveLength(7);
    expect(plans[6]).toMatchObject({ target: { name: 'sequential' }, trial: 4 });
    const sequential = results.cells.find((c) => c.strategy === 'sequential')!.summary!;
    expect(sequential.measuredTrials).toBe(3);
    expect(sequential.observations).toContainEqual({ kind: 'pace-changed', trial: 2, beforeUs: 17, afterUs: 28 });
  });

  it("stops at the budget less the report's 2 s: 40 s of 5-s trials is 7 trials, and says so once", async () => {
    const clock = { ms: 0 };
    const run = runner(clock);
    const lines: string[] = [];
    const results = await runBenchmark(options({ maxTimeMs: 40_000 }), run, output, { line: (l) => lines.push(l) }, () => clock.ms);
    expect(run.plans).toHaveLength(7);
    expect(results.ended).toBe('budget');
    expect(results.cells.find((c) => c.strategy === 'node-net')!.summary!.precision!.reached).toBe(false);
    expect(lines[lines.length - 1]).toMatch(/^precision ±5\.0%: 1 of 2 cells reached it; the budget of 40s would be overrun by the next trial and the report \(35s spent\); a longer --max-time/);
  });

  it("counts the budget from the command's start: 3.5 s gone before the run leaves 40 s room for 6 trials, not 7", async () => {
    // 3.5 + 6 x 5 = 33.5 s (34s, rounded); a seventh would end at 38.5 s, past 40 s less the report's 2 s.
    const clock = { ms: 3500 };
    const run = runner(clock);
    const lines: string[] = [];
    const results = await runBenchmark(options({ maxTimeMs: 40_000 }), run, output, { line: (l) => lines.push(l) }, () => clock.ms);
    expect(run.plans).toHaveLength(6);
    expect(results.ended).toBe('budget');
    expect(lines[lines.length - 1]).toMatch(/the budget of 40s would be overrun by the next trial and the report \(34s spent\)/);
  });
});
