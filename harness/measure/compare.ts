// `pipebench compare BASE NEW`: every cell the two runs share, figure by figure,
// benchstat-style: the change with its 95% interval when it is significant
// (Welch's t on the two cells' estimates, Holm-corrected over the cell's figures
// at α = 0.05) and larger than the noise threshold, "~" otherwise. Pure: two
// results in, rows and text out.

import type { Cell, RunResults } from '../schema/results';
import { compareEstimates, Estimate, holmSignificant } from './statistics';
import { textTable } from '../table';

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
  /** (new - base) / base, with the 95% interval of the difference over base. */
  relative: number;
  low: number;
  high: number;
  pValue: number | null;
  /** Significant and beyond the noise threshold. */
  changed: boolean;
  regression: boolean;
}

export interface CellComparison {
  strategy: string;
  clients: number;
  changes: Array<Change | null>;
}

/** Differences smaller than this share of the base are "~" even when significant (criterion.rs's noise threshold). */
export const DEFAULT_NOISE_THRESHOLD = 0.02;

/** One figure's change; `significant` is the cell's Holm-corrected decision for it. */
function compareChange(figure: Figure, base: Estimate, next: Estimate, threshold: number, significant: boolean): Change {
  const comparison = compareEstimates(base, next);
  const relative = (next.mean - base.mean) / base.mean;
  // `significant` is false when the two cannot be compared (no interval: no p-value to correct).
  const changed = significant && Math.abs(relative) > threshold;
  return {
    base,
    next,
    relative,
    low: comparison ? comparison.low / base.mean : NaN,
    high: comparison ? comparison.high / base.mean : NaN,
    pValue: comparison?.pValue ?? null,
    changed,
    regression: changed && (figure.worse === 'lower' ? relative < 0 : relative > 0),
  };
}

export function compareRuns(base: RunResults, next: RunResults, threshold = DEFAULT_NOISE_THRESHOLD): CellComparison[] {
  const rows: CellComparison[] = [];
  for (const cell of next.cells) {
    const before = base.cells.find((c) => c.strategy === cell.strategy && c.clients === cell.clients);
    if (!before) continue;
    const pairs = FIGURES.map((figure) => {
      const a = figure.read(before);
      const b = figure.read(cell);
      return a && b && a.mean !== 0 ? { a, b } : null;
    });
    // "Did this cell change?" asks about all its figures at once: without the
    // correction, unchanged code would show a change in 1 - 0.95^3 = 14% of cells.
    const significant = holmSignificant(pairs.map((pair) => (pair ? compareEstimates(pair.a, pair.b)?.pValue ?? null : null)));
    rows.push({
      strategy: cell.strategy,
      clients: cell.clients,
      changes: pairs.map((pair, i) => (pair ? compareChange(FIGURES[i], pair.a, pair.b, threshold, significant[i]) : null)),
    });
  }
  return rows;
}

/** Regressions larger than `percent` (a significant throughput drop or turnaround rise). */
export function regressionsBeyond(rows: CellComparison[], percent: number): Array<{ row: CellComparison; figure: Figure; change: Change }> {
  return rows.flatMap((row) =>
    row.changes.flatMap((change, i) => (change && change.regression && Math.abs(change.relative) * 100 > percent ? [{ row, figure: FIGURES[i], change }] : [])),
  );
}

const signed = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;

function changeText(change: Change | null): string {
  if (!change) return 'n/a';
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
  return `${compared} cells compared: ${unchanged} with no significant change (~), ${regressed} with a significant regression, ${improved} with a significant improvement`;
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
  'Change: (new - base) / base with the 95% interval of the difference (Welch t on the two cells\' trial estimates); ' +
  '"~": not significant (α = 0.05 for the cell, Holm-corrected over its three figures), or smaller than the noise threshold.';

export function compareText(rows: CellComparison[], threshold: number): string {
  const { header, body } = tableRows(rows);
  return `${textTable(header, body)}\n\n${summaryLine(rows)}\n${METHOD} Noise threshold ${(threshold * 100).toFixed(1)}%.\n`;
}

export function compareMarkdown(rows: CellComparison[], threshold: number, basePath: string, newPath: string): string {
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
    `${METHOD} Noise threshold ${(threshold * 100).toFixed(1)}%.`,
    '',
  ].join('\n');
}
