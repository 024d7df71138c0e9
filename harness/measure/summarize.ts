// A cell's figures from its trials, with 95% intervals. Each trial ran in fresh
// processes, so the trials' values are independent samples of a figure (the JMH
// fork); a cell's interval comes from its own trials alone (statistics.ts
// trialEstimate), so a noisy peer can neither widen nor narrow it. Turnaround
// percentiles are each trial's percentiles of its merged histogram, across trials
// their geometric mean (logTrialEstimate): the table, the headline and the chart
// use that one estimator. The run's noise (every other cell's trials, pooled)
// only serves to flag a cell whose trials vary significantly more. Pure: results
// in, results out.

import { measuredTrials } from '../schema/results';
import type { Cell, CellErrors, CellSummary, MeasuredTrial, Observation, PercentilePoint, Responsiveness, RunParameters, ScriptSummary, SteadySummary, Warning } from '../schema/results';
import { Estimate, geometricMean, holmSignificant, logTrialEstimate, mean, median, mostOutlying, noisierThan, poolRelativeVariance, sum, trialEstimate, variance } from './statistics';
import { clientBoundWarning, cpusSharedObservation } from './warnings';
import { servesOneClientAtATime } from '../../strategies/types';
import { figurePrecisions } from './precision-reached';
import { clientCpuUsPerTransaction } from './client-cost';
import { adjustToPace, estimatedTrials, groupSlopes, PACED_FIGURES, paceGroup, referencePace, runPaces, type PacedFigure } from './pace-adjust';

type CellTrials = Omit<Cell, 'summary'>;

type Figure = (trial: MeasuredTrial) => number | null;

// The figures not adjusted for the host's pace; those that are (throughput, p50, the script's completions, server CPU per transaction) are
// pace-adjust.ts's PACED_FIGURES.
const steadyFigures = {
  p99Ns: (t) => t.steady?.latency.p99Ns ?? null,
  meanNs: (t) => t.steady?.latency.meanNs ?? null,
  fairness: (t) => t.steady?.fairness ?? null,
  contextSwitchesPerTransaction: (t) => {
    const cost = t.steady?.serverCost;
    if (!cost || cost.voluntaryContextSwitches === null || cost.involuntaryContextSwitches === null) return null;
    return (cost.voluntaryContextSwitches + cost.involuntaryContextSwitches) / t.steady!.transactions;
  },
} satisfies Record<string, Figure>;

const scriptFigures = {
  makespanMs: (t) => t.script?.makespanMs ?? null,
  scriptThroughputTps: (t) => t.script?.throughputTps ?? null,
  scriptP99Ns: (t) => t.script?.latency.p99Ns ?? null,
  scriptFairness: (t) => t.script?.fairness ?? null,
} satisfies Record<string, Figure>;

function valuesOf(trials: MeasuredTrial[], figure: Figure): number[] {
  return trials.flatMap((t) => {
    const v = figure(t);
    return v === null || !Number.isFinite(v) ? [] : [v];
  });
}

/**
 * Figures estimated on the log scale (a geometric mean, Student's t over the logarithms): percentiles, skewed and
 * positive; and server CPU per transaction, whose spread grows with its level and whose differences are read as
 * ratios ("2.0× lower"). On the raw scale a cell of [17.3, 25.1, 16.9] µs against one of [8.5, 10.2, 11.3] µs
 * was "no significant difference" (Welch p = 0.06 on 2.4 df): one run of three said so where the others named
 * the server that spent half the CPU.
 */
const LOG_SCALE = new Set(['p50Ns', 'p99Ns', 'scriptP99Ns', 'serverCpuUsPerTransaction']);

type PaceAdjustment = NonNullable<CellSummary['paceAdjustment']>;

/** Per cell, how its paced figures are adjusted for the host's pace (its group's slopes); all null without paces. */
function paceAdjustments(perCell: Array<{ cell: CellTrials; trials: MeasuredTrial[] }>, paces: Map<MeasuredTrial, number> | null): Array<PaceAdjustment | null> {
  if (paces === null) return perCell.map(() => null);
  const referenceUs = referencePace([...paces.values()]);
  const slopes = groupSlopes(perCell, paces);
  return perCell.map(({ cell }) => ({ referenceUs, ...slopes.get(paceGroup(cell))! }));
}

