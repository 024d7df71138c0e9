// The fixed parts of report.html: chart.js (inlined from node_modules, so the
// page works offline), the style sheet, the page script, and safe escaping.

import * as fs from 'node:fs';
import * as path from 'node:path';

let chartJsSource: string | undefined;

/** chart.js's UMD build from node_modules, read once. */
export function chartJs(): string {
  chartJsSource ??= fs.readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
  return chartJsSource;
}

/** Escapes text for HTML element content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON that cannot end its <script> element early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

export const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1280px;padding:12px;color:#111;line-height:1.4}
h1{font-size:1.5rem;margin:.3em 0}h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.05rem;margin:.2em 0}
.meta,.hint,figcaption{color:#555;font-size:.9rem}
.banner{background:#fff4e5;border:2px solid #e69f00;border-radius:6px;padding:10px 14px;margin:10px 0;font-weight:600}
.banner.wine{background:#fdecea;border-color:#b00020;color:#7a0015;font-size:1.1rem}
.verdicts{list-style:none;padding:0;margin:.4em 0}
.verdicts li{padding:2px 0;border-bottom:1px solid #eee;font-size:.95rem;line-height:1.35}
.verdicts .what{color:#444;font-weight:600}.verdicts .what::after{content:":"}.verdicts strong{color:#0b5394}
.problems li,.notes li{margin:.4em 0}.problems .failed,.bad{color:#b00020}.problems .errors{color:#8a4b00}.notes li{color:#333}
pre{background:#f5f5f5;padding:8px;overflow-x:auto;font-size:.85rem;white-space:pre-wrap;word-break:break-all}
figure{margin:0 0 28px}.note{color:#b00020;margin:.2em 0;font-size:.9rem}
.chart{position:relative;width:100%;height:clamp(400px,58vw,640px)}
.lead{display:grid;grid-template-columns:minmax(0,1fr);column-gap:24px}.lead-chart figure{margin-top:1.6em}
@media (min-width:1000px){.lead{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}.lead-chart .chart{height:440px}}
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
export const PAGE_SCRIPT = `
const narrow = window.matchMedia('(max-width: 600px)').matches;
if (narrow) Chart.defaults.font.size = 10;
for (const definition of definitions) {
  const config = definition.config;
  hydrate(config, definition.hints);
  config.options.plugins.title.display = false;
  config.options.plugins.subtitle.display = false;
  const canvas = document.getElementById('chart-' + definition.id);
  if (narrow) {
    for (const scale of Object.values(config.options.scales)) {
      scale.title.font.size = 11;
      scale.ticks = { ...scale.ticks, font: { size: 10 } };
    }
    // A phone stacks the legend in rows: grow the chart so the plot keeps its height.
    const legend = config.options.plugins.legend;
    if (legend.display) {
      legend.labels = { ...legend.labels, boxWidth: Math.min(legend.labels.boxWidth ?? 20, 24), padding: 8, font: { size: 11 } };
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
