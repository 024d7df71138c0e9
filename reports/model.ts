// The report model: everything a report says, built ONCE from the results.
// The renderers (html.ts, png.ts, markdown.ts, csv.ts) only read it, so the
// page, the PNGs, summary.md and cells.csv cannot disagree.

import type { RunResults } from '../harness/schema/results';
import type { ChartDefinition } from './chart-kit';
import { chartDefinitions } from './charts';
import { headline, Headline } from './headline';
import { methodText } from './method';
import { Banner, Note, ProblemGroup, problems } from './problems';
import { precisionLine, precisionTarget, runPrecision } from '../harness/measure/precision-reached';
import { hostPace, hostWakeupsUs } from '../harness/measure/host-pace';
import { runView } from './run-view';
import { buildTables, Tables } from './tables';

export interface ReportModel {
  title: string;
  /** One line under the title: machine, Node, when, status. */
  meta: string;
  banners: Banner[];
  headline: Headline;
  /** The one line on the precision the run reached and how to get more; null when no cell has an interval. */
  precision: string | null;
  /** Failures, errors and warnings grouped by kind: "Errors and warnings (n)". */
  problems: ProblemGroup[];
  problemCount: number;
  /** Expected behaviour that shapes the figures, explained. */
  observations: Note[];
  charts: ChartDefinition[];
  tables: Tables;
  /** "How these figures were computed". */
  method: string[];
  commandLine: string;
  /** Environment and parameters, as term and value. */
  facts: Array<[string, string]>;
}

export function reportModel(results: RunResults): ReportModel {
  const view = runView(results);
  const found = problems(view);
  const env = results.environment;
  const p = results.parameters;
  return {
    title: `pipebench: ${p.workload.workload} workload, clients ${p.clients.join(', ')}, ${env.osLabel}`,
    meta: `${env.cpuModel} (${env.cpuCount} CPUs), Node ${env.node}, pipebench ${env.pipebench}; started ${results.startedAt}, status ${results.status}`,
    banners: found.banners,
    headline: headline(view),
    precision: precisionOf(results),
    problems: found.groups,
    problemCount: found.count,
    observations: found.observations,
    charts: chartDefinitions(view),
    tables: buildTables(view),
    method: methodText(view),
    commandLine: p.commandLine,
    facts: facts(results),
  };
}

function precisionOf(results: RunResults): string | null {
  const reached = runPrecision(results.cells.map((cell) => cell.summary), precisionTarget(results.parameters));
  return reached && precisionLine(reached);
}

function facts(results: RunResults): Array<[string, string]> {
  const env = results.environment;
  const p = results.parameters;
  const m = p.measurement;
  const w = p.workload;
  const idle = results.idleResponsiveness;
  const pace = hostPace(hostWakeupsUs(results));
  const server = p.server;
  const waitOrder = 'waitOrder' in server ? `, wait order ${String(server.waitOrder)}` : '';
  return [
    ['OS', `${env.osLabel} (${env.os}, kernel ${env.kernel}, ${env.arch})`],
    ['Wine', env.wine ?? 'no'],
    ['CPU', `${env.cpuModel}, ${env.cpuCount} logical CPUs`],
    ['memory', `${(env.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
    ['Node', env.node],
    ['pipebench', env.pipebench],
    ['host', env.hostname],
    ['load average before the run', env.loadAverage.toFixed(2)],
    ['host pace', pace ? `a wake-up round trip between two threads, before each trial: median ${pace.medianUs.toFixed(1)} µs, ${pace.lowUs.toFixed(1)}–${pace.highUs.toFixed(1)} µs over ${pace.trials} trials` : 'not measured'],
    ['idle machine probe', idle ? `woke p50 ${(idle.p50LatenessNs / 1e6).toFixed(3)} ms, p99 ${(idle.p99LatenessNs / 1e6).toFixed(3)} ms late (${idle.samples} sleeps of ${idle.sleepMs} ms)` : 'not measured'],
    ['strategies', p.strategies.join(', ') || '(none)'],
    ['external server', p.external ? `${p.external.label} at ${p.external.address}${p.external.pid === null ? '' : `, pid ${p.external.pid}`}` : 'none'],
    ['clients', p.clients.join(', ')],
    ['workload', w.workload === 'transactions' ? `transactions: ${w.transactions} per client` : `batch: ${w.batches} batches of ${w.batchSize}`],
    ['loop', w.ratePerClientTps === null ? 'closed (each client sends its next request when the last is answered)' : `open: ${w.ratePerClientTps} transactions/s per client`],
    ['server', `${server.threads} pool threads, store capacity ${server.capacity}, ${server.cpuUs} µs CPU and ${server.storeLatencyUs} µs store latency per transaction${waitOrder}`],
    ['measurement', `${m.mode === 'both' ? 'steady phase, then script' : m.mode}; windows of ${m.windowMs} ms, ${m.measureWindows} measured`],
    ['warm-up', `${m.warmupMinMs} to ${m.warmupMaxMs} ms${m.warmupMinTransactions > 0 ? `, at least ${m.warmupMinTransactions} transactions per client` : ''}; steady when ${m.steadyWindows} windows agree within ${Math.round(m.steadyTolerance * 100)}%`],
    ['client processes', m.clientWarmupMs > 0 ? `kept from trial to trial; warmed up ${m.clientWarmupMs} ms before the first trial (unrecorded)` : 'started afresh for every trial'],
    ['precision target', `±${Math.round(precisionTarget(p) * 100)}% (95% interval half-width over the mean)`],
    ['trials', `${p.repeat} per cell, shuffled with seed ${p.seed}${p.bail ? ', --bail' : ''}`],
    ['run', `${results.startedAt} to ${results.finishedAt ?? '(not finished)'}, ${results.status}`],
  ];
}
