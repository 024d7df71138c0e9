// How much a run can be trusted, measured by doing it again: the same runs side by
// side, cell by cell (the spread of throughput and p50 across them, and whether a
// cell that moved was wider than its run's precision target), and every claim the reports make
// (does each run say the same?). Pure: results in, rows and text out.

import type { Cell, RunResults } from '../schema/results';
import { compareRuns, regressionsBeyond } from './compare';
import { cellPrecision, precisionTarget } from './precision-reached';
import { mean } from './statistics';
import { hostPace, hostPaceShift, hostWakeupsUs, PACE_SHIFT_THRESHOLD } from './host-pace';
import { atCommonPace, commonPace } from './pace-adjust';
import { textTable } from '../table';

/** A cell whose runs all lie within this share of their mean is stable across runs. */
export const STABLE_WITHIN = 0.05;

/** A claim a report makes: `key` names the comparison, `verdict` what it concluded (a ranking, or no significant difference). */
export interface Claim {
  key: string;
  verdict: string;
}

export interface CellStability {
  cell: string;
  throughputTps: number[];
  p50Ns: number[];
  /** The largest deviation of any run from the runs' mean, for each figure. */
  throughputDeviation: number;
  p50Deviation: number;
  stable: boolean;
  /** Throughput alone within STABLE_WITHIN in every run. */
  throughputStable: boolean;
  /** Runs in which the cell's interval was wider than that run's precision target (precision-reached.ts). */
  impreciseInRuns: number;
}

function deviation(values: number[]): number {
  const m = mean(values);
  return values.length ? Math.max(...values.map((v) => Math.abs(v / m - 1))) : NaN;
}

/** Throughput and p50 at the runs' common host pace where every run was adjusted for it (pace-adjust.ts). */
export function cellStability(measuredRuns: RunResults[]): CellStability[] {
  const runs = atCommonPace(measuredRuns);
  const keys = [...new Set(runs.flatMap((r) => r.cells.map((c) => `${c.strategy} x ${c.clients}`)))];
  return keys.map((key) => {
    const cells = runs.map((r) => r.cells.find((c) => `${c.strategy} x ${c.clients}` === key)).filter((c): c is Cell => c !== undefined);
    const throughputTps = cells.flatMap((c) => (c.summary?.steady ? [c.summary.steady.throughputTps.mean] : []));
    const p50Ns = cells.flatMap((c) => (c.summary?.steady ? [c.summary.steady.p50Ns.mean] : []));
    const throughputDeviation = deviation(throughputTps);
    const p50Deviation = deviation(p50Ns);
    return {
      cell: key,
      throughputTps,
      p50Ns,
      throughputDeviation,
      p50Deviation,
      // Every run must have measured the cell (a steady figure from each) for it to count as stable.
      stable: throughputTps.length === runs.length && throughputDeviation <= STABLE_WITHIN && p50Deviation <= STABLE_WITHIN,
      throughputStable: throughputTps.length === runs.length && throughputDeviation <= STABLE_WITHIN,
      impreciseInRuns: runs.filter((r) => {
        const cell = r.cells.find((c) => `${c.strategy} x ${c.clients}` === key);
        const precision = cell ? cellPrecision(cell.summary) : null;
        return precision !== null && precision > precisionTarget(r.parameters);
      }).length,
    };
  });
}

export interface ClaimAgreement {
  key: string;
  verdicts: string[];
  agree: boolean;
}

export function claimAgreement(claimsPerRun: Claim[][]): ClaimAgreement[] {
  const keys = [...new Set(claimsPerRun.flatMap((claims) => claims.map((c) => c.key)))];
  return keys.map((key) => {
    const verdicts = claimsPerRun.map((claims) => claims.find((c) => c.key === key)?.verdict ?? '(not claimed)');
    return { key, verdicts, agree: verdicts.every((v) => v === verdicts[0]) };
  });
}

const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '-');

/** The regression gate a CI would run between two of the runs (`compare --fail-on-regression`): the regressions it fails on, "strategy x clients figure change". */
export interface PairGate {
  base: number;
  next: number;
  regressions: string[];
}

/** `compare --fail-on-regression percent` for every pair of runs, earlier as base (runs numbered from 1). */
export function pairGates(runs: RunResults[], percent: number): PairGate[] {
  const gates: PairGate[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const regressions = regressionsBeyond(compareRuns(runs[i], runs[j]), percent).map(
        ({ row, figure, change }) => `${row.strategy} x ${row.clients} ${figure.name} ${change.relative >= 0 ? '+' : ''}${(change.relative * 100).toFixed(1)}%`,
      );
      gates.push({ base: i + 1, next: j + 1, regressions });
    }
  }
  return gates;
}

