// The trial order on literals: mulberry32's published sequence, and the
// Fisher-Yates rounds it drives, computed independently (a Python transcription
// of mulberry32 and of the shuffle), so the order a --seed names stays the same.

import { seededRandom, trialOrder } from '../harness/run/trials';

const pairs = (order: { cell: number; trial: number }[]) => order.map(({ cell, trial }) => [cell, trial]);

it('seededRandom is mulberry32', () => {
  const one = seededRandom(1);
  expect([one(), one(), one()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  const fortyTwo = seededRandom(42);
  expect([fortyTwo(), fortyTwo(), fortyTwo()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
});

it('each round is a seeded Fisher-Yates shuffle of every cell, trials numbered by round', () => {
  expect(pairs(trialOrder(4, 3, 42))).toEqual([
    [0, 1], [3, 1], [1, 1], [2, 1],
    [3, 2], [1, 2], [0, 2], [2, 2],
    [0, 3], [2, 3], [3, 3], [1, 3],
  ]);
  expect(pairs(trialOrder(3, 2, 7))).toEqual([
    [1, 1], [2, 1], [0, 1],
    [0, 2], [1, 2], [2, 2],
  ]);
  expect(pairs(trialOrder(2, 2, 1))).toEqual([
    [0, 1], [1, 1],
    [1, 2], [0, 2],
  ]);
});

it('one trial per cell keeps the natural order, whatever the seed', () => {
  expect(pairs(trialOrder(4, 1, 42))).toEqual([[0, 1], [1, 1], [2, 1], [3, 1]]);
  expect(trialOrder(0, 3, 42)).toEqual([]);
  expect(trialOrder(3, 0, 42)).toEqual([]);
});
