// summary.md: the headline, one table of the main figures per cell, problems,
// the charts (PNG files beside it) and how to reproduce the run.

import type { RunResults } from '../harness/results';
import type { ChartDefinition } from './charts';
import { CELL_COLUMNS, formatValue } from './columns';
import { headline } from './headline';
import { problems } from './problems';

export function summaryMarkdown(results: RunResults, charts: ChartDefinition[]): string {
  const lines: string[] = [];
  const env = results.environment;
  lines.push(`# pipebench: ${md(results.parameters.workload)} workload, clients ${results.parameters.clients.join(', ')}`, '');
  lines.push(`${md(env.osLabel)}, ${md(env.cpuModel)} (${env.cpuCount} CPUs), Node ${md(env.node)}; run started ${results.startedAt}, status **${results.status}**.`, '');
  const issues = problems(results);
  for (const banner of issues.banners) lines.push(`> **${md(banner)}**`, '');
  const verdicts = headline(results);
  if (verdicts.length > 0) {
    lines.push('## Headline', '');
    for (const v of verdicts) lines.push(`- **${md(v.comparison)}**: ${md(v.winner)}, ${md(v.detail)}`);
    lines.push('');
  }
  const columns = CELL_COLUMNS.filter((c) => c.summary);
  lines.push('## Cells', '');
  lines.push(`| ${columns.map((c) => md(c.header)).join(' | ')} |`);
  lines.push(`|${columns.map((c) => (c.text ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const cell of results.cells) lines.push(`| ${columns.map((c) => md(formatValue(c, cell))).join(' | ')} |`);
  lines.push('', 'Every figure of every cell is in cells.csv and report.html.', '');
  if (issues.items.length > 0) {
    lines.push('## Problems', '');
    for (const item of issues.items) {
      lines.push(`- **${md(item.where)}**: ${md(item.what)}`);
      for (const detail of item.log) lines.push(`  - \`${detail.replace(/`/g, "'")}\``);
    }
    lines.push('');
  }
  if (charts.length > 0) {
    lines.push('## Charts', '');
    for (const chart of charts) lines.push(`![${md(chart.title)}](${chart.id}.png)`, '');
  }
  const p = results.parameters;
  lines.push('## Reproduce', '', '```sh', p.commandLine, '```', '');
  lines.push(
    `Parameters: ${p.transactions} transactions per client, ${p.batches} batches of ${p.batchSize}, ${p.threads} pool threads, capacity ${p.capacity}, ` +
      `${p.cpuUs} µs CPU and ${p.storeLatencyUs} µs store latency per transaction.`,
    '',
  );
  lines.push(`Environment: ${md(env.osLabel)} (${md(env.kernel)}, ${md(env.arch)}), ${env.wine === null ? 'not under Wine' : `Wine ${md(env.wine)}`}, ` + `${Math.round(env.memoryBytes / 2 ** 30)} GiB RAM, pipebench ${md(env.pipebench)}.`, '');
  return lines.join('\n');
}

/** Text safe inside a Markdown table cell or sentence. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`<>[\]])/g, '\\$1').replace(/\r?\n/g, ' ');
}
