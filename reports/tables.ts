// The report's tables as data: every cell (HTML, sortable), the compact one of
// summary.md, cells.csv at full precision, and per cell its trials and the
// clients of its timeline trial. Renderers print these; they compute nothing.

import type { Estimate } from '../harness/measure/statistics';
import { withInterval } from '../harness/summary';
import { CELL_COLUMNS, Column } from './columns';
import { CLIENT_COLUMNS, ClientRow, TRIAL_COLUMNS } from './detail-columns';
import { METHOD_MEANINGS } from './method';
import type { CellView, RunView } from './run-view';
import { measuredTrials } from '../harness/schema/results';

export interface TableCell {
  text: string;
  /** What the column sorts by: numbers by value, text alphabetically, null (empty) last. */
  sort: number | string | null;
  /** More than fits: an interval's bounds and method. */
  title?: string;
}

export interface Table {
  columns: Array<{ header: string; numeric: boolean }>;
  rows: Array<{ cells: TableCell[]; failed: boolean }>;
  /** What the markers in it mean. */
  notes: string[];
}

export interface CsvTable {
  header: string[];
  rows: string[][];
}

export interface CellDetails {
  where: string;
  failed: boolean;
  trialCount: number;
  failedTrials: number;
  trials: Table;
  /** The trial whose clients are shown (the script's timeline trial, else the last measured one). */
  clientsOfTrial: number | null;
  clients: Table | null;
}

export interface Tables {
  cells: Table;
  summary: Table;
  csv: CsvTable;
  details: CellDetails[];
}

export function buildTables(view: RunView): Tables {
  const failed = (cell: CellView) => cell.verdict.failed;
  return {
    cells: table(CELL_COLUMNS.filter((c) => !c.csvOnly), view.cells, failed),
    summary: table(CELL_COLUMNS.filter((c) => c.summary), view.cells, failed),
    csv: csvTable(view.cells),
    details: view.cells.map(cellDetails),
  };
}

function table<Row>(columns: Array<Column<Row>>, rows: Row[], failed: (row: Row) => boolean): Table {
  const methods = new Set<Estimate['method']>();
  const built = rows.map((row) => ({
    cells: columns.map((column) => {
      if (column.kind === 'estimate') {
        const e = column.read(row);
        if (e) methods.add(e.method);
        return estimateCell(column, e);
      }
      if (column.kind === 'text') {
        const value = column.read(row);
        return { text: value, sort: value === '' ? null : value };
      }
      const value = column.read(row);
      const scaled = value === null ? null : value * (column.scale ?? 1);
      return { text: scaled === null ? '' : formatNumber(scaled, column.digits), sort: scaled };
    }),
    failed: failed(row),
  }));
  const notes = methods.size === 0 ? [] : ["± is the half-width of the 95% interval as a share of the mean; hover a figure for its bounds. Intervals are each cell's own ('own': Student's t over its trials) unless marked."];
  for (const method of ['log', 'none', 'pooled', 'windows'] as const) if (methods.has(method)) notes.push(`(${method}): ${METHOD_MEANINGS[method]}.`);
  return { columns: columns.map((c) => ({ header: c.header, numeric: c.kind !== 'text' })), rows: built, notes };
}

function estimateCell(column: { scale?: number; digits?: number }, e: Estimate | null): TableCell {
  if (!e) return { text: '', sort: null };
  const scale = column.scale ?? 1;
  const marker = e.method === 'pooled' || e.method === 'windows' ? ` (${e.method})` : e.method === 'none' ? ' (1 trial)' : '';
  const title = e.method === 'none' ? '1 trial: no interval, not comparable' : `95% interval ${formatNumber(e.low * scale, column.digits)} to ${formatNumber(e.high * scale, column.digits)} (${e.method})`;
  return { text: withInterval(e, scale, column.digits ?? 0) + marker, sort: e.mean * scale, title };
}

function formatNumber(value: number, digits: number | undefined): string {
  return value.toLocaleString('en-US', digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Full precision, units in the names; an Estimate as mean, low, high and method. */
function csvTable(cells: CellView[]): CsvTable {
  const columns = CELL_COLUMNS.filter((c) => c.csv !== undefined);
  const header = columns.flatMap((c) => (c.kind === 'estimate' ? ['mean', 'low', 'high', 'method'].map((part) => `${c.csv}_${part}`) : [c.csv!]));
  const rows = cells.map((cell) =>
    columns.flatMap((column) => {
      const scale = column.scale ?? 1;
      if (column.kind === 'estimate') {
        const e = column.read(cell);
        return e ? [String(e.mean * scale), String(e.low * scale), String(e.high * scale), e.method] : ['', '', '', ''];
      }
      if (column.kind === 'number') {
        const value = column.read(cell);
        return [value === null ? '' : String(value * scale)];
      }
      return [column.read(cell)];
    }),
  );
  return { header, rows };
}

function cellDetails(view: CellView): CellDetails {
  const { cell } = view;
  const trials = table(TRIAL_COLUMNS, cell.trials, (trial) => trial.outcome === 'failed');
  const measured = measuredTrials(cell.trials);
  const shown = measured.find((t) => t.trial === cell.summary?.script?.timelineTrial) ?? measured[measured.length - 1];
  const about = { where: view.where, failed: view.verdict.failed, trialCount: cell.trials.length, failedTrials: view.verdict.failedTrials, trials };
  if (!shown) return { ...about, clientsOfTrial: null, clients: null };
  const rows: ClientRow[] = shown.clientDetails.map((detail) => ({
    detail,
    steadyTransactions: shown.steady?.perClient[detail.clientIndex] ?? null,
    script: shown.script?.clients.find((c) => c.clientIndex === detail.clientIndex) ?? null,
  }));
  return { ...about, clientsOfTrial: shown.trial, clients: table(CLIENT_COLUMNS, rows, (row) => row.detail.fatal !== null) };
}
