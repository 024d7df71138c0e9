// The warm-up's minimum in transactions per client: steady-state detection may not
// start before every client that transacts has run that many (its JIT's climb).

import { warmedUpFrom } from '../harness/measure/steady-state';
import { MEASURE_KNOBS, readKnobs, WARMUP_MIN_TRANSACTIONS } from '../contract/knobs';
import { measurementSchema } from '../harness/schema/results';

test('the first window after the slowest client reached the minimum', () => {
  // Client 0: 400, 1000 (reached by the end of window 1); client 1: 300, 600, 1200 (window 2).
  const perClient = [
    [400, 600, 500],
    [300, 300, 600],
  ];
  expect(warmedUpFrom(perClient, 1000)).toBe(3);
  expect(warmedUpFrom(perClient, 600)).toBe(2);
});

test('a client still short of the minimum holds everyone back', () => {
  expect(warmedUpFrom([[5000, 5000], [100, 100]], 1000)).toBeNull();
});

test("clients the server has not taken yet are not waited for, but someone must have transacted", () => {
  // sequential: one client served, the others waiting for the one instance.
  expect(warmedUpFrom([[0, 0, 0], [800, 900, 900], [0, 0, 0]], 1500)).toBe(2);
  expect(warmedUpFrom([[0, 0], [0, 0]], 1500)).toBeNull();
  expect(warmedUpFrom([], 1500)).toBeNull();
});

test('a minimum of 0 waits for nothing', () => {
  expect(warmedUpFrom([[0], [3]], 0)).toBe(0);
});

test('the knob defaults to 1500 and reads as 0 in results written before it existed', () => {
  expect(WARMUP_MIN_TRANSACTIONS).toBe(1500);
  expect(readKnobs(MEASURE_KNOBS, {}).warmupMinTransactions).toBe(1500);
  const old = { mode: 'both', windowMs: 100, measureWindows: 6, warmupMinMs: 200, warmupMaxMs: 5000, steadyWindows: 4, steadyTolerance: 0.15, unstableHalfWidth: 0.05 };
  expect(measurementSchema(old, 'measurement').warmupMinTransactions).toBe(0);
  expect(() => readKnobs(MEASURE_KNOBS, { 'warmup-min-transactions': -1 })).toThrow(/warmup-min-transactions/);
});
