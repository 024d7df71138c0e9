// What counts as a failure, decided once: the exit code of a run and every
// report read a cell's verdict from here, so they cannot disagree.

import type { Cell, CellErrors, RunResults, Trial } from '../schema/results';

export interface CellVerdict {
  /** No trial of the cell was measured. */
  failed: boolean;
  /** Why the last trial failed, when one did. */
  reason: string | null;
  failedTrials: number;
  errors: CellErrors;
  /** Wrong answers, failed clients, transactions that never ran and failed trials: anything above 0 fails the run. */
  problemCount: number;
}

const NO_ERRORS: CellErrors = { unexpectedStatus: 0, mismatches: 0, failedClients: 0, missingTransactions: 0 };

export function cellVerdict(cell: Cell): CellVerdict {
  const failedTrials = cell.trials.filter((t): t is Extract<Trial, { outcome: 'failed' }> => t.outcome === 'failed');
  const errors = cell.summary?.errors ?? NO_ERRORS;
  const last = failedTrials[failedTrials.length - 1];
  return {
    failed: cell.summary === null,
    reason: last ? last.reason : null,
    failedTrials: failedTrials.length,
    errors,
    problemCount: errors.unexpectedStatus + errors.mismatches + errors.failedClients + errors.missingTransactions + failedTrials.length,
  };
}

/** 0 when every cell was measured in every trial without a single error; 1 otherwise. */
export function runExitCode(results: RunResults): number {
  return results.cells.some((cell) => cellVerdict(cell).problemCount > 0) ? 1 : 0;
}
