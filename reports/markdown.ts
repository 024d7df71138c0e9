// summary.md printed from the report model: the headline and the precision
// reached, problems by kind, notes, a compact table per cell, the charts (PNG
// files beside it), the method, and how to reproduce the run.

import type { ReportModel } from './model';
import type { Table } from './tables';

export function summaryMarkdown(model: ReportModel): string {
  const lines: string[] = [`# ${md(model.title)}`, '', `${md(model.meta)}.`, ''];
  for (const banner of model.banners) lines.push(`> **${md(banner.text)}**`, '');

  lines.push('## Headline', '');
  const { claims, leftOut } = model.headline;
  if (claims.length === 0) lines.push('No server was measured without problems: nothing to compare.');
  for (const claim of claims) lines.push(`- **${md(claim.figure)}**: ${claim.leader === null ? '' : `${md(claim.leader)}, `}${md(claim.text)}`);
  if (leftOut.length) lines.push('', `Not compared: ${md(leftOut.join(', '))}.`);
  if (model.precision) lines.push('', md(model.precision));
  lines.push('');

  lines.push(`## Errors and warnings (${model.problemCount})`, '');
  if (model.problems.length === 0) lines.push('None.');
  for (const group of model.problems) {
    lines.push(`- **${md(group.title)}** (${group.items.length}): ${md(group.where.join(', '))}`);
    for (const item of group.items) {
      lines.push(`  - ${md(item.where)}: ${md(item.what)}`);
      for (const line of item.log) lines.push(`    - \`${line.replace(/`/g, "'")}\``);
    }
  }
  lines.push('');

  if (model.observations.length) {
    lines.push('## Notes on the figures', '');
    for (const note of model.observations) lines.push(`- **${md(note.where.join(', '))}**: ${md(note.text)}`);
    lines.push('');
  }

  lines.push('## Cells', '', ...markdownTable(model.tables.summary), '', 'Every figure of every cell, with its interval, is in cells.csv and report.html.', '');
  if (model.charts.length) {
    lines.push('## Charts', '');
    for (const chart of model.charts) lines.push(`![${md(chart.title)}](${chart.id}.png)`, '');
  }
  lines.push('## How these figures were computed', '');
  for (const paragraph of model.method) lines.push(md(paragraph), '');
  lines.push('## Reproduce', '', '```sh', model.commandLine, '```', '');
  for (const [term, value] of model.facts) lines.push(`- ${md(term)}: ${md(value)}`);
  lines.push('');
  return lines.join('\n');
}

function markdownTable(table: Table): string[] {
  return [
    `| ${table.columns.map((c) => md(c.header)).join(' | ')} |`,
    `|${table.columns.map((c) => (c.numeric ? ' ---: ' : ' --- ')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.cells.map((cell) => md(cell.text)).join(' | ')} |`),
    ...(table.notes.length ? ['', ...table.notes.map(md)] : []),
  ];
}

/** Text safe inside a Markdown table cell or sentence. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`<>[\]])/g, '\\$1').replace(/\r?\n/g, ' ');
}
