// Repeated trials: the seeded, interleaved order they run in.

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
    if (repeat > 1) {
      for (let i = round.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [round[i], round[j]] = [round[j], round[i]];
      }
    }
    for (const cell of round) order.push({ cell, trial });
  }
  return order;
}
