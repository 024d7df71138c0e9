// The run as every part of the report sees it: servers in run order with their
// colours and labels, the client counts, and each cell with its verdict (from
// harness/verdict.ts, the one place that decides what failed).

import type { Cell, RunParameters, RunResults } from '../harness/schema/results';
import { cellVerdict, CellVerdict } from '../harness/measure/verdict';
import { paletteFor } from './palette';

export interface Server {
  /** Strategy name or external label: the key of its cells and its colour. */
  name: string;
  /** What legends and titles call it. */
  label: string;
  colour: string;
  external: boolean;
}

export interface CellView {
  cell: Cell;
  server: Server;
  verdict: CellVerdict;
  /** "iocp at 8 clients" */
  where: string;
}

export interface RunView {
  results: RunResults;
  servers: Server[];
  clientCounts: number[];
  largestClients: number | null;
  cells: CellView[];
  at(server: string, clients: number): CellView | undefined;
}

/** "1 client", "20 clients" */
export function clientsText(count: number): string {
  return `${count} client${count === 1 ? '' : 's'}`;
}

/**
 * The Win32 wait order (--wait-order) labels overlapped, the only strategy it changes: only
 * it waits on many instances at once.
 */
function labelOf(name: string, parameters: RunParameters): string {
  return name === 'overlapped' && parameters.server.waitOrder === 'lowest-first' ? `${name} (lowest-first)` : name;
}

export function runView(results: RunResults): RunView {
  const names: string[] = [];
  for (const cell of results.cells) if (!names.includes(cell.strategy)) names.push(cell.strategy);
  const palette = paletteFor(names);
  const servers = names.map((name) => ({
    name,
    label: labelOf(name, results.parameters),
    colour: palette(name),
    external: results.cells.some((cell) => cell.strategy === name && cell.external),
  }));
  const byName = new Map(servers.map((server) => [server.name, server]));
  const cells = results.cells.map((cell) => {
    const server = byName.get(cell.strategy)!;
    return { cell, server, verdict: cellVerdict(cell), where: `${server.label} at ${clientsText(cell.clients)}` };
  });
  const clientCounts = [...new Set(results.cells.map((cell) => cell.clients))].sort((a, b) => a - b);
  return {
    results,
    servers,
    clientCounts,
    largestClients: clientCounts.length ? clientCounts[clientCounts.length - 1] : null,
    cells,
    at: (server, clients) => cells.find((view) => view.server.name === server && view.cell.clients === clients),
  };
}