export function stabilityText(cells: CellStability[], claims: ClaimAgreement[], runs: RunResults[], durationsMs: number[], gates: PairGate[], gatePercent: number): string {
  const rows = cells.map((c) => [
    c.cell,
    c.throughputTps.map((v) => Math.round(v).toLocaleString('en-US')).join(' / '),
    `±${percent(c.throughputDeviation)}`,
    c.p50Ns.map((v) => (v / 1000).toFixed(1)).join(' / '),
    `±${percent(c.p50Deviation)}`,
    c.stable ? 'yes' : 'no',
    `${c.impreciseInRuns} of ${runs.length}`,
  ]);
  const stable = cells.filter((c) => c.stable).length;
  const throughputStable = cells.filter((c) => c.throughputStable).length;
  const movedUnflagged = cells.filter((c) => !c.stable && c.impreciseInRuns === 0).map((c) => c.cell);
  const disagreed = claims.filter((c) => !c.agree);
  const warnings = runs.map((r) => r.warnings.length + r.cells.reduce((n, c) => n + (c.summary?.warnings.length ?? 0), 0));
  const lines = [
    textTable(['cell', 'tx/s per run', 'max deviation', 'p50 µs per run', 'max deviation', `within ±${percent(STABLE_WITHIN)}`, 'wider than target'], rows),
    '',
    `${throughputStable} of ${cells.length} cells (${percent(throughputStable / cells.length)}) within ±${percent(STABLE_WITHIN)} on throughput in all ${runs.length} runs.`,
    `${stable} of ${cells.length} cells (${percent(stable / cells.length)}) within ±${percent(STABLE_WITHIN)} on throughput and p50 in all ${runs.length} runs.`,
    movedUnflagged.length
      ? `Cells that moved while within their run's precision target in every run: ${movedUnflagged.join(', ')}.`
      : "Every cell that moved was wider than its run's precision target in at least one run.",
    `${claims.length - disagreed.length} of ${claims.length} claims of the reports agreed in every run.`,
    ...disagreed.map((c) => `  disagreed: ${c.key}: ${c.verdicts.join(' | ')}`),
    `compare --fail-on-regression ${gatePercent}, ${gates.filter((g) => g.regressions.length === 0).length} of ${gates.length} pairs of runs pass` +
      (gates.length ? `: ${gates.map((g) => `run ${g.base} vs ${g.next} ${g.regressions.length === 0 ? 'passes' : `fails (${g.regressions.join(', ')})`}`).join('; ')}.` : '.'),
    `Warnings per run: ${warnings.join(', ')}. Run durations: ${durationsMs.map((ms) => `${(ms / 1000).toFixed(0)} s`).join(', ')}.`,
    ...hostPaceLines(runs),
  ];
  return lines.join('\n') + '\n';
}

/** Each run's host pace, and the pairs of runs whose hosts differed (host-pace.ts); nothing for runs that did not measure it. */
function hostPaceLines(runs: RunResults[]): string[] {
  const wakeups = runs.map(hostWakeupsUs);
  const paces = wakeups.map(hostPace);
  if (paces.some((p) => p === null)) return [];
  const lines = [`Host pace per run (wake-up round trip before each trial, median and range): ${paces.map((p) => `${p!.medianUs.toFixed(1)} µs (${p!.lowUs.toFixed(1)}–${p!.highUs.toFixed(1)})`).join(' / ')}.`];
  const shifts: string[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const shift = hostPaceShift(wakeups[i], wakeups[j]);
      if (shift) shifts.push(`run ${i + 1} vs ${j + 1} ${shift.relative >= 0 ? '+' : ''}${(shift.relative * 100).toFixed(0)}% [${(shift.low * 100).toFixed(0)}%, ${(shift.high * 100).toFixed(0)}%]`);
    }
  }
  const common = commonPace(runs);
  if (common !== null) lines.push(`Throughput and p50 above are each run's, adjusted for the host's pace and moved to one pace, ${common.toFixed(1)} µs, with slopes fitted on the ${runs.length} runs' trials together (pace-adjust.ts atCommonPace).`);
  lines.push(shifts.length ? `Host pace differed between runs (significant, beyond ${PACE_SHIFT_THRESHOLD * 100}%): ${shifts.join('; ')}.` : `Host pace did not differ beyond ${PACE_SHIFT_THRESHOLD * 100}% between any two runs.`);
  return lines;
}