/** A figure's trial values, adjusted to the run's mean pace when its slope applies. */
function pacedValues(trials: MeasuredTrial[], name: PacedFigure, adjustment: PaceAdjustment | null, paces: Map<MeasuredTrial, number> | null): number[] {
  const { value, slope: slopeName } = PACED_FIGURES[name];
  const slope = adjustment?.[slopeName];
  if (adjustment === null || paces === null || slope === null || slope === undefined) return valuesOf(trials, value);
  return adjustToPace(trials.map((t) => ({ paceUs: paces.get(t)!, value: value(t) })), slope, adjustment.referenceUs);
}

/**
 * Jain's index under this in one trial's measured phase: fewer than half the clients' worth of even service. In the
 * default runs of 2026-12-04, 12 of 1,553 trials of concurrent servers at 5-20 clients (all thread-per-client at 10-20
 * clients): one client did 22-53% of the phase's transactions, every client served.
 */
export const UNEVEN_FAIRNESS = 0.5;

/** The trials, every client served, whose measured phase was uneven: said, so a wide fairness or p50 interval is explained. */
function unevenTrials(trials: MeasuredTrial[], clients: number): Observation[] {
  return trials.flatMap((t) => {
    const steady = t.steady;
    if (!steady || steady.clientsServed < clients || !(steady.fairness < UNEVEN_FAIRNESS)) return [];
    const { perClient, transactions, fairness } = steady;
    return [{ kind: 'uneven-trial' as const, trial: t.trial, fairness, mostTransactions: Math.max(...perClient), leastTransactions: Math.min(...perClient), transactions, p50Ns: steady.latency.p50Ns }];
  });
}

/**
 * How far a trial's clients' own CPU per transaction must move against its throughput (on the log scale, a share of
 * the throughput's move) for the host to explain the trial: the clients run the same code against every server, so
 * their cost per transaction moves with the speed of the CPUs they ran on. Of the 37 cells of the 33 stored sets of
 * 2026-11-29 to 12-05 (99 runs) whose throughput varied significantly more than the run's other cells, none did
 * without its most outlying trial. In 33 that trial's clients' CPU per transaction had moved against its throughput
 * (0.57-0.82x or 1.15-1.71x the others' mean) by 0.6-2.5 times as much (thread-per-client × 20: 26,312 tx/s against
 * 36,010-45,377, its clients at 1.82x their cost in the others); in three by 0.34-0.41 times, in one the same way.
 */
export const HOST_EXPLAINS = 0.5;

/** A cell's one trial off its others that the host explains (HOST_EXPLAINS): the index into its throughput values. */
interface HostOutlier {
  index: number;
  clientCostRatio: number;
}

/** `trials` and `throughputs` aligned (each trial's throughput as the cell's figures use it). */
function hostOutlier(trials: MeasuredTrial[], throughputs: number[]): HostOutlier | null {
  const index = mostOutlying(throughputs);
  if (index === null || trials.length !== throughputs.length) return null;
  const othersMean = (values: number[]) => mean(values.filter((_, k) => k !== index));
  const perTrial = trials.map((t) => clientCpuUsPerTransaction([t]));
  if (perTrial.some((c) => c === null)) return null;
  const cost = perTrial as number[];
  const throughputMove = Math.log(throughputs[index] / othersMean(throughputs));
  const clientCostRatio = cost[index] / othersMean(cost);
  if (throughputMove === 0 || !(clientCostRatio > 0)) return null;
  return Math.log(clientCostRatio) / -throughputMove >= HOST_EXPLAINS ? { index, clientCostRatio } : null;
}

/**
 * Every cell with its summary (throughput and p50 adjusted for the host's pace where that applies); a cell whose
 * throughput varied significantly more than the run's noise is flagged, unless one trial the host explains accounts for
 * it (an 'outlying-trial' observation then says which).
 */
