// Every chart of a report, defined once from the run: figures against the client
// count (with their 95% intervals as error bars), then the charts of the largest
// client count (charts-largest.ts). A chart whose figure no cell has is left out.

import type { CellSummary } from '../harness/schema/results';
import type { Estimate } from '../harness/measure/statistics';
import { axis, chart, ChartDefinition, DASH, Dataset, GREY, problemNotes, round } from './chart-kit';
import { latencyDistribution, timelines, warmup } from './charts-largest';
import { clientsText, RunView } from './run-view';

export function chartDefinitions(view: RunView): ChartDefinition[] {
  const idle = view.results.idleResponsiveness;
  const charts: Array<ChartDefinition | null> = [
    vsClients(view, {
      id: 'throughput',
      title: 'Throughput vs clients (steady phase)',
      caption: 'Transactions per second of all clients together in the measured phase, with every client running. Higher is better. Bars: 95% intervals.',
      yTitle: 'throughput (transactions/s)',
      series: [{ name: 'throughput', read: (s) => s.steady?.throughputTps }],
    }),
    vsClients(view, {
      id: 'turnaround-p50',
      title: 'Median (p50) turnaround vs clients (steady phase)',
      caption: 'Time from sending a request to receiving its response; half of all transactions took less. Lower is better. Bars: 95% intervals.',
      yTitle: 'p50 turnaround (µs)',
      scale: 1e-3,
      series: [{ name: 'p50', read: (s) => s.steady?.p50Ns }],
    }),
    vsClients(view, {
      id: 'turnaround-p99',
      title: 'p99 turnaround vs clients (steady phase)',
      caption: 'The turnaround 1 transaction in 100 exceeded. Lower is better. Bars: 95% intervals.',
      yTitle: 'p99 turnaround (µs)',
      scale: 1e-3,
      series: [{ name: 'p99', read: (s) => s.steady?.p99Ns }],
    }),
    vsClients(view, {
      id: 'completion',
      title: 'Completion after the common start vs clients (script)',
      caption: "How long after the common start each client's script was done, waiting to be served included. Solid: the worst (last) client; dashed: the mean client. Lower is better.",
      yTitle: 'done after the start (ms)',
      series: [
        { name: 'worst client', read: (s) => s.script?.worstDoneMs },
        { name: 'mean client', dashed: true, read: (s) => s.script?.meanDoneMs },
      ],
    }),
    vsClients(view, {
      id: 'fairness',
      title: "Fairness (Jain's index) vs clients",
      caption:
        "1 = every client got an equal share; 1/n = one client got everything. Solid: transactions each client completed in the measured phase; dashed: transactions each client had done when the first client finished its script.",
      yTitle: "Jain's index (1 = equal shares)",
      yMax: 1,
      series: [
        { name: 'steady', read: (s) => s.steady?.fairness },
        { name: 'script', dashed: true, read: (s) => s.script?.fairness },
      ],
    }),
    latencyDistribution(view),
    ...timelines(view),
    warmup(view),
    vsClients(view, {
      id: 'server-cpu',
      title: 'Server CPU per transaction vs clients (steady phase)',
      caption: 'User + system CPU of the server process over the measured phase, read from outside the process, per transaction. Lower is cheaper. Bars: 95% intervals.',
      yTitle: 'server CPU per transaction (µs)',
      series: [{ name: 'CPU', read: (s) => s.steady?.serverCpuUsPerTransaction }],
    }),
    vsClients(view, {
      id: 'server-threads',
      title: 'Server peak threads vs clients',
      caption: 'The most threads the server process had at once in any trial (a count: no interval).',
      yTitle: 'peak threads',
      series: [{ name: 'threads', read: (s) => s.peakThreads }],
    }),
    vsClients(view, {
      id: 'server-memory',
      title: 'Server peak memory (resident) vs clients',
      caption: 'The largest resident set of the server process in any trial. Lower is cheaper.',
      yTitle: 'peak resident memory (MiB)',
      scale: 1 / 1024,
      series: [{ name: 'memory', read: (s) => s.peakRssKb }],
    }),
    vsClients(view, {
      id: 'responsiveness',
      title: 'Machine responsiveness vs clients: how late a sleeping probe woke',
      caption:
        'A probe process sleeps briefly over and over during the measured phase; its lateness shows how much the server starves the rest of the machine. Lower is better. Solid: p50; dashed: p99; grey: the idle machine before the first cell.',
      yTitle: 'probe wake-up lateness (ms)',
      scale: 1e-6,
      series: [
        { name: 'p50', read: (s) => s.steady?.responsiveness?.p50LatenessNs },
        { name: 'p99', dashed: true, read: (s) => s.steady?.responsiveness?.p99LatenessNs },
      ],
      references: idle
        ? [
            { label: 'idle machine p50', value: idle.p50LatenessNs },
            { label: 'idle machine p99', value: idle.p99LatenessNs, dashed: true },
          ]
        : [],
    }),
  ];
  return charts.filter((c): c is ChartDefinition => c !== null);
}

