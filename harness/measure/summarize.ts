// A cell's figures from its trials, with 95% intervals. Each trial ran in fresh
// processes, so the trials' values are independent samples of a figure (the JMH
// fork); their launch-to-launch variance, relative to the mean, is pooled across
// the cells of the same client count for each figure (harness/statistics.ts
// trialEstimate): the machine's noise depends on how many processes compete, much
// less on which strategy serves them; a cell whose trials vary significantly more
// than its peers' keeps its own. A cell measured once (and a run of one trial)
// falls back to its measuring windows. Pure: results in, results out.

import { mergeHistograms } from '../../clients/histogram';
import { percentileCurve } from './latency';
import type { Cell, CellErrors, CellSummary, MeasuredTrial, Observation, Responsiveness, RunParameters, ScriptSummary, SteadySummary, Warning } from '../schema/results';
import { Estimate, mean, median, poolRelativeVariance, PooledVariance, sum, trialEstimate, windowEstimate } from './statistics';
import { clientBoundWarning } from './warnings';
import { servesOneClientAtATime } from '../../strategies/types';

type CellTrials = Omit<Cell, 'summary'>;

type Figure = (trial: MeasuredTrial) => number | null;

const steadyFigures = {
  throughputTps: (t) => t.steady?.throughputTps ?? null,
  p50Ns: (t) => t.steady?.latency.p50Ns ?? null,
  p99Ns: (t) => t.steady?.latency.p99Ns ?? null,
  meanNs: (t) => t.steady?.latency.meanNs ?? null,
  fairness: (t) => t.steady?.fairness ?? null,
  // Per transaction: a phase without one gives no finite value, which valuesOf leaves out.
  serverCpuUsPerTransaction: (t) => (t.steady?.serverCost ? (t.steady.serverCost.cpuUserUs + t.steady.serverCost.cpuSystemUs) / t.steady.transactions : null),
  contextSwitchesPerTransaction: (t) => {
    const cost = t.steady?.serverCost;
    if (!cost || cost.voluntaryContextSwitches === null || cost.involuntaryContextSwitches === null) return null;
    return (cost.voluntaryContextSwitches + cost.involuntaryContextSwitches) / t.steady!.transactions;
  },
} satisfies Record<string, Figure>;

const scriptFigures = {
  worstDoneMs: (t) => t.script?.worstDoneMs ?? null,
  meanDoneMs: (t) => t.script?.meanDoneMs ?? null,
  makespanMs: (t) => t.script?.makespanMs ?? null,
  scriptThroughputTps: (t) => t.script?.throughputTps ?? null,
  scriptP99Ns: (t) => t.script?.latency.p99Ns ?? null,
  scriptFairness: (t) => t.script?.fairness ?? null,
} satisfies Record<string, Figure>;

function measuredTrials(cell: CellTrials): MeasuredTrial[] {
  return cell.trials.flatMap((t) => (t.outcome === 'measured' ? [t] : []));
}

function valuesOf(trials: MeasuredTrial[], figure: Figure): number[] {
  return trials.flatMap((t) => {
    const v = figure(t);
    return v === null || !Number.isFinite(v) ? [] : [v];
  });
}

/** Every cell with its summary, the figures' variances pooled across the cells of its client count. */
export function summarizeCells(cells: CellTrials[], parameters: RunParameters, cores: number): Cell[] {
  const shares = (cell: CellTrials) => cpuShares(measuredTrials(cell), parameters, cores);
  const figures: Record<string, Figure> = { ...steadyFigures, ...scriptFigures };
  const perCell = cells.map((cell) => ({ cell, trials: measuredTrials(cell) }));
  // Each cell is held against its peers: the other cells of its client count.
  const peersPool = (cell: CellTrials): Record<string, PooledVariance | null> => {
    const peers = perCell.filter((other) => other.cell.clients === cell.clients && other.cell !== cell);
    const pooled: Record<string, PooledVariance | null> = {};
    for (const [name, figure] of Object.entries(figures)) pooled[name] = poolRelativeVariance(peers.map(({ trials }) => valuesOf(trials, figure)));
    pooled.serverCpuShare = poolRelativeVariance(peers.map((other) => shares(other.cell).server));
    pooled.clientCpuShare = poolRelativeVariance(peers.map((other) => shares(other.cell).clients));
    return pooled;
  };
  return perCell.map(({ cell, trials }) => ({ ...cell, summary: trials.length ? summarize(cell, trials, peersPool(cell), shares(cell), parameters, cores) : null }));
}

function cpuShares(trials: MeasuredTrial[], parameters: RunParameters, cores: number): { server: number[]; clients: number[] } {
  const phaseUs = parameters.measurement.measureWindows * parameters.measurement.windowMs * 1000 * cores;
  return {
    server: trials.flatMap((t) => (t.steady?.serverCost ? [(t.steady.serverCost.cpuUserUs + t.steady.serverCost.cpuSystemUs) / phaseUs] : [])),
    clients: trials.flatMap((t) => (t.steady ? [t.steady.clientCpuUs / phaseUs] : [])),
  };
}

