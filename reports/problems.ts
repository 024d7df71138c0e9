// What a reader must not miss, gathered once for every format: banners (Wine,
// an unfinished run, a busy machine), and per cell: failures with the server's
// last lines, errors (from the cell's verdict) and every warning, grouped by
// kind, each kind one line with its cells. Observations explain expected
// behaviour; they are notes, never problems.

import type { Trial, Warning } from '../harness/schema/results';
import { observationText, warningKindTitle, warningText } from '../harness/measure/warnings';
import type { CellView, RunView } from './run-view';

export interface Problem {
  /** "thread-per-client at 4 clients" */
  where: string;
  what: string;
  severity: 'failed' | 'errors' | 'warning';
  /** Lines to show with it: a failed server's last lines, or why clients stopped. */
  log: string[];
  logTitle: string;
}

/** One kind of problem with every cell it happened in, each cell's own text and lines beneath. */
export interface ProblemGroup {
  kind: 'cell-failed' | 'errors' | Warning['kind'];
  /** "no steady state" */
  title: string;
  severity: Problem['severity'];
  /** The cells, each once, in run order. */
  where: string[];
  items: Problem[];
}

export interface Note {
  /** The cells it applies to. */
  where: string[];
  text: string;
}

export interface Banner {
  /** Wine is the loudest: every figure shows Wine, not Windows. */
  kind: 'wine' | 'unfinished' | 'warning';
  text: string;
}

export interface Problems {
  banners: Banner[];
  /** Failures first, then errors, then each kind of warning as it first appears. */
  groups: ProblemGroup[];
  /** Every problem of every group. */
  count: number;
  observations: Note[];
}

const TITLES = { 'cell-failed': 'cells not measured', errors: 'wrong answers or lost transactions' };

export function problems(view: RunView): Problems {
  const found = view.cells.flatMap(cellProblems);
  const groups: ProblemGroup[] = [];
  const rank = (kind: ProblemGroup['kind']) => (kind === 'cell-failed' ? 0 : kind === 'errors' ? 1 : kind === 'trial-failed' ? 2 : 3);
  for (const { kind, problem } of found) {
    let group = groups.find((g) => g.kind === kind);
    if (!group) {
      const title = kind === 'cell-failed' || kind === 'errors' ? TITLES[kind] : warningKindTitle(kind);
      group = { kind, title, severity: problem.severity, where: [], items: [] };
      groups.push(group);
    }
    if (!group.where.includes(problem.where)) group.where.push(problem.where);
    group.items.push(problem);
  }
  // A stable sort: within a rank, kinds stay in the order they first appeared.
  groups.sort((a, b) => rank(a.kind) - rank(b.kind));
  return { banners: banners(view), groups, count: found.length, observations: observations(view) };
}

function banners(view: RunView): Banner[] {
  const { environment, parameters, status, cells } = view.results;
  const lines: Banner[] = [];
  if (environment.wine !== null) lines.push({ kind: 'wine', text: `Measured under Wine ${environment.wine}: these times show Wine, not Windows.` });
  if (status !== 'complete') {
    const why = { running: 'did not finish (results were saved while it ran)', interrupted: 'was interrupted', bailed: 'stopped at the first failed cell (--bail)' }[status];
    const planned = parameters.clients.length * (parameters.strategies.length + (parameters.external ? 1 : 0));
    const trials = cells.reduce((total, cell) => total + cell.trials.length, 0);
    const measured = cells.filter((cell) => cell.summary !== null).length;
    lines.push({ kind: 'unfinished', text: `This run ${why}: ${trials} of ${planned * parameters.repeat} trials ran, ${measured} of ${planned} cells measured.` });
  }
  for (const warning of view.results.warnings) lines.push({ kind: 'warning', text: `Warning: ${warningText(warning)}.` });
  return lines;
}

const SERVER_LOG = 'server log (last lines)';

function cellProblems(view: CellView): Array<{ kind: ProblemGroup['kind']; problem: Problem }> {
  const { cell, verdict, where } = view;
  const items: Array<{ kind: ProblemGroup['kind']; problem: Problem }> = [];
  if (verdict.failed) {
    const last = failedTrials(cell.trials).pop();
    items.push({
      kind: 'cell-failed',
      problem: { where, what: `FAILED: no trial was measured (${verdict.failedTrials} failed); the last: ${verdict.reason}`, severity: 'failed', log: last?.serverLog ?? [], logTitle: SERVER_LOG },
    });
  }
  // The verdict counts failed trials among its problems; the rest are errors.
  if (verdict.problemCount > verdict.failedTrials) {
    const e = verdict.errors;
    const stopped = cell.trials.flatMap((trial) => trial.clientDetails.flatMap((c) => (c.fatal === null ? [] : [`trial ${trial.trial}, client ${c.clientIndex}: ${c.fatal}`])));
    items.push({
      kind: 'errors',
      problem: {
        where,
        what: `errors: ${e.unexpectedStatus} unexpected status, ${e.mismatches} mismatches, ${e.failedClients} failed clients, ${e.missingTransactions} script transactions never ran`,
        severity: 'errors',
        log: stopped,
        logTitle: 'clients that stopped early',
      },
    });
  }
  for (const warning of cell.summary?.warnings ?? []) {
    if (warning.kind === 'trial-failed') {
      const trial = failedTrials(cell.trials).find((t) => t.trial === warning.trial);
      items.push({ kind: warning.kind, problem: { where, what: warningText(warning), severity: 'failed', log: trial?.serverLog ?? [], logTitle: SERVER_LOG } });
    } else {
      items.push({ kind: warning.kind, problem: { where, what: warningText(warning), severity: 'warning', log: [], logTitle: '' } });
    }
  }
  return items;
}

function failedTrials(trials: Trial[]): Array<Extract<Trial, { outcome: 'failed' }>> {
  return trials.flatMap((t) => (t.outcome === 'failed' ? [t] : []));
}

/** Each observation once, with every cell it applies to. */
function observations(view: RunView): Note[] {
  const notes = new Map<string, string[]>();
  for (const cell of view.cells) {
    for (const observation of cell.cell.summary?.observations ?? []) {
      const text = observationText(observation);
      notes.set(text, [...(notes.get(text) ?? []), cell.where]);
    }
  }
  return [...notes].map(([text, where]) => ({ text, where }));
}
