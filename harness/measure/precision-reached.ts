// The precision a run reached, said once instead of warned about per cell: a
// cell's precision is the half-width of its 95% interval over its mean, for the
// figures a precision target is set on (throughput and p50; the worst client's
// completion when only the script ran), the wider of them. Pure.

import type { CellSummary, RunParameters, ScriptSummary, SteadySummary } from '../schema/results';
import { median, relativeHalfWidth, Estimate } from './statistics';

/** How to get tighter intervals than a run reached: more launches where the noise is, within a budget. */
export const MORE_PRECISION = '--precision 5 --max-time 15m';
const MORE_PRECISION_TARGET = 0.05;

/** The run's target: its --precision when trials were added for one, else the report's --unstable-half-width. */
export function precisionTarget(parameters: RunParameters): number {
  return parameters.precision ?? parameters.measurement.unstableHalfWidth;
}

function width(estimate: Estimate | null | undefined): number | null {
  return estimate && estimate.method !== 'none' && Number.isFinite(relativeHalfWidth(estimate)) ? relativeHalfWidth(estimate) : null;
}

/** The precision of each figure a target is set on: [throughput, p50], or [the worst client's completion, null] with only the script; null without an interval. */
export function figurePrecisions(steady: SteadySummary | null, script: ScriptSummary | null): [number | null, number | null] {
  return steady ? [width(steady.throughputTps), width(steady.p50Ns)] : [width(script?.worstDoneMs), null];
}

/** The wider of its figures' precisions; null when the cell has no interval (one value) on them. */
export function cellPrecision(summary: CellSummary | null): number | null {
  if (!summary) return null;
  const widths = figurePrecisions(summary.steady, summary.script).filter((w): w is number => w !== null);
  return widths.length ? Math.max(...widths) : null;
}

export interface RunPrecision {
  /** Cells with an interval, and their precision's range and median. */
  cells: number;
  lowest: number;
  highest: number;
  median: number;
  /** Cells within `target`. */
  withinTarget: number;
  target: number;
  /** Measured cells without an interval (one value). */
  withoutInterval: number;
  /** No cell had a measured phase (--mode script): the precision is the worst client's completion's. */
  scriptOnly: boolean;
}

export function runPrecision(summaries: ReadonlyArray<CellSummary | null>, target: number): RunPrecision | null {
  const measured = summaries.filter((s): s is CellSummary => s !== null);
  const widths = measured.flatMap((s) => {
    const p = cellPrecision(s);
    return p === null ? [] : [p];
  });
  if (widths.length === 0) return null;
  return {
    cells: widths.length,
    lowest: Math.min(...widths),
    highest: Math.max(...widths),
    median: median(widths),
    withinTarget: widths.filter((w) => w <= target).length,
    target,
    withoutInterval: measured.length - widths.length,
    scriptOnly: measured.every((s) => s.steady === null),
  };
}

const number = (share: number) => (share * 100).toFixed(share < 0.1 ? 1 : 0);
const percent = (share: number) => `${number(share)}%`;

/** The hint, from where the run got to: a run at ±5% or better that every cell reached needs a lower target, not the same one again. */
function tighter(p: RunPrecision): string {
  const everyCell = p.withinTarget === p.cells && p.withoutInterval === 0;
  return everyCell && p.target <= MORE_PRECISION_TARGET ? `a --precision below ${number(p.target)}, with a longer --max-time` : MORE_PRECISION;
}

/** "Precision reached: ±3.1–14% (median 8.2%) of the mean at 95%, ..." */
export function precisionLine(p: RunPrecision): string {
  const range = number(p.lowest) === number(p.highest) ? `±${percent(p.lowest)}` : `±${number(p.lowest)}–${percent(p.highest)} (median ${percent(p.median)})`;
  const without = p.withoutInterval ? `; ${p.withoutInterval} cell${p.withoutInterval === 1 ? '' : 's'} without an interval (one value)` : '';
  return (
    `Precision reached: ${range} of the mean at 95% confidence (${p.scriptOnly ? "the worst client's completion" : 'throughput and p50, the wider of the two per cell'}); ` +
    `${p.withinTarget} of ${p.cells} cells within ±${percent(p.target)}${without}. For tighter intervals: ${tighter(p)}.`
  );
}
