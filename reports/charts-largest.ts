// The charts of the largest client count, where the strategies differ most: the
// turnaround distribution, each server's client timeline (a staircase is a
// convoy), and the warm-up that led to each trial's measured phase.

import { measuredTrials } from '../harness/schema/results';
import { atClients, axis, chart, ChartDefinition, DASH, Dataset, GREY, niceCeiling, problemNotes, round, slug } from './chart-kit';
import { withAlpha } from './palette';
import { clientsText, RunView } from './run-view';

/** Turnaround percentile curves of the measured phase, every trial merged. */
export function latencyDistribution(view: RunView): ChartDefinition | null {
  const clients = view.largestClients;
  if (clients === null) return null;
  const lines = view.servers.flatMap((server) => {
    const summary = view.at(server.name, clients)?.cell.summary;
    const points = summary?.steady?.percentiles ?? [];
    return points.length ? [{ server, points, p50Adjusted: (summary?.paceAdjustment?.p50Slope ?? null) !== null }] : [];
  });
  if (lines.length === 0) return null;
  // The curve is the trials' percentiles as measured; a p50 adjusted for the host's pace is the tables'.
  const adjusted = lines.some((line) => line.p50Adjusted)
    ? " The curves are the trials' percentiles as measured; the tables' p50 is adjusted for the host's pace (see the method), so it can differ from the curve at p50."
    : '';
  return chart({
    id: 'latency-distribution',
    title: `Turnaround distribution ${atClients(clients)} (steady phase)`,
    notes: problemNotes(view, [clients]),
    caption: `Each line is one server, its trials merged. Further right is rarer (p99 = 1 transaction in 100); higher is slower. Both axes are logarithmic.${adjusted}`,
    type: 'line',
    datasets: lines.map(({ server, points }) => ({
      label: server.label,
      // x = 1/(1-p): the nines are evenly spaced on a log axis. p100 (the max) has no place on it.
      data: points.filter((p) => p.percentile < 100).map((p) => ({ x: round(100 / (100 - p.percentile)), y: round(p.valueNs / 1000) })),
      borderColor: server.colour,
      backgroundColor: server.colour,
      pointRadius: 3,
      borderWidth: 2.5,
    })),
    scales: {
      x: axis('logarithmic', 'percentile (log scale of nines: p90, p99, p99.9 ...)', { min: 1 }),
      y: axis('logarithmic', 'turnaround (µs, log scale)'),
    },
    legend: 'lines',
    hints: { ninesScales: ['x'], tooltip: 'percentile' },
  });
}

/** One chart per server: each client's script from the common start to when it was done, in the order they finished. */
export function timelines(view: RunView): ChartDefinition[] {
  const clients = view.largestClients;
  if (clients === null) return [];
  const panels = view.servers.flatMap((server) => {
    const cell = view.at(server.name, clients)?.cell;
    const trial = measuredTrials(cell?.trials ?? []).find((t) => t.trial === cell?.summary?.script?.timelineTrial);
    return trial?.script ? [{ server, trial: trial.trial, script: trial.script }] : [];
  });
  // One time axis for every panel, so a convoy looks as long as it was next to the others.
  const maxMs = niceCeiling(Math.max(...panels.map((p) => p.script.makespanMs)));
  return panels.map(({ server, trial, script }) => {
    // Clients that never finished sort last and run to the end of the script, in grey.
    const ordered = [...script.clients].sort((a, b) => (a.doneMs ?? Infinity) - (b.doneMs ?? Infinity) || a.clientIndex - b.clientIndex);
    const unfinished = ordered.filter((c) => c.doneMs === null).length;
    const finishedColour = (c: { doneMs: number | null }, solid: string) => (c.doneMs === null ? GREY : solid);
    return chart({
      id: `timeline-${slug(server.name)}`,
      title: `Client timeline: ${server.label}, ${clientsText(clients)} (script, trial ${trial})`,
      notes: unfinished ? [`${unfinished} client(s) never finished their script (grey, drawn to the end of the script)`] : [],
      caption:
        'Each bar is one client, from the common start to when its script was done, sorted by when they finished. Bars of one length were served together; a staircase is a convoy: clients served one after another.',
      type: 'bar',
      labels: ordered.map((c) => `#${c.clientIndex}`),
      datasets: [
        {
          label: server.label,
          data: ordered.map((c) => [0, round(c.doneMs ?? script.makespanMs)]),
          backgroundColor: ordered.map((c) => finishedColour(c, withAlpha(server.colour, 0.85))),
          borderColor: ordered.map((c) => finishedColour(c, server.colour)),
          borderWidth: 1,
          borderSkipped: false,
          barPercentage: 1,
          categoryPercentage: 0.85,
        },
      ],
      scales: {
        x: axis('linear', 'time since the common start of the script (ms)', { min: 0, max: maxMs }),
        y: axis('category', 'client, in the order they finished', { ticks: { autoSkip: true, font: { size: 14 } } }),
      },
      legend: 'none',
      hints: { tooltip: 'timeline' },
      indexAxis: 'y',
    });
  });
}

const TRIAL_DASHES = [[], DASH, [2, 4], [12, 4, 2, 4]];

/** Throughput per warm-up window of every trial, the start of the steady run marked. */
export function warmup(view: RunView): ChartDefinition | null {
  const clients = view.largestClients;
  if (clients === null) return null;
  const notes: string[] = [];
  const datasets: Dataset[] = view.servers.flatMap((server) =>
    measuredTrials(view.at(server.name, clients)?.cell.trials ?? []).map((trial, i) => {
      const { throughputTps, windowMs, steadyFromWindow } = trial.warmup;
      const last = throughputTps.length - 1;
      if (steadyFromWindow === null) notes.push(`${server.label} trial ${trial.trial} never settled: measured after the ${view.results.parameters.measurement.warmupMaxMs} ms cap (×)`);
      // A triangle where the steady run began; a cross at the end of a warm-up that never settled.
      const marked = (w: number) => (steadyFromWindow === null ? w === last : w === steadyFromWindow);
      return {
        label: `${server.label} trial ${trial.trial}`,
        data: throughputTps.map((tps, w) => ({ x: (w + 1) * windowMs, y: round(tps) })),
        borderColor: server.colour,
        backgroundColor: server.colour,
        borderDash: TRIAL_DASHES[i % TRIAL_DASHES.length],
        borderWidth: 2,
        pointRadius: throughputTps.map((_, w) => (marked(w) ? 9 : 0)),
        pointStyle: steadyFromWindow === null ? 'crossRot' : 'triangle',
        pointBorderWidth: 2,
      };
    }),
  );
  if (datasets.length === 0) return null;
  const k = view.results.parameters.measurement.steadyWindows;
  return chart({
    id: 'warmup',
    title: `Warm-up throughput per window ${atClients(clients)}`,
    notes: [...problemNotes(view, [clients]), ...notes],
    caption: `Each line is one trial's warm-up. A triangle marks the first of the ${k} windows whose throughput agreed (steady state); the warm-up ended with the last of them, and the measured phase began.`,
    type: 'line',
    datasets,
    scales: { x: axis('linear', 'time since the clients started (ms)', { min: 0 }), y: axis('linear', 'throughput (transactions/s)', { beginAtZero: true }) },
    legend: 'lines',
  });
}
