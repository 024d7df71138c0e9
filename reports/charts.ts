// One definition per chart, built from results alone: a chart.js configuration
// (plain JSON) plus named hints for the callbacks hydrate() attaches. The HTML page
// and the PNG renderer draw the same definitions.

import type { CellResult, MeasuredCell, RunResults } from '../harness/results';
import type { ChartHints } from './hydrate';
import {
  cellAt,
  clientCounts,
  clientsText,
  doneAfterReleaseMs,
  largestClientCount,
  measuredAt,
  peakThreads,
  idleLatenessMs,
  probeLatenessMs,
  serverCpuSeconds,
  serverPeakMemoryMb,
  seriesNames,
  totalErrors,
} from './model';
import { Palette, paletteFor, withAlpha } from './palette';

/** A chart.js configuration without functions. */
export interface ChartConfig {
  type: 'line' | 'bar';
  data: { labels?: string[]; datasets: Array<Record<string, unknown>> };
  options: Record<string, any>;
}

export interface ChartDefinition {
  /** Also the PNG's file name without `.png`. */
  id: string;
  title: string;
  /** One sentence under the chart in the HTML page: how to read it. */
  caption: string;
  config: ChartConfig;
  hints: ChartHints;
}

const FAILED_COLOUR = '#B00020';
const FAILED_CLIENT_COLOUR = '#9E9E9E';
const REFERENCE_COLOUR = '#8C8C8C';

export function chartDefinitions(results: RunResults): ChartDefinition[] {
  const palette = paletteFor(seriesNames(results));
  const charts: Array<ChartDefinition | null> = [
    vsClients(results, palette, {
      id: 'turnaround',
      title: 'Turnaround per transaction vs clients: mean and p99',
      caption: 'Time from sending a request to receiving its response, per transaction. Lower is better. Solid: mean; dashed: p99.',
      yTitle: 'turnaround (µs)',
      series: [
        { name: 'mean', value: (cell) => cell.latency.meanNs / 1000 },
        { name: 'p99', dashed: true, value: (cell) => cell.latency.p99Ns / 1000 },
      ],
    }),
    vsClients(results, palette, {
      id: 'completion',
      title: 'Completion time from release vs clients: mean client and worst client',
      caption: 'How long after the clients were released each one had its whole script done, waiting to be served included. Lower is better. Solid: mean over clients; dashed: the last client.',
      yTitle: 'done after release (ms)',
      series: [
        { name: 'mean', value: (cell) => doneAfterReleaseMs(cell)?.meanMs ?? null },
        { name: 'worst client', dashed: true, value: (cell) => doneAfterReleaseMs(cell)?.maxMs ?? null },
      ],
    }),
    vsClients(results, palette, {
      id: 'throughput',
      title: 'Aggregate throughput vs clients',
      caption: 'Transactions per second over all clients together, from release until the last client finished. Higher is better.',
      yTitle: 'throughput (transactions/s)',
      series: [{ name: 'throughput', value: (cell) => cell.throughputTps }],
    }),
    latencyDistribution(results, palette),
    ...timelines(results, palette),
    vsClients(results, palette, {
      id: 'server-cpu',
      title: 'Server CPU time (user + system) vs clients',
      caption: 'CPU the server process used for the whole cell. Lower is cheaper.',
      yTitle: 'server CPU (s)',
      series: [{ name: 'CPU', value: serverCpuSeconds }],
      optional: true,
    }),
    vsClients(results, palette, {
      id: 'server-threads',
      title: 'Server peak threads vs clients',
      caption: 'The most threads the server process had at once.',
      yTitle: 'peak threads',
      series: [{ name: 'threads', value: peakThreads }],
      optional: true,
    }),
    vsClients(results, palette, {
      id: 'server-memory',
      title: 'Server peak memory (max RSS) vs clients',
      caption: 'The largest resident set of the server process during the cell. Lower is cheaper.',
      yTitle: 'peak memory (MiB)',
      series: [{ name: 'memory', value: serverPeakMemoryMb }],
      optional: true,
    }),
    vsClients(results, palette, {
      id: 'responsiveness',
      title: 'Machine responsiveness vs clients: how late a sleeping probe woke up',
      caption: 'A probe process sleeps briefly over and over while the cell runs; its lateness shows how much the server starves the rest of the machine. Lower is better. Solid: p50; dashed: p99; grey: the idle machine.',
      yTitle: 'probe wake-up lateness (ms)',
      series: [
        { name: 'p50', value: (cell) => probeLatenessMs(cell, 'p50') },
        { name: 'p99', dashed: true, value: (cell) => probeLatenessMs(cell, 'p99') },
      ],
      references: [
        { label: 'idle machine p50', value: idleLatenessMs(results, 'p50') },
        { label: 'idle machine p99', value: idleLatenessMs(results, 'p99'), dashed: true },
      ],
      optional: true,
    }),
  ];
  return charts.filter((chart): chart is ChartDefinition => chart !== null);
}

