// Every report file of a run, rendered from its results alone: report.html, one
// PNG per chart, summary.md and cells.csv. Writing them is output.ts's job.

import { writeFilesTo } from '../harness/output';
import type { RunResults } from '../harness/results';
import { chartDefinitions } from './charts';
import { cellsCsv } from './csv';
import { reportHtml } from './html';
import { summaryMarkdown } from './markdown';
import { renderPng } from './png';

export interface ReportFile {
  name: string;
  contents: string | Buffer;
}

export const REPORT_HTML = 'report.html';

export function renderReport(results: RunResults): ReportFile[] {
  const charts = chartDefinitions(results);
  return [
    { name: REPORT_HTML, contents: reportHtml(results, charts) },
    ...charts.map((chart) => ({ name: `${chart.id}.png`, contents: renderPng(chart) })),
    { name: 'summary.md', contents: summaryMarkdown(results, charts) },
    { name: 'cells.csv', contents: cellsCsv(results) },
  ];
}

/** Renders and writes the report beside results; returns the HTML page's path. */
export function writeReport(results: RunResults, dir: string): string {
  const [htmlPath] = writeFilesTo(dir, renderReport(results));
  return htmlPath;
}
