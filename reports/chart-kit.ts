// What every chart definition is made of: a chart.js configuration in plain JSON
// (the HTML page embeds it, the PNG renderer draws it), the notes and caption
// said around it, the hints hydrate() turns into callbacks, and a shared style
// sized for a 1200x700 PNG.

import type { ChartHints } from './hydrate';
import { clientsText, RunView } from './run-view';

export interface Dataset {
  label: string;
  data: unknown[];
  /** The 95% interval of each point, [low, high] in the axis unit (null: none); drawn by hydrate's interval plugin. */
  intervals?: Array<[number, number] | null>;
  [option: string]: unknown;
}

/** A chart.js configuration without functions. */
export interface ChartConfig {
  type: 'line' | 'bar';
  data: { labels?: string[]; datasets: Dataset[] };
  options: Record<string, any>;
}

export interface ChartDefinition {
  /** Also the PNG's file name without `.png`. */
  id: string;
  title: string;
  /** Lines under the title: cells the chart cannot show, or shows with problems. */
  notes: string[];
  /** Under the chart in the HTML page: how to read it. */
  caption: string;
  config: ChartConfig;
  hints: ChartHints;
}

export const NOTE_COLOUR = '#B00020';
export const GREY = '#8C8C8C';
export const DASH = [8, 5];

export type LegendStyle = 'lines' | 'boxes' | 'none';

const LEGENDS: Record<LegendStyle, Record<string, unknown>> = {
  // The 'line' point style is one stroke, drawn with the dataset's dash (hydrate's dashedLegend): solid and dashed series tell apart in the legend too.
  lines: { display: true, position: 'bottom', labels: { usePointStyle: true, pointStyle: 'line', pointStyleWidth: 40, padding: 16, font: { size: 15 } } },
  boxes: { display: true, position: 'bottom', labels: { boxWidth: 18, boxHeight: 14, padding: 16, font: { size: 15 } } },
  none: { display: false },
};

/** A definition whose PNG title and notes are the ones the HTML page prints around its canvas. */
export function chart(spec: { id: string; title: string; notes: string[]; caption: string; type: ChartConfig['type']; datasets: Dataset[]; labels?: string[]; scales: Record<string, unknown>; legend: LegendStyle; hints?: ChartHints; indexAxis?: 'y' }): ChartDefinition {
  const intervals = spec.datasets.some((d) => d.intervals?.some((i) => i !== null));
  const options: Record<string, unknown> = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false },
    // Room at the sides for the error bars of the first and last points.
    layout: { padding: { left: 6, right: 18 } },
    plugins: {
      title: { display: true, text: spec.title, font: { size: 20, weight: 'bold' }, color: '#111111', padding: { top: 8, bottom: spec.notes.length ? 4 : 12 } },
      subtitle: { display: spec.notes.length > 0, text: spec.notes, color: NOTE_COLOUR, font: { size: 15 }, padding: { bottom: 10 } },
      legend: LEGENDS[spec.legend],
    },
    scales: spec.scales,
  };
  if (spec.indexAxis) options.indexAxis = spec.indexAxis;
  return {
    id: spec.id,
    title: spec.title,
    notes: spec.notes,
    caption: spec.caption,
    config: { type: spec.type, data: spec.labels ? { labels: spec.labels, datasets: spec.datasets } : { datasets: spec.datasets }, options },
    hints: { ...spec.hints, ...(intervals ? { intervals: true } : {}), ...(spec.legend === 'lines' ? { dashedLegend: true } : {}) },
  };
}

export function axis(type: string, title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type, title: { display: true, text: title, font: { size: 16 }, color: '#333333' }, ticks: { font: { size: 14 } }, ...extra };
}

/** Lines naming the cells at these client counts that a chart cannot show, or shows despite problems. */
export function problemNotes(view: RunView, counts: number[]): string[] {
  const cells = view.cells.filter((cell) => counts.includes(cell.cell.clients));
  const names = (list: typeof cells) => list.map((cell) => cell.where).join(', ');
  const failed = cells.filter((cell) => cell.verdict.failed);
  const troubled = cells.filter((cell) => !cell.verdict.failed && cell.verdict.problemCount > 0);
  const notes: string[] = [];
  if (failed.length) notes.push(`Not measured (failed, shown as gaps): ${names(failed)}`);
  if (troubled.length) notes.push(`Measured with errors or failed trials: ${names(troubled)}`);
  return notes;
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** A round axis end a little above `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= value * 1.02) ?? 10;
  return step * power;
}

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'server';
}

/** "at 8 clients" for a chart of one client count. */
export function atClients(count: number): string {
  return `at ${clientsText(count)}`;
}