interface Series {
  name: string;
  dashed?: boolean;
  value: (cell: MeasuredCell) => number | null;
}

interface VsClientsSpec {
  id: string;
  title: string;
  caption: string;
  yTitle: string;
  series: Series[];
  /** Fixed levels drawn in grey for comparison (null: not measured, left out). */
  references?: Array<{ label: string; value: number | null; dashed?: boolean }>;
  /** Absent (null) when no cell carries the figure. */
  optional?: boolean;
}

/** A figure per server at every client count: lines, or bars when the run had one client count. */
function vsClients(results: RunResults, palette: Palette, spec: VsClientsSpec): ChartDefinition | null {
  const counts = clientCounts(results);
  const names = seriesNames(results);
  const valueAt = (name: string, clients: number, series: Series): number | null => {
    const cell = measuredAt(results, name, clients);
    const value = cell ? series.value(cell) : null;
    return value === null || !Number.isFinite(value) ? null : round(value);
  };
  // A server without the figure anywhere (all failed, or an external server's cost) has no line; the notes say why.
  const hasValues = (name: string) => counts.some((n) => spec.series.some((s) => valueAt(name, n, s) !== null));
  if (!names.some(hasValues) && (spec.optional || counts.length === 0)) return null;
  const notes = problemNotes(results, counts);
  const references = (spec.references ?? []).filter((ref) => ref.value !== null && Number.isFinite(ref.value));
  if (counts.length === 1) {
    const [only] = counts;
    const labels = spec.series.length === 1 ? [clientsText(only)] : spec.series.map((s) => s.name);
    return {
      id: spec.id,
      title: spec.title,
      caption: spec.caption,
      hints: {},
      config: {
        type: 'bar',
        data: {
          labels,
          datasets: names.filter(hasValues).map((name) => ({
            label: name,
            data: spec.series.map((s) => valueAt(name, only, s)),
            backgroundColor: palette(name),
            borderColor: palette(name),
          })).concat(
            references.map((ref) => ({
              label: ref.label,
              data: spec.series.map(() => round(ref.value!)),
              backgroundColor: REFERENCE_COLOUR,
              borderColor: REFERENCE_COLOUR,
            })),
          ),
        },
        options: baseOptions(spec.title.replace(' vs clients', ` at ${clientsText(only)}`), notes, {
          x: { type: 'category', title: axisTitle(spec.series.length === 1 ? 'concurrent clients' : 'statistic') },
          y: { type: 'linear', beginAtZero: true, title: axisTitle(spec.yTitle) },
        }, 'boxes'),
      },
    };
  }
  const spread = counts[counts.length - 1] / counts[0];
  return {
    id: spec.id,
    title: spec.title,
    caption: spec.caption,
    hints: { fixedTicks: { x: counts } },
    config: {
      type: 'line',
      data: {
        datasets: names.filter(hasValues).flatMap((name) =>
          spec.series.map((s) => ({
            label: spec.series.length === 1 ? name : `${name} ${s.name}`,
            data: counts.map((n) => ({ x: n, y: valueAt(name, n, s) })),
            borderColor: palette(name),
            backgroundColor: palette(name),
            borderDash: s.dashed ? [8, 5] : [],
            pointStyle: s.dashed ? 'rectRot' : 'circle',
            pointRadius: 4,
            borderWidth: 2.5,
            spanGaps: false,
          })),
        ).concat(
          references.map((ref) => ({
            label: ref.label,
            data: counts.map((n) => ({ x: n, y: round(ref.value!) })),
            borderColor: REFERENCE_COLOUR,
            backgroundColor: REFERENCE_COLOUR,
            borderDash: ref.dashed ? [8, 5] : [],
            pointStyle: ref.dashed ? 'rectRot' : 'circle',
            pointRadius: 0,
            borderWidth: 1.5,
            spanGaps: false,
          })),
        ),
      },
      options: baseOptions(spec.title, notes, {
        // Client counts like 1, 2, 4 ... 256 read better on a log axis.
        x: { type: spread > 32 ? 'logarithmic' : 'linear', title: axisTitle('concurrent clients') },
        y: { type: 'linear', beginAtZero: true, title: axisTitle(spec.yTitle) },
      }, 'lines'),
    },
  };
}

