// A client sends each warm-up window just after it ends (5 ms later, once its last
// transaction is counted), not on a cadence of its own: the moments on literals.

import { progressDueMs } from '../clients/client';

it('the first window is due 5 ms after it ends, counted from go', () => {
  // go at 1000, windows of 100: window 0 ends at 1100.
  expect(progressDueMs(1000, 100, 0)).toBe(1105);
});

it('after some windows were sent, the next one is due at its own end', () => {
  // Windows 0-2 sent: window 3 ends at 1000 + 4 x 100.
  expect(progressDueMs(1000, 100, 3)).toBe(1405);
  expect(progressDueMs(0, 50, 9)).toBe(505);
});