export function summarizeCells(cells: CellTrials[], parameters: RunParameters, cores: number): Cell[] {
  const perCell = cells.map((cell) => ({ cell, trials: estimatedTrials(cell.trials) }));
  const paces = runPaces(perCell.flatMap(({ trials }) => trials));
  const adjustments = paceAdjustments(perCell, paces);
  const withPhase = perCell.map(({ trials }) => trials.filter((t) => t.steady !== null));
  const throughputs = withPhase.map((trials, i) => pacedValues(trials, 'throughputTps', adjustments[i], paces));
  // The machine's noise, as this run saw it: every other cell's trials pooled (relative variance). Holm over the cells tested.
  const noise = throughputs.map((_, i) => poolRelativeVariance(throughputs.filter((__, j) => j !== i)));
  const pValues = throughputs.map((values, i) => noisierThan(values, noise[i]));
  const outliers = throughputs.map((values, i) => hostOutlier(withPhase[i], values));
  const noisierAll = holmSignificant(pValues);
  // A trial the host explains left out: the test that decides, and whose p value a warning quotes.
  const deciding = throughputs.map((values, i) => (outliers[i] ? noisierThan(values.filter((_, k) => k !== outliers[i]!.index), noise[i]) : pValues[i]));
  const noisy = holmSignificant(deciding);
  return perCell.map(({ cell, trials }, i) => {
    if (!trials.length) return { ...cell, summary: null };
    const summary = summarize(cell, trials, parameters, cores, adjustments[i], paces);
    const values = throughputs[i];
    if (noisy[i]) {
      const relativeSd = Math.sqrt(variance(values)) / mean(values);
      summary.warnings.push({ kind: 'noisy-cell', figure: 'throughput', relativeSd, runRelativeSd: Math.sqrt(noise[i]!.relativeVariance), pValue: deciding[i]!, trialValues: values });
    } else if (noisierAll[i] && outliers[i]) {
      const { index, clientCostRatio } = outliers[i]!;
      summary.observations.push({ kind: 'outlying-trial', trial: withPhase[i][index].trial, throughputTps: values[index], othersTps: values.filter((_, k) => k !== index), clientCostRatio });
    }
    return { ...cell, summary };
  });
}

function cpuShares(trials: MeasuredTrial[], parameters: RunParameters, cores: number): { server: number[]; clients: number[] } {
  const phaseUs = parameters.measurement.measureWindows * parameters.measurement.windowMs * 1000 * cores;
  return {
    server: trials.flatMap((t) => (t.steady?.serverCost ? [(t.steady.serverCost.cpuUserUs + t.steady.serverCost.cpuSystemUs) / phaseUs] : [])),
    clients: trials.flatMap((t) => (t.steady ? [t.steady.clientCpuUs / phaseUs] : [])),
  };
}

/** The trials whose measured windows wandered around the steady state without leaving it, as the trial recorded (harness/run/cell.ts). */
function wanderingTrials(trials: MeasuredTrial[]): Observation[] {
  return trials.flatMap((t) => {
    const wandered = t.warmup.wandered;
    return wandered ? [{ kind: 'wandering-trial' as const, trial: t.trial, levelShift: wandered.levelShift, trend: wandered.trend, phases: (t.warmup.remeasured ?? 0) + 1 }] : [];
  });
}

/** The measured trials the cell's figures leave out: the host changed pace during them (pace-adjust.ts estimatedTrials). */
function setAsideTrials(measured: MeasuredTrial[], estimated: MeasuredTrial[]): Observation[] {
  return measured.flatMap((t) => (estimated.includes(t) ? [] : [{ kind: 'pace-changed' as const, trial: t.trial, beforeUs: t.hostWakeupUs!, afterUs: t.hostWakeupAfterUs! }]));
}