/** Turnaround percentile curves at the largest client count. */
function latencyDistribution(results: RunResults, palette: Palette): ChartDefinition | null {
  const clients = largestClientCount(results);
  if (clients === null) return null;
  const cells = seriesNames(results)
    .map((name) => measuredAt(results, name, clients))
    .filter((cell): cell is MeasuredCell => cell !== null && cell.percentiles.length > 0);
  if (cells.length === 0) return null;
  const title = `Turnaround distribution at ${clientsText(clients)}: latency by percentile`;
  return {
    id: 'latency-distribution',
    title,
    caption: 'Each line is one server. Further right is rarer (p99 = 1 transaction in 100); higher is slower. Both axes are logarithmic.',
    hints: { ninesScales: ['x'], tooltip: 'percentile' },
    config: {
      type: 'line',
      data: {
        datasets: cells.map((cell) => ({
          label: cell.strategy,
          // x = 1/(1-p): the nines are evenly spaced on a log axis. p100 (the max) has no place on it.
          data: cell.percentiles.filter((point) => point.percentile < 100).map((point) => ({ x: round(100 / (100 - point.percentile)), y: round(point.valueNs / 1000) })),
          borderColor: palette(cell.strategy),
          backgroundColor: palette(cell.strategy),
          pointRadius: 3,
          borderWidth: 2.5,
        })),
      },
      options: baseOptions(title, problemNotes(results, [clients]), {
        x: { type: 'logarithmic', min: 1, title: axisTitle('percentile (log scale of nines: p90, p99, p99.9 ...)') },
        y: { type: 'logarithmic', title: axisTitle('turnaround (µs, log scale)') },
      }, 'lines'),
    },
  };
}

