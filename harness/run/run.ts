// A run: the matrix of cells (strategy x client count), each measured `repeat`
// times in fresh processes, then more where --precision is not yet reached, until
// --max-time; the trials of all cells interleaved in a seeded, shuffled order so
// drift in the machine hits every cell alike (trials.ts TrialPlanner). results.json
// is rewritten after every trial, so a crash loses nothing that finished.

import * as os from 'node:os';
import { strategy as strategyDescriptor } from '../../strategies/catalog';
import { describeEnvironment } from '../schema/environment';
import type { RunOptions } from '../options';
import type { RunOutput } from '../output';
import { measureIdle, type IdleMachineReading } from '../processes/probe';
import { reapAll } from '../processes/processes';
import { formatDuration, trialLine, Progress } from './progress';
import { Cell, RESULTS_SCHEMA_VERSION, RunParameters, RunResults, type Warning } from '../schema/results';
import { summarizeCells } from '../measure/summarize';
import { Target, TrialRunner } from './cell';
import { CellState, PlanEnd, TrialPlanner } from './trials';
import { PRECISION_MIN_TRIALS, REPORT_RESERVE_MS } from '../../contract/knobs';
import { busyMachineWarning } from '../measure/warnings';
import { probeIdleMachine } from './idle-machine';

export function parametersOf(options: RunOptions, seed: number): RunParameters {
  return {
    strategies: options.strategies,
    clients: options.clients,
    external: options.external,
    server: options.server,
    workload: options.workload,
    measurement: options.measurement,
    repeat: options.repeat,
    precision: options.precision,
    maxTimeMs: options.maxTimeMs,
    seed,
    bail: options.bail,
    commandLine: options.commandLine,
  };
}

/** One line when the run stops adding trials: why, and what precision its cells reached. */
function endLine(end: PlanEnd, cells: Cell[], options: RunOptions, elapsedMs: number): string {
  const measured = cells.filter((c) => c.summary !== null);
  if (options.precision === null) return `${measured.length} cells measured, ${options.repeat} trial(s) each (no --precision target)`;
  const reached = measured.filter((c) => c.summary!.precision?.reached).length;
  const target = `±${(options.precision * 100).toFixed(1)}%`;
  const why = end === 'reached' ? 'every measured cell reached it' : `the budget of ${formatDuration(options.maxTimeMs)} would be overrun by the next trial and the report (${formatDuration(elapsedMs)} spent)`;
  return `precision ${target}: ${reached} of ${measured.length} cells reached it; ${why}${end === 'budget' ? '; a longer --max-time buys more trials where the noise is' : ''}`;
}

export function targetsOf(options: RunOptions): Target[] {
  const targets: Target[] = options.strategies.map((name) => ({ kind: 'strategy', name, mechanism: strategyDescriptor(name).mechanism }));
  if (options.external) targets.push({ kind: 'external', ...options.external });
  return targets;
}

/**
 * `elapsedMs`: the time since the command started, by which the budget is kept (tests give their own clock). The
 * budget is the command's: the process's start before this run counts (0.5 s or so), as the report after it does.
 */
