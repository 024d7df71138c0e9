// Repeated trials: the seeded, interleaved order they run in, and the planner that
// adds trials where the noise is until a precision is reached or a budget spent.

import { mean, median } from '../measure/statistics';

/** mulberry32: a small seeded generator, so an order can be run again with --seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates, in place. */
function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

export interface PlannedTrial {
  /** Index into the cell list. */
  cell: number;
  /** 1-based trial number of that cell. */
  trial: number;
}

/**
 * `repeat` rounds, each a shuffled permutation of every cell (Fisher-Yates), so a
 * cell's trials are spread over the run and drift in the machine hits all cells alike.
 * One trial per cell keeps the natural order.
 */
export function trialOrder(cells: number, repeat: number, seed: number): PlannedTrial[] {
  const order: PlannedTrial[] = [];
  const random = seededRandom(seed);
  for (let trial = 1; trial <= repeat; trial++) {
    const round = Array.from({ length: cells }, (_, cell) => cell);
    if (repeat > 1) shuffle(round, random);
    for (const cell of round) order.push({ cell, trial });
  }
  return order;
}

/** What the planner knows of a cell when it picks the next trial. */
export interface CellState {
  /** Trials run so far (failed ones included), and how long each took. */
  durationsMs: number[];
  /** Whether its throughput and p50 are within the target; null: no target, or nothing measured to judge (a cell whose trials all failed is not tried again). */
  reached: boolean | null;
  /** Measured trials its figures leave out (the host changed pace during them: pace-adjust.ts estimatedTrials). */
  setAside: number;
}

export interface PlannerSettings {
  /** Rounds of every cell before any is added for precision. */
  repeat: number;
  seed: number;
  /** Relative half-width wanted (0.05: ±5%); null: exactly `repeat` rounds. */
  target: number | null;
  /** Trials a cell has before its reaching the target ends its trials (PRECISION_MIN_TRIALS in a run). */
  minTrials: number;
  budgetMs: number;
  /** Kept at the end of the budget for what follows the last trial (the report). */
  reserveMs: number;
}

/** Why the planner stopped: every cell reached the target, the next trial would overrun the budget, or `repeat` rounds ran with no target. */
export type PlanEnd = 'reached' | 'budget' | 'repeat';

/**
 * Picks trials one at a time (BenchmarkDotNet's precision on request): first
 * `repeat` shuffled rounds of every cell (trialOrder), then rounds of only the
 * cells that miss the target or have run fewer than `minTrials`, each round
 * shuffled, so added trials stay interleaved, a cell short of `repeat` trials to
 * estimate from (one set aside) first; stops when every cell has reached
 * it over `minTrials` trials, or before an added trial expected (its cell's mean
 * trial duration so far, and the median gap between trials) to end after the
 * budget less its reserve. The first `repeat` rounds always run, whatever the
 * budget: a budget that cut them would leave cells with 2 trials, whose t at 1
 * degree of freedom (12.7) makes intervals of ±100% and more. Pure: the caller
 * says what has happened and how much time has passed.
 */
export class TrialPlanner {
  private readonly queue: PlannedTrial[];
  private readonly random: () => number;
  /** Trials of the first `repeat` rounds not yet handed out: the budget does not apply to them. */
  private firstRounds: number;
  /** The time between one trial's end and the next one's start (the host's pace measured, the results written), each seen so far. */
  private readonly gapsMs: number[] = [];
  private handed: { cell: number; atMs: number } | null = null;

  constructor(
    cells: number,
    private readonly settings: PlannerSettings,
  ) {
    this.queue = trialOrder(cells, settings.repeat, settings.seed);
    this.firstRounds = this.queue.length;
    // A stream of its own for the added rounds, so the first rounds stay those of --seed.
    this.random = seededRandom(settings.seed ^ 0x5bd1e995);
  }

  next(states: readonly CellState[], elapsedMs: number): PlannedTrial | PlanEnd {
    if (this.queue.length === 0) {
      if (this.settings.target === null) return 'repeat';
      const missing = states.flatMap((state, cell) => (state.reached === false ? [cell] : []));
      const short = states.flatMap((state, cell) => (state.reached === true && state.durationsMs.length < this.settings.minTrials ? [cell] : []));
      if (missing.length + short.length === 0) return 'reached';
      // The cells that miss the target first in the round: a budget that runs out mid-round has spent it on the noise.
      // Before them, a cell left with fewer than `repeat` trials to estimate from by a trial set aside: one in its place.
      const replacing = [...missing, ...short].filter((cell) => states[cell].durationsMs.length - states[cell].setAside < this.settings.repeat);
      const rest = (cells: number[]) => cells.filter((cell) => !replacing.includes(cell));
      const [first, thenMissing, thenShort] = [replacing, rest(missing), rest(short)];
      for (const cells of [first, thenMissing, thenShort]) shuffle(cells, this.random);
      for (const cell of [...first, ...thenMissing, ...thenShort]) this.queue.push({ cell, trial: 0 });
    }
    if (this.handed) {
      const last = states[this.handed.cell].durationsMs.at(-1);
      if (last !== undefined) this.gapsMs.push(Math.max(0, elapsedMs - this.handed.atMs - last));
    }
    const { cell } = this.queue[0];
    const own = states[cell].durationsMs;
    const all = states.flatMap((state) => state.durationsMs);
    // The trial, as long as the cell's longest so far (a re-measured phase adds seconds: with their mean, one
    // default run of 2026-12-05 ended 1 s past its budget), and the gap before it; the median gap, as the first
    // holds the clients' warm-up.
    const expectedMs = (own.length ? Math.max(...own) : all.length ? mean(all) : 0) + (this.gapsMs.length ? median(this.gapsMs) : 0);
    if (this.firstRounds === 0 && elapsedMs + expectedMs > this.settings.budgetMs - this.settings.reserveMs) return 'budget';
    if (this.firstRounds > 0) this.firstRounds--;
    this.queue.shift();
    this.handed = { cell, atMs: elapsedMs };
    return { cell, trial: own.length + 1 };
  }
}
