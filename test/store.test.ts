// The shared record store under several threads at once: no lost, duplicated or
// torn records, and COUNT exact afterwards.

import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { RecordStore } from '../strategies/store';

describe('record store', () => {
  it('stays consistent when hammered from four worker threads', async () => {
    const store = RecordStore.create(4096);
    const rounds = 20000;
    const keep = 100;
    const results = await Promise.all(
      [0, 1, 2, 3].map(
        (worker) =>
          new Promise<{ wrong: number; full: number; kept: number[] }>((resolve, reject) => {
            const w = new Worker(path.join(__dirname, 'support', 'store-hammer-worker.js'), { workerData: { buffer: store.buffer, worker, rounds, keep } });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    for (const r of results) {
      expect(r.wrong).toBe(0);
      expect(r.full).toBe(0);
    }
    const keptIds = results.flatMap((r) => r.kept);
    expect(new Set(keptIds).size).toBe(4 * keep); // no id handed out twice while live
    expect(store.count()).toBe(4 * keep);
    const out = new DataView(new ArrayBuffer(8));
    results.forEach((r, worker) =>
      r.kept.forEach((id, i) => {
        expect(store.read(id, false, out, 0)).toBe(true);
        expect([out.getInt32(0, true), out.getInt32(4, true)]).toEqual([worker, i]);
      }),
    );
  });

  it('refuses a capacity that cannot be allocated', () => {
    expect(() => RecordStore.create(0)).toThrow(RangeError);
    expect(() => RecordStore.create(1.5)).toThrow(RangeError);
  });

  it('blocks inside the store for --store-latency-us', () => {
    const store = RecordStore.create(4, { storeLatencyUs: 5000 });
    const started = performance.now();
    store.count();
    expect(performance.now() - started).toBeGreaterThanOrEqual(4.5);
  });
});
