// What a reader must not miss, gathered once for every format: banners (Wine,
// an unfinished run) and per-cell problems (failures, errors, warnings).

import type { RunResults } from '../harness/results';
import { clientsText, totalErrors } from './model';

export interface Problem {
  /** "thread-per-client at 20 clients" */
  where: string;
  what: string;
  severity: 'failed' | 'errors' | 'warning';
  /** Log lines to show with it (a failed server's stderr tail). */
  log: string[];
}

export function problems(results: RunResults): { banners: string[]; items: Problem[] } {
  const banners: string[] = [];
  if (results.environment.wine !== null) {
    banners.push(`Measured under Wine ${results.environment.wine}: these times show Wine, not Windows.`);
  }
  if (results.status !== 'complete') {
    const why = { running: 'did not finish (results were saved while it ran)', interrupted: 'was interrupted', bailed: 'stopped at the first failed cell (--bail)' }[results.status];
    banners.push(`This run ${why}: ${results.cells.length} cell(s) measured of ${results.parameters.clients.length * (results.parameters.strategies.length + (results.parameters.external ? 1 : 0))} planned.`);
  }
  const items: Problem[] = [];
  for (const cell of results.cells) {
    const where = `${cell.strategy} at ${clientsText(cell.clients)}`;
    if (cell.outcome === 'failed') {
      items.push({ where, what: `FAILED: ${cell.reason}`, severity: 'failed', log: cell.serverLog });
      continue;
    }
    if (totalErrors(cell) > 0) {
      const e = cell.errors;
      const fatal = cell.clientDetails.filter((c) => c.fatal !== null).map((c) => `client ${c.clientIndex}: ${c.fatal}`);
      items.push({
        where,
        what: `errors: ${e.unexpectedStatus} unexpected status, ${e.mismatches} mismatches, ${e.failedClients} failed clients, ${e.missingTransactions} transactions never ran`,
        severity: 'errors',
        log: fatal,
      });
    }
    for (const warning of cell.warnings) items.push({ where, what: warning, severity: 'warning', log: [] });
  }
  return { banners, items };
}