/** `trials`: those the figures are estimated from; every measured trial counts for errors and peaks. */
function summarize(cell: CellTrials, trials: MeasuredTrial[], parameters: RunParameters, cores: number, paceAdjustment: PaceAdjustment | null, paces: Map<MeasuredTrial, number> | null): CellSummary {
  const measured = measuredTrials(cell.trials);
  const shares = cpuShares(trials, parameters, cores);
  const estimate = (name: PacedFigure | keyof typeof steadyFigures | keyof typeof scriptFigures): Estimate | null => {
    const values = name in PACED_FIGURES ? pacedValues(trials, name as PacedFigure, paceAdjustment, paces) : valuesOf(trials, ({ ...steadyFigures, ...scriptFigures } as Record<string, Figure>)[name]);
    if (!values.length) return null;
    return LOG_SCALE.has(name) ? logTrialEstimate(values) : trialEstimate(values);
  };

  let steady: SteadySummary | null = null;
  const withSteady = trials.filter((t) => t.steady !== null);
  if (withSteady.length) {
    steady = {
      throughputTps: estimate('throughputTps')!,
      p50Ns: estimate('p50Ns')!,
      p99Ns: estimate('p99Ns')!,
      meanNs: estimate('meanNs')!,
      fairness: estimate('fairness')!,
      serverCpuUsPerTransaction: estimate('serverCpuUsPerTransaction'),
      serverCpuShare: shares.server.length ? trialEstimate(shares.server) : null,
      clientCpuShare: trialEstimate(shares.clients),
      contextSwitchesPerTransaction: estimate('contextSwitchesPerTransaction'),
      percentiles: meanCurve(withSteady.map((t) => t.steady!.percentiles)),
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
  const observations: Observation[] = [];
  if (steady) {
    const shares = [steady.clientCpuShare.mean, steady.serverCpuShare?.mean ?? null, cores] as const;
    const bound = clientBoundWarning(...shares);
    if (bound) warnings.push(bound);
    const shared = cpusSharedObservation(...shares);
    if (shared) observations.push(shared);
  }

  // A one-at-a-time server's clients wait by design; a concurrent server (or one we do not know) is held to serving them all.
  const oneAtATime = !cell.external && servesOneClientAtATime(cell.strategy);
  if (steady && steady.clientsServed < cell.clients) {
    const waiting = { served: steady.clientsServed, clients: cell.clients };
    if (oneAtATime) observations.push({ kind: 'clients-waiting', ...waiting });
    else warnings.push({ kind: 'starved', ...waiting });
  }
  if (!oneAtATime) observations.push(...unevenTrials(trials, cell.clients));
  observations.push(...wanderingTrials(trials));
  observations.push(...setAsideTrials(measured, trials));
  if (parameters.workload.ratePerClientTps !== null) observations.push({ kind: 'open-loop', ratePerClientTps: parameters.workload.ratePerClientTps });

  const threads = measured.flatMap((t) => (t.serverLoad?.peakThreads == null ? [] : [t.serverLoad.peakThreads]));
  const rss = measured.flatMap((t) => (t.serverLoad?.peakRssKb == null ? [] : [t.serverLoad.peakRssKb]));
  const target = parameters.precision ?? null;
  const precisionOf = figurePrecisions(steady, script);
  return {
    measuredTrials: trials.length,
    paceAdjustment,
    precision: {
      throughputTps: precisionOf[0],
      p50Ns: precisionOf[1],
      reached: target === null ? null : precisionOf.every((width, i) => (i === 1 && !steady) || (width !== null && width <= target)),
    },
    steady,
    script,
    peakThreads: threads.length ? Math.max(...threads) : null,
    peakRssKb: rss.length ? Math.max(...rss) : null,
    errors: sumErrors(measured),
    warnings,
    observations,
  };
}

/** The chart's curve by the table's estimator: at each percentile, the geometric mean of the trials' values. */
function meanCurve(curves: PercentilePoint[][]): PercentilePoint[] {
  const drawn = curves.filter((curve) => curve.length > 0);
  if (drawn.length === 0) return [];
  return drawn[0].map(({ percentile }) => ({
    percentile,
    valueNs: geometricMean(drawn.flatMap((curve) => curve.filter((p) => p.percentile === percentile).map((p) => p.valueNs))),
  }));
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

