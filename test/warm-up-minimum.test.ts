// The warm-up's minimum in transactions per client: steady-state detection may not
// start before every client has run that many (its JIT's climb, and its server
// thread's); a server that serves one client at a time is not waited on for the others.

import { warmedUpFrom } from '../harness/measure/steady-state';
import { MEASURE_KNOBS, readKnobs, WARMUP_MIN_TRANSACTIONS } from '../contract/knobs';
import { measurementSchema } from '../harness/schema/results';

test('the first window after the slowest client reached the minimum', () => {
  // Client 0: 400, 1000 (reached by the end of window 1); client 1: 300, 600, 1200 (window 2).
  const perClient = [
    [400, 600, 500],
    [300, 300, 600],
  ];
  expect(warmedUpFrom(perClient, 1000, true)).toBe(3);
  expect(warmedUpFrom(perClient, 600, true)).toBe(2);
});

test('a client still short of the minimum holds everyone back', () => {
  expect(warmedUpFrom([[5000, 5000], [100, 100]], 1000, true)).toBeNull();
  expect(warmedUpFrom([[5000, 5000], [100, 100]], 1000, false)).toBeNull();
});

test("a server that serves one client at a time: the waiting clients are not waited for, but someone must have transacted", () => {
  // sequential: one client served, the others waiting for the one instance.
  expect(warmedUpFrom([[0, 0, 0], [800, 900, 900], [0, 0, 0]], 1500, false)).toBe(2);
  expect(warmedUpFrom([[0, 0], [0, 0]], 1500, false)).toBeNull();
  expect(warmedUpFrom([], 1500, false)).toBeNull();
});

test('a server that serves every client at once: a client it has not served yet is waited for', () => {
  // thread-per-client: the server threads of the last connections still starting (2026-12-04: 1.4 s at 20 clients).
  expect(warmedUpFrom([[0, 0, 0], [800, 900, 900], [0, 0, 0]], 1500, true)).toBeNull();
  expect(warmedUpFrom([[0, 0, 900, 900], [800, 900, 900, 900], [0, 700, 900, 900]], 1500, true)).toBe(4);
});

test('a minimum of 0 waits for nothing', () => {
  expect(warmedUpFrom([[0], [3]], 0, true)).toBe(0);
});

test('the knob defaults to 500 and reads as 0 in results written before it existed', () => {
  expect(WARMUP_MIN_TRANSACTIONS).toBe(500);
  expect(readKnobs(MEASURE_KNOBS, {}).warmupMinTransactions).toBe(500);
  const old = { mode: 'both', windowMs: 100, measureWindows: 6, warmupMinMs: 200, warmupMaxMs: 5000, steadyWindows: 4, steadyTolerance: 0.15, unstableHalfWidth: 0.05 };
  expect(measurementSchema(old, 'measurement').warmupMinTransactions).toBe(0);
  expect(() => readKnobs(MEASURE_KNOBS, { 'warmup-min-transactions': -1 })).toThrow(/warmup-min-transactions/);
});
