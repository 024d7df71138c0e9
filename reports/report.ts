// Every report file of a run, rendered from its results alone: the report model
// is built once, then printed as report.html, one PNG per chart, summary.md and
// cells.csv. Writing them is output.ts's job.

import { writeFilesTo } from '../harness/output';
import type { RunResults } from '../harness/schema/results';
import { cellsCsv } from './csv';
import { reportHtml } from './html';
import { summaryMarkdown } from './markdown';
import { reportModel } from './model';
import { PngUnavailable, renderPng } from './png';

export interface ReportFile {
  name: string;
  contents: string | Buffer;
}

export const REPORT_HTML = 'report.html';

export interface RenderedReport {
  files: ReportFile[];
  /** Why no PNG was rendered, or null when every chart has its PNG. */
  pngsSkipped: string | null;
}

export function renderReport(results: RunResults): RenderedReport {
  const model = reportModel(results);
  const files: ReportFile[] = [{ name: REPORT_HTML, contents: reportHtml(model) }];
  let pngsSkipped: string | null = null;
  try {
    for (const chart of model.charts) files.push({ name: `${chart.id}.png`, contents: renderPng(chart) });
  } catch (error) {
    if (!(error instanceof PngUnavailable)) throw error;
    pngsSkipped = `PNG charts not written: ${error.message} (report.html has every chart)`;
    files.splice(1);
  }
  files.push({ name: 'summary.md', contents: summaryMarkdown(model) }, { name: 'cells.csv', contents: cellsCsv(model.tables.csv) });
  return { files, pngsSkipped };
}

/** Renders and writes the report beside results: the HTML page's path, and why PNGs were skipped if they were. */
export function writeReport(results: RunResults, dir: string): { htmlPath: string; pngsSkipped: string | null } {
  const { files, pngsSkipped } = renderReport(results);
  const [htmlPath] = writeFilesTo(dir, files);
  return { htmlPath, pngsSkipped };
}
