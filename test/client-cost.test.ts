// What the clients cost per transaction over the measured phase: all clients' CPU
// over all their transactions, so a trial with more transactions weighs more.

import { clientCpuUsPerTransaction } from '../harness/measure/client-cost';
import { trial } from './support/synthetic-trials';

it('divides the clients\' CPU by the transactions of the measured phase, over every trial together', () => {
  // One second of measured phase: 1,000 tx with 20,000 µs of client CPU is 20 µs a transaction.
  expect(clientCpuUsPerTransaction([trial({ trial: 1, throughputTps: 1000, clientCpuUs: 20_000 })])).toBe(20);
  // 20 µs over 1,000 tx and 30 µs over 3,000 tx: (20,000 + 90,000) / 4,000 = 27.5 µs, not the mean of 20 and 30.
  expect(clientCpuUsPerTransaction([trial({ trial: 1, throughputTps: 1000, clientCpuUs: 20_000 }), trial({ trial: 2, throughputTps: 3000, clientCpuUs: 90_000 })])).toBe(27.5);
});

it('has no cost without a measured transaction', () => {
  expect(clientCpuUsPerTransaction([])).toBeNull();
  expect(clientCpuUsPerTransaction([{ ...trial({ trial: 1, throughputTps: 1000 }), steady: null }])).toBeNull();
  expect(clientCpuUsPerTransaction([trial({ trial: 1, throughputTps: 0, clientCpuUs: 5000 })])).toBeNull();
});