function summarize(
  cell: CellTrials,
  trials: MeasuredTrial[],
  pooled: Record<string, PooledVariance | null>,
  shares: { server: number[]; clients: number[] },
  parameters: RunParameters,
  cores: number,
): CellSummary {
  const estimate = (name: keyof typeof steadyFigures | keyof typeof scriptFigures): Estimate | null => {
    const values = valuesOf(trials, ({ ...steadyFigures, ...scriptFigures } as Record<string, Figure>)[name]);
    return values.length ? trialEstimate(values, pooled[name]) : null;
  };
  // One launch: its windows are the samples (they miss launch-to-launch variance, and the report says so).
  const single = trials.length === 1 && pooled.throughputTps === null ? trials[0].steady : null;
  const windowed = (name: 'throughputTps' | 'p50Ns' | 'p99Ns'): Estimate | null => (single ? windowEstimate(single.windows.map((w) => w[name])) : estimate(name));

  let steady: SteadySummary | null = null;
  const withSteady = trials.filter((t) => t.steady !== null);
  if (withSteady.length) {
    steady = {
      throughputTps: windowed('throughputTps')!,
      p50Ns: windowed('p50Ns')!,
      p99Ns: windowed('p99Ns')!,
      meanNs: estimate('meanNs')!,
      fairness: estimate('fairness')!,
      serverCpuUsPerTransaction: estimate('serverCpuUsPerTransaction'),
      serverCpuShare: shares.server.length ? trialEstimate(shares.server, pooled.serverCpuShare) : null,
      clientCpuShare: trialEstimate(shares.clients, pooled.clientCpuShare),
      contextSwitchesPerTransaction: estimate('contextSwitchesPerTransaction'),
      percentiles: percentileCurve(mergeHistograms(withSteady.map((t) => t.steady!.histogram))),
      clientsServed: Math.max(...withSteady.map((t) => t.steady!.clientsServed)),
      responsiveness: meanResponsiveness(withSteady.flatMap((t) => (t.steady!.responsiveness ? [t.steady!.responsiveness] : []))),
    };
  }

  let script: ScriptSummary | null = null;
  const withScript = trials.filter((t) => t.script !== null);
  if (withScript.length) {
    const worst = withScript.map((t) => t.script!.worstDoneMs);
    const middle = median(worst);
    const timeline = withScript.reduce((best, t) => (Math.abs(t.script!.worstDoneMs - middle) < Math.abs(best.script!.worstDoneMs - middle) ? t : best));
    script = {
      worstDoneMs: estimate('worstDoneMs')!,
      meanDoneMs: estimate('meanDoneMs')!,
      makespanMs: estimate('makespanMs')!,
      throughputTps: estimate('scriptThroughputTps')!,
      p99Ns: estimate('scriptP99Ns')!,
      fairness: estimate('scriptFairness')!,
      timelineTrial: timeline.trial,
    };
  }

  const warnings: Warning[] = [];
  for (const trial of cell.trials) {
    if (trial.outcome === 'failed') warnings.push({ kind: 'trial-failed', trial: trial.trial, reason: trial.reason });
    else warnings.push(...trial.warnings);
  }
  // A wide interval is shown by the interval and the tables' precision column, not warned about.
  if (steady) {
    const bound = clientBoundWarning(steady.clientCpuShare.mean, steady.serverCpuShare?.mean ?? null, cores);
    if (bound) warnings.push(bound);
  }

  const observations: Observation[] = [];
  if (steady && steady.clientsServed < cell.clients) {
    const waiting = { served: steady.clientsServed, clients: cell.clients };
    // Waiting is what a one-at-a-time server is; a concurrent server (or one we do not know) that leaves clients unserved starves them.
    if (!cell.external && servesOneClientAtATime(cell.strategy)) observations.push({ kind: 'clients-waiting', ...waiting });
    else warnings.push({ kind: 'starved', ...waiting });
  }
  if (parameters.workload.ratePerClientTps !== null) observations.push({ kind: 'open-loop', ratePerClientTps: parameters.workload.ratePerClientTps });

  const threads = trials.flatMap((t) => (t.serverLoad?.peakThreads == null ? [] : [t.serverLoad.peakThreads]));
  const rss = trials.flatMap((t) => (t.serverLoad?.peakRssKb == null ? [] : [t.serverLoad.peakRssKb]));
  return {
    measuredTrials: trials.length,
    steady,
    script,
    peakThreads: threads.length ? Math.max(...threads) : null,
    peakRssKb: rss.length ? Math.max(...rss) : null,
    errors: sumErrors(trials),
    warnings,
    observations,
  };
}

function sumErrors(trials: MeasuredTrial[]): CellErrors {
  return {
    unexpectedStatus: sum(trials.map((t) => t.errors.unexpectedStatus)),
    mismatches: sum(trials.map((t) => t.errors.mismatches)),
    failedClients: sum(trials.map((t) => t.errors.failedClients)),
    missingTransactions: sum(trials.map((t) => t.errors.missingTransactions)),
  };
}

function meanResponsiveness(all: Responsiveness[]): Responsiveness | null {
  if (all.length === 0) return null;
  return {
    sleepMs: all[0].sleepMs,
    samples: sum(all.map((r) => r.samples)),
    p50LatenessNs: mean(all.map((r) => r.p50LatenessNs)),
    p99LatenessNs: mean(all.map((r) => r.p99LatenessNs)),
    maxLatenessNs: Math.max(...all.map((r) => r.maxLatenessNs)),
    meanLatenessNs: mean(all.map((r) => r.meanLatenessNs)),
  };
}

