// `pipebench compare BASE NEW`: every cell the two runs share, figure by figure,
// benchstat-style: the change with its 95% interval when it is significant and its
// whole interval lies beyond the noise threshold (criterion.rs); "~" otherwise.
// Each figure is tested on the log scale (a change is a ratio) with an
// empirical-Bayes moderated t (moderated.ts): with 3 trials a side each run's
// variance of a cell has 2 degrees of freedom, and Welch on that caught a 30%
// slowdown in 5% of compares once corrected over the table; the cell's two sides
// pooled, then shrunk towards the other cells' variances as far as they agree,
// catch it in 86% (simulated). A change: two-sided, Holm over every cell and figure
// of the table; a regression (--fail-on-regression's question): one-sided, Holm
// over the same table. A cell of one trial is not comparable. Pure: two results
// in, rows and text out.

import type { Cell, RunResults } from '../schema/results';
import { compareEstimates, Comparison, Estimate, holmSignificant } from './statistics';
import { fitPrior, logComparison, logSide, moderate, pooledSides, Variance } from './moderated';
import { textTable } from '../table';
import { atCommonPace } from './pace-adjust';

export interface Figure {
  name: string;
  unit: string;
  scale: number;
  /** Which direction is a regression. */
  worse: 'lower' | 'higher';
  read(cell: Cell): Estimate | null;
}

export const FIGURES: Figure[] = [
  { name: 'throughput', unit: 'tx/s', scale: 1, worse: 'lower', read: (c) => c.summary?.steady?.throughputTps ?? null },
  { name: 'p50', unit: 'µs', scale: 1e-3, worse: 'higher', read: (c) => c.summary?.steady?.p50Ns ?? null },
  { name: 'p99', unit: 'µs', scale: 1e-3, worse: 'higher', read: (c) => c.summary?.steady?.p99Ns ?? null },
];

export interface Change {
  base: Estimate;
  next: Estimate;
  /** (new - base) / base, with its 95% interval (NaN when not comparable). */
  relative: number;
  low: number;
  high: number;
  pValue: number | null;
  /** False when either side has one trial (or windows of one launch): nothing independent to test. */
  comparable: boolean;
  /** A regression, or significant both ways (Holm over the table) with the whole interval beyond the noise threshold. */
  changed: boolean;
  /** Significantly worse (one-sided, Holm over the table) with the whole interval beyond the noise threshold. */
  regression: boolean;
}

export interface CellComparison {
  strategy: string;
  clients: number;
  changes: Array<Change | null>;
}

/** Differences smaller than this share of the base are "~" even when significant (criterion.rs's noise threshold). */
export const DEFAULT_NOISE_THRESHOLD = 0.02;

/** The one-sided p value of "no worse": half the two-sided one when the change goes the worse way. */
function worseP(figure: Figure, comparison: Comparison | null): number | null {
  if (!comparison) return null;
  const worse = figure.worse === 'lower' ? comparison.relative < 0 : comparison.relative > 0;
  return worse ? comparison.pValue / 2 : 1 - comparison.pValue / 2;
}

/**
 * One figure's change. `significant`: the table's two-sided Holm decision;
 * `worseSignificant`: the one-sided Holm decision of "did it get worse?" over the
 * same table (--fail-on-regression's question). A regression is shown as a change.
 */
function compareChange(figure: Figure, base: Estimate, next: Estimate, comparison: Comparison | null, threshold: number, significant: boolean, worseSignificant: boolean): Change {
  const relative = comparison ? comparison.relative : (next.mean - base.mean) / base.mean;
  const low = comparison ? comparison.relativeLow : NaN;
  const high = comparison ? comparison.relativeHigh : NaN;
  // The threshold is tested on the bound nearest zero: the whole interval must lie beyond it.
  const beyond = low > threshold || high < -threshold;
  const worse = figure.worse === 'lower' ? high < -threshold : low > threshold;
  const regression = worseSignificant && worse;
  return {
    base,
    next,
    relative,
    low,
    high,
    pValue: comparison?.pValue ?? null,
    comparable: comparison !== null,
    changed: regression || (significant && beyond),
    regression,
  };
}

/** Both runs' throughput and p50 at one host pace where both were adjusted for it (pace-adjust.ts). */
export function compareRuns(baseRun: RunResults, nextRun: RunResults, threshold = DEFAULT_NOISE_THRESHOLD): CellComparison[] {
  const [base, next] = atCommonPace([baseRun, nextRun]);
  const matched = next.cells.flatMap((cell) => {
    const before = base.cells.find((c) => c.strategy === cell.strategy && c.clients === cell.clients);
    if (!before) return [];
    const pairs = FIGURES.map((figure) => {
      const a = figure.read(before);
      const b = figure.read(cell);
      if (!a || !b || a.mean === 0) return null;
      const sides = logSide(a) && logSide(b) ? { base: logSide(a)!, next: logSide(b)! } : null;
      return { a, b, sides, spread: sides ? pooledSides(sides.base, sides.next) : null };
    });
    return [{ cell, pairs }];
  });
  // Each figure's cells (both sides of each, pooled) fit the prior their variances are moderated
  // by; a figure without independent trials on both sides is compared as before (older files).
  const comparisons = FIGURES.map((_, i) => {
    const spreads = matched.flatMap(({ pairs }) => (pairs[i]?.spread ? [pairs[i]!.spread!] : []));
    const prior = fitPrior(spreads.map((s) => s.variance), spreads.map((s) => s.df));
    const totalDf = spreads.reduce((total, s) => total + s.df, 0);
    return matched.map(({ pairs }) => {
      const pair = pairs[i];
      if (!pair) return null;
      if (!pair.sides || !pair.spread) return compareEstimates(pair.a, pair.b);
      const spread: Variance = moderate(pair.spread.variance, pair.spread.df, prior, totalDf);
      return logComparison(pair.sides.base, pair.sides.next, spread, pair.a.mean);
    });
  });
  // Each question is asked of the whole table (every cell and figure): corrected per cell, 24 cells
  // x 3 figures of unchanged code showed a change in 46% of compares. "Changed?" is two-sided;
  // "worse?" one-sided, which the regression exit code asks (seed 22 of the simulation: a 30%
  // slowdown caught in 160 of 200 compares; asked two-sided, 147).
  const comparisonOf = (row: number, i: number) => comparisons[i][row];
  const significant = holmSignificant(matched.flatMap(({ pairs }, row) => pairs.map((_, i) => comparisonOf(row, i)?.pValue ?? null)));
  const worseSignificant = holmSignificant(matched.flatMap(({ pairs }, row) => pairs.map((_, i) => worseP(FIGURES[i], comparisonOf(row, i)))));
  let k = 0;
  return matched.map(({ cell, pairs }, row) => ({
    strategy: cell.strategy,
    clients: cell.clients,
    changes: pairs.map((pair, i) => {
      const at = k++;
      return pair ? compareChange(FIGURES[i], pair.a, pair.b, comparisonOf(row, i), threshold, significant[at], worseSignificant[at]) : null;
    }),
  }));
}

