// The open loop's coordinated-omission correction, end to end, by arithmetic
// rather than timing: one client of `sequential`, every transaction blocking at
// least L = 2 ms in the store, scheduled every T = 1 ms (--rate 1000). The k-th
// script transaction (from 0) is due at k·T but cannot be sent before k·L, so
// counted from its scheduled start it took at least k·(L − T) + L, whatever the
// machine; counted from its send, as little as L. A slower machine only makes
// the gap wider.

import { killAll } from './support/spawned';
import { measured, quickRun } from './support/runs';

afterEach(killAll);

const L_MS = 2;
const T_MS = 1;
const N = 90;
const NS_PER_MS = 1e6;

it('the scheduled-start turnaround exceeds the sent one by at least k·(L − T) for the k-th transaction', async () => {
  const { finished, results } = await quickRun(['--strategy', 'sequential', '--clients', '1', '--store-latency-us', String(L_MS * 1000), '--rate', String(1000 / T_MS), '--transactions', String(N)], 'co');
  expect(finished.code).toBe(0);
  const script = measured(results.cells[0]).script!;
  expect(script.transactions).toBe(N);
  const fromSend = script.latencyFromSend!;
  // Every turnaround, from its send too, is at least the store's latency.
  expect(fromSend.p50Ns).toBeGreaterThanOrEqual(L_MS * NS_PER_MS);
  // The mean of k·(L − T) over k = 0..N-1 is (N − 1)/2 · (L − T); the histograms' means are exact to 0.1%.
  const gapMs = ((N - 1) / 2) * (L_MS - T_MS);
  expect((script.latency.meanNs - fromSend.meanNs) / NS_PER_MS).toBeGreaterThanOrEqual(gapMs * 0.999);
  // The median is the 45th of 90: at least 44·(L − T) + L; the largest at least 89·(L − T) + L.
  expect(script.latency.p50Ns / NS_PER_MS).toBeGreaterThanOrEqual(Math.ceil(N / 2 - 1) * (L_MS - T_MS) + L_MS);
  expect(script.latency.maxNs / NS_PER_MS).toBeGreaterThanOrEqual((N - 1) * (L_MS - T_MS) + L_MS);
});
