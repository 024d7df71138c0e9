// A client sends each warm-up window just after it ends (5 ms later, once its last
// transaction is counted), not on a cadence of its own: the moments on literals. And
// each send repeats the window sent last, whose count a held load thread may have
// completed since.

import { progressDueMs, progressToSend } from '../clients/client';

it('the first window is due 5 ms after it ends, counted from go', () => {
  // go at 1000, windows of 100: window 0 ends at 1100.
  expect(progressDueMs(1000, 100, 0)).toBe(1105);
});

it('after some windows were sent, the next one is due at its own end', () => {
  // Windows 0-2 sent: window 3 ends at 1000 + 4 x 100.
  expect(progressDueMs(1000, 100, 3)).toBe(1405);
  expect(progressDueMs(0, 50, 9)).toBe(505);
});

it('the first send holds every window over so far, from window 0', () => {
  expect(progressToSend(Int32Array.of(5, 6, 7, 0), 0, 2)).toEqual({ fromWindow: 0, counts: [5, 6] });
});

it('each later send repeats the window sent last, with the transactions counted since', () => {
  // Windows 0-1 were sent when window 1 read 6; its last transaction was counted after: it reads 7 now.
  const progress = Int32Array.of(5, 7, 9, 8, 0);
  expect(progressToSend(progress, 2, 4)).toEqual({ fromWindow: 1, counts: [7, 9, 8] });
});

it('nothing sent while no new window is over', () => {
  expect(progressToSend(Int32Array.of(5, 6, 7), 3, 3)).toBeNull();
});
