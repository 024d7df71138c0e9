// cells.csv: one row per cell, every figure, raw numbers at full precision.

import type { RunResults } from '../harness/results';
import { CELL_COLUMNS } from './columns';

export function cellsCsv(results: RunResults): string {
  const rows = [CELL_COLUMNS.map((c) => c.csv)];
  for (const cell of results.cells) rows.push(CELL_COLUMNS.map((c) => csvField(c.value(cell))));
  return rows.map((row) => row.join(',')).join('\r\n') + '\r\n';
}

function csvField(value: number | string | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
