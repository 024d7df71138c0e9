// cells.csv printed from the report model: one row per cell, every figure at
// full precision, units in the column names, an Estimate as mean, low, high, method.

import type { CsvTable } from './tables';

export function cellsCsv(table: CsvTable): string {
  return [table.header, ...table.rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
