// The store-integrity verdict of a trial: the store must hold after the trial
// exactly what it held before, except for records a failed client may still have
// held when it died (it never got to delete them).

import type { WorkloadSpec } from '../../clients/workloads';

export type StoreVerdict =
  | { kind: 'intact' }
  /** Records left, but no more than the failed clients may have held: a warning. */
  | { kind: 'records-left'; records: number; failedClients: number }
  /** More records left than failed clients explain, or fewer than before: the trial fails with `reason`. */
  | { kind: 'broken'; reason: string };

/** Records one client holds at most at any moment: a batch's worth, or the one record of its ADD, RETRIEVE, DELETE cycle. */
export function recordsHeldPerClient(workload: Pick<WorkloadSpec, 'workload' | 'batchSize'>): number {
  return workload.workload === 'batch' ? workload.batchSize : 1;
}

export function storeVerdict(countBefore: number, countAfter: number, failedClients: number, heldPerClient: number): StoreVerdict {
  const leftover = countAfter - countBefore;
  if (leftover < 0 || leftover > failedClients * heldPerClient) {
    return { kind: 'broken', reason: `store integrity: COUNT was ${countBefore} before the trial and ${countAfter} after it` };
  }
  return leftover > 0 ? { kind: 'records-left', records: leftover, failedClients } : { kind: 'intact' };
}