/** Regressions whose whole interval lies beyond `percent` (a significant throughput drop or turnaround rise). */
export function regressionsBeyond(rows: CellComparison[], percent: number): Array<{ row: CellComparison; figure: Figure; change: Change }> {
  const beyond = (change: Change, figure: Figure) => (figure.worse === 'lower' ? -change.high : change.low) * 100 > percent;
  return rows.flatMap((row) => row.changes.flatMap((change, i) => (change && change.regression && beyond(change, FIGURES[i]) ? [{ row, figure: FIGURES[i], change }] : [])));
}

const signed = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;

function changeText(change: Change | null): string {
  if (!change) return 'n/a';
  if (!change.comparable) return '1 trial: not comparable';
  if (!change.changed) return '~';
  return `${signed(change.relative)} [${signed(change.low)}, ${signed(change.high)}]`;
}

function value(estimate: Estimate, figure: Figure): string {
  return (estimate.mean * figure.scale).toLocaleString('en-US', { maximumFractionDigits: figure.scale === 1 ? 0 : 1 });
}

export function summaryLine(rows: CellComparison[]): string {
  const comparable = rows.filter((r) => r.changes.some((c) => c !== null));
  const compared = comparable.length;
  const unchanged = comparable.filter((r) => r.changes.every((c) => !c?.changed)).length;
  const regressed = rows.filter((r) => r.changes.some((c) => c?.regression)).length;
  const improved = rows.filter((r) => r.changes.some((c) => c?.changed && !c.regression)).length;
  const single = rows.filter((r) => r.changes.some((c) => c !== null && !c.comparable)).length;
  return (
    `${compared} cells compared: ${unchanged} with no significant change (~), ${regressed} with a significant regression, ${improved} with a significant improvement` +
    (single ? `; ${single} with a figure of 1 trial, not comparable` : '')
  );
}

function tableRows(rows: CellComparison[]): { header: string[]; body: string[][] } {
  const header = ['cell'];
  for (const f of FIGURES) header.push(`${f.name} base ${f.unit}`, `${f.name} new ${f.unit}`, `${f.name} change`);
  const body = rows.map((row) => {
    const cells = [`${row.strategy} x ${row.clients}`];
    row.changes.forEach((change, i) => {
      const figure = FIGURES[i];
      cells.push(change ? value(change.base, figure) : '', change ? value(change.next, figure) : '', changeText(change));
    });
    return cells;
  });
  return { header, body };
}

export const METHOD =
  'Change: new / base - 1 with its 95% interval, on the log scale: Student t on each cell\'s trials, both runs\' pooled, the variance moderated by empirical Bayes ' +
  '(Smyth 2004: shrunk towards the run\'s other cells as far as their variances agree; a cell the others make improbable keeps its own); ' +
  '"~": not significant (α = 0.05 for the whole table, Holm over every cell and figure), or its interval reaches inside the noise threshold. ' +
  'A regression: one-sided, α = 0.05 for the whole table (Holm); --fail-on-regression counts it only when its whole interval lies beyond the percentage. ' +
  'A cell of one trial is not comparable.';

/** `notes`: lines on the two runs as a whole (the host's pace), after the summary line. */
export function compareText(rows: CellComparison[], threshold: number, notes: string[] = []): string {
  const { header, body } = tableRows(rows);
  return `${textTable(header, body)}\n\n${[summaryLine(rows), ...notes].join('\n')}\n${METHOD} Noise threshold ${(threshold * 100).toFixed(1)}%.\n`;
}

export function compareMarkdown(rows: CellComparison[], threshold: number, basePath: string, newPath: string, notes: string[] = []): string {
  const { header, body } = tableRows(rows);
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  return [
    `# pipebench compare`,
    '',
    `Base: \`${basePath}\`  `,
    `New: \`${newPath}\``,
    '',
    `| ${header.map(escape).join(' | ')} |`,
    `| --- |${header.slice(1).map(() => ' ---: |').join('')}`,
    ...body.map((cells) => `| ${cells.map(escape).join(' | ')} |`),
    '',
    summaryLine(rows),
    '',
    ...notes.flatMap((note) => [note, '']),
    `${METHOD} Noise threshold ${(threshold * 100).toFixed(1)}%.`,
    '',
  ].join('\n');
}