/** One panel per server at the largest client count: each client's script as a bar from start to end. */
function timelines(results: RunResults, palette: Palette): ChartDefinition[] {
  const clients = largestClientCount(results);
  if (clients === null) return [];
  const cells = seriesNames(results)
    .map((name) => cellAt(results, name, clients))
    .filter((cell): cell is CellResult => cell !== undefined && cell.clientDetails.length > 0);
  // A shared time axis, so a convoy looks as long as it was next to the others.
  const maxEndMs = Math.max(...cells.map((cell) => Math.max(...cell.clientDetails.map((c) => c.endMs))));
  return cells.map((cell) => {
    // In the order they finished: a convoy is a staircase, concurrent service a block.
    const details = [...cell.clientDetails].sort((a, b) => a.endMs - b.endMs || a.clientIndex - b.clientIndex);
    const colour = palette(cell.strategy);
    const title = `Client timeline: ${cell.strategy}, ${clientsText(clients)} (each bar is one client's script)`;
    const notes = cell.outcome === 'failed' ? [`FAILED: ${cell.reason}`] : [];
    const fatal = details.filter((c) => c.fatal !== null).length;
    if (fatal > 0) notes.push(`${fatal} client(s) stopped early (grey)`);
    return {
      id: `timeline-${slug(cell.strategy)}`,
      title,
      caption: 'Time runs left to right from the moment all clients were released; clients are sorted by when they finished. Bars running side by side were served together; a staircase is a convoy: clients served one after another.',
      hints: { tooltip: 'timeline' },
      config: {
        type: 'bar',
        data: {
          labels: details.map((c) => `#${c.clientIndex}`),
          datasets: [
            {
              label: cell.strategy,
              data: details.map((c) => [round(c.startMs), round(Math.max(c.endMs, c.startMs))]),
              backgroundColor: details.map((c) => (c.fatal === null ? withAlpha(colour, 0.85) : FAILED_CLIENT_COLOUR)),
              borderColor: details.map((c) => (c.fatal === null ? colour : FAILED_CLIENT_COLOUR)),
              borderWidth: 1,
              borderSkipped: false,
              barPercentage: 1,
              categoryPercentage: 0.85,
            },
          ],
        },
        options: {
          ...baseOptions(title, notes, {
            x: { type: 'linear', min: 0, max: niceCeiling(maxEndMs), title: axisTitle('time since the clients were released (ms)') },
            y: { type: 'category', title: axisTitle('client, in the order they finished'), ticks: { autoSkip: true } },
          }, 'none'),
          indexAxis: 'y',
        },
      },
    };
  });
}

/** Lines under a chart's title naming the cells it cannot show, or shows with errors. */
function problemNotes(results: RunResults, counts: number[]): string[] {
  const notes: string[] = [];
  const failed = results.cells.filter((cell) => cell.outcome === 'failed' && counts.includes(cell.clients));
  if (failed.length > 0) notes.push(`Not measured (failed, shown as gaps): ${failed.map((cell) => `${cell.strategy} at ${clientsText(cell.clients)}`).join(', ')}`);
  const withErrors = results.cells.filter((cell) => cell.outcome === 'measured' && counts.includes(cell.clients) && totalErrors(cell) > 0);
  if (withErrors.length > 0) notes.push(`Measured with errors: ${withErrors.map((cell) => `${cell.strategy} at ${clientsText(cell.clients)}`).join(', ')}`);
  return notes;
}

type LegendStyle = 'lines' | 'boxes' | 'none';

const LEGENDS: Record<LegendStyle, Record<string, unknown>> = {
  // A zero-height box is a short stroke drawn with the dataset's dash: solid and dashed series tell apart in the legend too.
  lines: { display: true, position: 'bottom', labels: { boxWidth: 40, boxHeight: 0, padding: 16 } },
  boxes: { display: true, position: 'bottom', labels: { boxWidth: 18, boxHeight: 14, padding: 16 } },
  none: { display: false },
};

function baseOptions(title: string, notes: string[], scales: Record<string, unknown>, legend: LegendStyle): Record<string, any> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false },
    plugins: {
      title: { display: true, text: title, font: { size: 17, weight: 'bold' }, color: '#111111', padding: { top: 6, bottom: notes.length ? 2 : 10 } },
      subtitle: { display: notes.length > 0, text: notes, color: FAILED_COLOUR, font: { size: 13 }, padding: { bottom: 8 } },
      legend: LEGENDS[legend],
    },
    scales,
  };
}

function axisTitle(text: string) {
  return { display: true, text, font: { size: 14 }, color: '#333333' };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** A round axis end a little above `value`: 1, 2 or 5 times a power of ten. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= value * 1.02) ?? 10;
  return step * power;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'server';
}
