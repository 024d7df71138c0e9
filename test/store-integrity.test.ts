// The store-integrity verdict on literals: records may be left only by clients
// that failed, at most as many as each could hold; fewer records than before is
// always broken.

import { recordsHeldPerClient, storeVerdict } from '../harness/measure/integrity';

const broken = (before: number, after: number) => ({ kind: 'broken', reason: `store integrity: COUNT was ${before} before the trial and ${after} after it` });

it('a store left as it was found is intact', () => {
  expect(storeVerdict(0, 0, 0, 1)).toEqual({ kind: 'intact' });
  expect(storeVerdict(7, 7, 3, 1000)).toEqual({ kind: 'intact' });
});

it('one record left with no failed client breaks the trial, whatever the client count', () => {
  expect(storeVerdict(0, 1, 0, 1)).toEqual(broken(0, 1));
  expect(storeVerdict(5, 6, 0, 1000)).toEqual(broken(5, 6));
});

it('records left by failed clients are a warning, up to what they could hold', () => {
  expect(storeVerdict(0, 1, 1, 1)).toEqual({ kind: 'records-left', records: 1, failedClients: 1 });
  expect(storeVerdict(10, 12, 2, 1)).toEqual({ kind: 'records-left', records: 2, failedClients: 2 });
  expect(storeVerdict(0, 3000, 3, 1000)).toEqual({ kind: 'records-left', records: 3000, failedClients: 3 });
});

it('one record more than the failed clients could hold breaks the trial', () => {
  expect(storeVerdict(0, 2, 1, 1)).toEqual(broken(0, 2));
  expect(storeVerdict(10, 13, 2, 1)).toEqual(broken(10, 13));
  expect(storeVerdict(0, 3001, 3, 1000)).toEqual(broken(0, 3001));
});

it('fewer records after than before is broken, even with failed clients', () => {
  expect(storeVerdict(1, 0, 0, 1)).toEqual(broken(1, 0));
  expect(storeVerdict(100, 99, 4, 1000)).toEqual(broken(100, 99));
});

it('a client holds one record in the transaction cycle, a batch in the batch workload', () => {
  expect(recordsHeldPerClient({ workload: 'transactions', batchSize: 1000 })).toBe(1);
  expect(recordsHeldPerClient({ workload: 'batch', batchSize: 250 })).toBe(250);
});