interface Series {
  name: string;
  dashed?: boolean;
  read: (summary: CellSummary) => Estimate | number | null | undefined;
}

interface VsClientsSpec {
  id: string;
  title: string;
  caption: string;
  yTitle: string;
  /** From the stored unit to the axis unit. */
  scale?: number;
  /** The axis's upper end when the figure has one (Jain's index: 1). */
  yMax?: number;
  series: Series[];
  /** Fixed levels drawn in grey for comparison, in the stored unit. */
  references?: Array<{ label: string; value: number; dashed?: boolean }>;
}

interface Point {
  y: number;
  interval: [number, number] | null;
}

/** A figure per server at every client count: lines, or bars when the run had one client count. */
function vsClients(view: RunView, spec: VsClientsSpec): ChartDefinition | null {
  const counts = view.clientCounts;
  const scale = spec.scale ?? 1;
  const pointAt = (server: string, clients: number, series: Series): Point | null => {
    const summary = view.at(server, clients)?.cell.summary;
    const value = summary ? series.read(summary) : null;
    if (value === null || value === undefined) return null;
    if (typeof value === 'number') return { y: round(value * scale), interval: null };
    return { y: round(value.mean * scale), interval: value.method === 'none' ? null : [round(value.low * scale), round(value.high * scale)] };
  };
  // A server without the figure anywhere (all failed, or an external server's CPU) has no line; the notes say why.
  const servers = view.servers.filter((server) => counts.some((n) => spec.series.some((s) => pointAt(server.name, n, s) !== null)));
  if (servers.length === 0) return null;
  const label = (name: string, series: Series) => (spec.series.length === 1 ? name : `${name} ${series.name}`);
  const style = (colour: string, dashed: boolean | undefined) => ({ borderColor: colour, backgroundColor: colour, borderDash: dashed ? DASH : [] });
  const highest = Math.max(...servers.flatMap((server) => counts.flatMap((n) => spec.series.map((s) => pointAt(server.name, n, s)?.interval?.[1] ?? 0))));
  const y = axis('linear', spec.yTitle, { beginAtZero: true, ...(spec.yMax === undefined ? { suggestedMax: highest } : { max: spec.yMax }) });
  const notes = problemNotes(view, counts);
  const references = spec.references ?? [];

  if (counts.length === 1) {
    const [only] = counts;
    const datasets: Dataset[] = servers.map((server) => {
      const points = spec.series.map((s) => pointAt(server.name, only, s));
      return { label: server.label, data: points.map((p) => p?.y ?? null), intervals: points.map((p) => p?.interval ?? null), ...style(server.colour, false) };
    });
    for (const ref of references) datasets.push({ label: ref.label, data: spec.series.map(() => round(ref.value * scale)), ...style(GREY, false) });
    return chart({
      id: spec.id,
      title: spec.title.replace(' vs clients', ` at ${clientsText(only)}`),
      notes,
      caption: spec.caption,
      type: 'bar',
      labels: spec.series.length === 1 ? [clientsText(only)] : spec.series.map((s) => s.name),
      datasets,
      scales: { x: axis('category', spec.series.length === 1 ? 'concurrent clients' : 'figure'), y },
      legend: 'boxes',
    });
  }

  const datasets: Dataset[] = servers.flatMap((server) =>
    spec.series.map((series) => {
      const points = counts.map((n) => pointAt(server.name, n, series));
      return {
        label: label(server.label, series),
        data: counts.map((n, i) => ({ x: n, y: points[i]?.y ?? null })),
        intervals: points.map((p) => p?.interval ?? null),
        ...style(server.colour, series.dashed),
        pointStyle: series.dashed ? 'rectRot' : 'circle',
        pointRadius: 4,
        borderWidth: 2.5,
        spanGaps: false,
      };
    }),
  );
  for (const ref of references) {
    datasets.push({ label: ref.label, data: counts.map((n) => ({ x: n, y: round(ref.value * scale) })), ...style(GREY, ref.dashed), pointRadius: 0, borderWidth: 1.5 });
  }
  // Client counts like 1, 2, 4 ... 256 read better on a log axis.
  const spread = counts[counts.length - 1] / counts[0];
  return chart({
    id: spec.id,
    title: spec.title,
    notes,
    caption: spec.caption,
    type: 'line',
    datasets,
    scales: { x: axis(spread > 32 ? 'logarithmic' : 'linear', 'concurrent clients'), y },
    legend: 'lines',
    hints: { fixedTicks: { x: counts } },
  });
}
