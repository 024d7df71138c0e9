// report.html: one offline, self-contained page. chart.js and the chart
// definitions are inlined; nothing is fetched. All text from results is escaped.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CellResult, RunResults } from '../harness/results';
import type { ChartDefinition } from './charts';
import { CELL_COLUMNS, formatValue } from './columns';
import { headline } from './headline';
import { hydrate } from './hydrate';
import { clientsText, largestClientCount } from './model';
import { problems } from './problems';

let chartJsSource: string | undefined;

/** chart.js's UMD build from node_modules, read once. */
function chartJs(): string {
  chartJsSource ??= fs.readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
  return chartJsSource;
}

export function reportHtml(results: RunResults, charts: ChartDefinition[]): string {
  const env = results.environment;
  const p = results.parameters;
  const issues = problems(results);
  const verdicts = headline(results);
  const title = `pipebench: ${p.workload} workload, clients ${p.clients.join(', ')}, ${env.osLabel}`;
  const body: string[] = [];
  body.push(`<header><h1>${esc(title)}</h1><p class="meta">${esc(`${env.cpuModel} (${env.cpuCount} CPUs), Node ${env.node}, pipebench ${env.pipebench}; started ${results.startedAt}, status ${results.status}`)}</p></header>`);
  for (const banner of issues.banners) body.push(`<div class="banner${env.wine !== null && banner.startsWith('Measured under Wine') ? ' wine' : ''}" role="alert">${esc(banner)}</div>`);

  body.push('<section id="headline"><h2>Headline</h2>');
  if (verdicts.length > 0) {
    body.push('<ul class="verdicts">');
    for (const v of verdicts) body.push(`<li><span class="what">${esc(v.comparison)}</span> <strong>${esc(v.winner)}</strong> <span class="detail">${esc(v.detail)}</span></li>`);
    body.push('</ul>');
  } else {
    body.push(`<p>Fewer than two servers were measured without errors at ${clientsText(largestClientCount(results) ?? 0)}: nothing to compare.</p>`);
  }
  body.push('</section>');

  if (issues.items.length > 0) {
    body.push(`<section id="problems"><h2>Errors and warnings (${issues.items.length})</h2><ul class="problems">`);
    for (const item of issues.items) {
      const log = item.log.length > 0 ? `<details${item.severity === 'failed' ? ' open' : ''}><summary>${item.severity === 'failed' ? 'server log (last lines)' : 'details'}</summary><pre>${esc(item.log.join('\n'))}</pre></details>` : '';
      body.push(`<li class="${item.severity}"><strong>${esc(item.where)}</strong>: ${esc(item.what)}${log}</li>`);
    }
    body.push('</ul></section>');
  }

  body.push('<section id="charts"><h2>Charts</h2>');
  for (const chart of charts) {
    const notes = (chart.config.options.plugins.subtitle.text as string[]).map((note) => `<p class="note">${esc(note)}</p>`).join('');
    body.push(
      `<figure id="figure-${esc(chart.id)}"><h3>${esc(chart.config.options.plugins.title.text as string)}</h3>${notes}` +
        `<div class="chart"><canvas id="chart-${esc(chart.id)}" role="img" aria-label="${esc(chart.title)}"></canvas></div>` +
        `<figcaption>${esc(chart.caption)}</figcaption></figure>`,
    );
  }
  body.push('</section>');

  body.push('<section id="cells"><h2>Every figure per cell</h2><p class="hint">Click a column header to sort.</p><div class="scroll"><table class="sortable"><thead><tr>');
  for (const column of CELL_COLUMNS) body.push(`<th${column.text ? ' class="text"' : ''}>${esc(column.header)}</th>`);
  body.push('</tr></thead><tbody>');
  for (const cell of results.cells) {
    body.push(`<tr class="${cell.outcome}">`);
    for (const column of CELL_COLUMNS) {
      const value = column.value(cell);
      body.push(`<td${typeof value === 'number' ? ` data-v="${value}"` : ''}>${esc(formatValue(column, cell))}</td>`);
    }
    body.push('</tr>');
  }
  body.push('</tbody></table></div></section>');

  body.push('<section id="clients"><h2>Clients of every cell</h2>');
  for (const cell of results.cells) body.push(clientTable(cell));
  body.push('</section>');

  body.push('<section id="environment"><h2>Environment and parameters</h2><h3>Reproduce</h3>');
  body.push(`<pre class="command">${esc(p.commandLine)}</pre><dl>`);
  const facts: Array<[string, string]> = [
    ['OS', `${env.osLabel} (${env.os}, kernel ${env.kernel}, ${env.arch})`],
    ['Wine', env.wine ?? 'no'],
    ['CPU', `${env.cpuModel}, ${env.cpuCount} logical CPUs`],
    ['memory', `${(env.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
    ['Node', env.node],
    ['pipebench', env.pipebench],
    ['host', env.hostname],
    ['strategies', p.strategies.join(', ') || '(none)'],
    ['external server', p.external ? `${p.external.label} at ${p.external.address}` : 'none'],
    ['clients', p.clients.join(', ')],
    ['workload', p.workload === 'transactions' ? `transactions: ${p.transactions} per client` : `batch: ${p.batches} batches of ${p.batchSize}`],
    ['pool threads', String(p.threads)],
    ['store capacity', String(p.capacity)],
    ['server CPU per transaction', `${p.cpuUs} µs`],
    ['store latency per transaction', `${p.storeLatencyUs} µs`],
    ['run', `${results.startedAt} to ${results.finishedAt ?? '(not finished)'}, ${results.status}`],
  ];
  // Parameters newer than this page (loop, repeat, seed ...) are shown as they are.
  const shown = new Set(['strategies', 'clients', 'workload', 'transactions', 'batches', 'batchSize', 'threads', 'capacity', 'cpuUs', 'storeLatencyUs', 'external', 'commandLine']);
  for (const [key, value] of Object.entries(p)) if (!shown.has(key)) facts.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  for (const [term, value] of facts) body.push(`<dt>${esc(term)}</dt><dd>${esc(value)}</dd>`);
  body.push('</dl></section>');

  const definitions = charts.map((chart) => ({ id: chart.id, config: chart.config, hints: chart.hints }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
<script>${scriptSafe(chartJs())}</script>
<script>
${scriptSafe(hydrate.toString())}
const definitions = ${jsonForScript(definitions)};
${PAGE_SCRIPT}
</script>
</body>
</html>
`;
}

function clientTable(cell: CellResult): string {
  const rows = [...cell.clientDetails]
    .sort((a, b) => a.clientIndex - b.clientIndex)
    .map((c) => {
      const errors = c.errors.unexpectedStatus + c.errors.mismatches;
      const cells = [
        [c.clientIndex, String(c.clientIndex)],
        [c.transactions, String(c.transactions)],
        [c.startMs, c.startMs.toFixed(1)],
        [c.endMs, c.endMs.toFixed(1)],
        [c.completionMs, c.completionMs.toFixed(1)],
        [c.throughputTps, Math.round(c.throughputTps).toLocaleString('en-US')],
        [(c.cpuUserUs + c.cpuSystemUs) / 1000, ((c.cpuUserUs + c.cpuSystemUs) / 1000).toFixed(1)],
        [errors, String(errors)],
      ] as Array<[number, string]>;
      return `<tr${c.fatal !== null ? ' class="failed"' : ''}>${cells.map(([v, text]) => `<td data-v="${v}">${esc(text)}</td>`).join('')}<td>${esc(c.fatal ?? '')}</td></tr>`;
    });
  const headers = ['client', 'transactions', 'start ms', 'done ms', 'script ms', 'tx/s', 'client CPU ms', 'errors', 'stopped early because'];
  return (
    `<details><summary>${esc(`${cell.strategy} at ${clientsText(cell.clients)}`)}${cell.outcome === 'failed' ? ' <span class="bad">(failed)</span>' : ''}: ${cell.clientDetails.length} client reports</summary>` +
    `<div class="scroll"><table class="sortable"><thead><tr>${headers.map((h, i) => `<th${i === headers.length - 1 ? ' class="text"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`
  );
}

/** Escapes text for HTML element content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON that cannot end its <script> element early. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1280px;padding:12px;color:#111;line-height:1.4}
h1{font-size:1.5rem;margin:.3em 0}h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.05rem;margin:.2em 0}
.meta,.hint,figcaption{color:#555;font-size:.9rem}
.banner{background:#fff4e5;border:2px solid #e69f00;border-radius:6px;padding:10px 14px;margin:10px 0;font-weight:600}
.banner.wine{background:#fdecea;border-color:#b00020;color:#7a0015;font-size:1.1rem}
.verdicts{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:10px}
.verdicts li{border:1px solid #ddd;border-radius:6px;padding:10px}
.verdicts .what{display:block;color:#555;font-size:.9rem}.verdicts strong{font-size:1.2rem}.verdicts .detail{display:block}
.problems li{margin:.4em 0}.problems .failed,.bad{color:#b00020}.problems .errors{color:#8a4b00}
pre{background:#f5f5f5;padding:8px;overflow-x:auto;font-size:.85rem;white-space:pre-wrap;word-break:break-all}
figure{margin:0 0 28px}.note{color:#b00020;margin:.2em 0;font-size:.9rem}
.chart{position:relative;width:100%;height:clamp(400px,58vw,640px)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.85rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:nowrap}
th.text,td:first-child{text-align:left}
th{background:#f0f0f0;cursor:pointer;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.failed td{background:#fdecea}
details{margin:.3em 0}summary{cursor:pointer}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
@media (max-width:600px){dl{grid-template-columns:1fr}dd{margin-bottom:4px}}
`;

// Draws every chart (titles are HTML above each canvas, so they wrap on phones)
// and makes tables sortable by clicking a header.
const PAGE_SCRIPT = `
const narrow = window.matchMedia('(max-width: 600px)').matches;
if (narrow) Chart.defaults.font.size = 10;
for (const definition of definitions) {
  const config = definition.config;
  hydrate(config, definition.hints);
  config.options.plugins.title.display = false;
  config.options.plugins.subtitle.display = false;
  const canvas = document.getElementById('chart-' + definition.id);
  if (narrow) {
    for (const scale of Object.values(config.options.scales)) scale.title.font.size = 11;
    // A phone stacks the legend in rows: grow the chart so the plot keeps its height.
    const legend = config.options.plugins.legend;
    if (legend.display) {
      legend.labels = { ...legend.labels, boxWidth: Math.min(legend.labels.boxWidth ?? 20, 24), padding: 8 };
      canvas.parentElement.style.height = (340 + 20 * Math.ceil(config.data.datasets.length / 2)) + 'px';
    }
  }
  new Chart(canvas, config);
}
for (const table of document.querySelectorAll('table.sortable')) {
  table.querySelectorAll('th').forEach((th, column) => th.addEventListener('click', () => {
    const ascending = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th').forEach((other) => other.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    // Numbers by value, text alphabetically; empty cells (figures a cell lacks) last either way.
    const key = (row) => { const td = row.children[column]; return td.dataset.v !== undefined ? Number(td.dataset.v) : td.textContent === '' ? null : td.textContent; };
    const body = table.tBodies[0];
    const rows = [...body.rows].sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === null || y === null) return (x === null) - (y === null);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    body.append(...rows);
  }));
}
`;