export async function runBenchmark(options: RunOptions, runner: TrialRunner, output: RunOutput, progress: Progress, elapsedMs: () => number = () => performance.now()): Promise<RunResults> {
  const cores = os.availableParallelism();
  const parameters = parametersOf(options, options.seed ?? Math.floor(Math.random() * 2 ** 31));
  const results: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    ended: null,
    environment: describeEnvironment(),
    parameters,
    idleResponsiveness: null,
    warnings: [],
    cells: [],
  };
  output.writeResults(results);
  const stopOnSignal = (signal: NodeJS.Signals, exitCode: number) => () => {
    reapAll();
    results.status = 'interrupted';
    results.finishedAt = new Date().toISOString();
    output.writeResults(results);
    progress.line(`${signal}: stopped; results of ${results.cells.length} cells are in ${output.resultsPath}`);
    process.exit(exitCode);
  };
  const onInt = stopOnSignal('SIGINT', 130);
  const onTerm = stopOnSignal('SIGTERM', 143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    const machine = { loadAverage: results.environment.loadAverage, cores };
    const idleLine = ({ responsiveness: r, busyCpuShare }: IdleMachineReading) =>
      `idle machine: probe woke p50 ${(r.p50LatenessNs / 1000).toFixed(0)} µs, p99 ${(r.p99LatenessNs / 1000).toFixed(0)} µs late (${r.samples} sleeps)` +
      `${busyCpuShare === null ? '' : `; CPUs ${(busyCpuShare * 100).toFixed(0)}% busy`}`;
    let busy: Warning | null;
    if (options.idleProbeMs > 0) {
      // Each probe its own log: the child takes the file over (forkChild closes the parent's descriptor).
      const logOf = (probes: number) => output.openLog(probes === 1 ? 'probe-idle.log' : `probe-idle-${probes}.log`);
      const idle = await probeIdleMachine((probes) => measureIdle(logOf(probes), options.idleProbeMs, options.timeouts.readyMs), machine, (reading) =>
        progress.line(`${idleLine(reading)}: busy, probing again`),
      );
      results.idleResponsiveness = idle.reading.responsiveness;
      progress.line(idleLine(idle.reading));
      busy = idle.warning;
    } else {
      busy = busyMachineWarning({ ...machine, busyCpuShare: null, idleProbeP99Ms: null });
    }
    if (busy) results.warnings.push(busy);
    output.writeResults(results);
    results.warnings.push(...(await runner.prepare()));
    output.writeResults(results);

    const targets = targetsOf(options);
    const plan = targets.flatMap((target) => options.clients.map((clients) => ({ target, clients })));
    const cells: Array<Omit<Cell, 'summary'>> = plan.map(({ target, clients }) => ({
      strategy: target.kind === 'strategy' ? target.name : target.label,
      external: target.kind === 'external',
      mechanism: target.kind === 'strategy' ? target.mechanism : `external server at ${target.address}`,
      clients,
      trials: [],
    }));
    const planner = new TrialPlanner(plan.length, { repeat: parameters.repeat, seed: parameters.seed, target: options.precision, minTrials: PRECISION_MIN_TRIALS, budgetMs: options.maxTimeMs, reserveMs: REPORT_RESERVE_MS });
    const minimum = plan.length * parameters.repeat;
    let summarized = summarizeCells(cells, parameters, cores);
    for (let index = 0; ; index++) {
      const states: CellState[] = cells.map((c, i) => ({
        durationsMs: c.trials.map((t) => t.durationMs),
        reached: summarized[i].summary?.precision?.reached ?? null,
        setAside: summarized[i].summary?.observations.filter((o) => o.kind === 'pace-changed').length ?? 0,
      }));
      const next = planner.next(states, elapsedMs());
      if (typeof next === 'string') {
        results.ended = next;
        progress.line(endLine(next, summarized, options, elapsedMs()));
        break;
      }
      const { cell, trial } = next;
      const { target, clients } = plan[cell];
      const outcome = await runner.run({ target, clients, trial, runPosition: index + 1 });
      cells[cell].trials.push(outcome);
      summarized = summarizeCells(cells, parameters, cores);
      results.cells = summarized.filter((c) => c.trials.length > 0);
      output.writeResults(results);
      const what = `${cells[cell].strategy} x ${clients} client${clients === 1 ? '' : 's'}`;
      progress.line(trialLine(index + 1, Math.max(index + 1, minimum), what, outcome, parameters.repeat, elapsedMs()));
      if (outcome.outcome === 'failed' && options.bail) {
        results.status = 'bailed';
        break;
      }
    }
    if (results.status === 'running') results.status = 'complete';
    results.finishedAt = new Date().toISOString();
    output.writeResults(results);
    return results;
  } finally {
    runner.close();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
