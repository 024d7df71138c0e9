// report.html: one offline, self-contained page printed from the report model.
// chart.js and the chart definitions are inlined; nothing is fetched. All text
// from results is escaped.

import type { ChartDefinition } from './chart-kit';
import { chartJs, esc, jsonForScript, PAGE_SCRIPT, scriptSafe, STYLE } from './html-assets';
import { hydrate } from './hydrate';
import type { ReportModel } from './model';
import type { Table } from './tables';

export function reportHtml(model: ReportModel): string {
  const body = [
    `<header><h1>${esc(model.title)}</h1><p class="meta">${esc(model.meta)}</p></header>`,
    ...model.banners.map((banner) => `<div class="banner ${banner.kind}" role="alert">${esc(banner.text)}</div>`),
    // The first screen answers the question: the headline beside the first chart (above it on a narrow
    // screen), then the other charts; problems and notes below them.
    `<div class="lead">${headlineSection(model)}${model.charts.length ? `<div class="lead-chart">${figure(model.charts[0])}</div>` : ''}</div>`,
    `<section id="charts"><h2>Charts</h2>${model.charts.slice(1).map(figure).join('\n')}</section>`,
    problemsSection(model),
    observationsSection(model),
    `<section id="cells"><h2>Every figure per cell</h2><p class="hint">Click a column header to sort.</p>${table(model.tables.cells)}</section>`,
    detailsSection(model),
    `<section id="method"><h2>How these figures were computed</h2>${model.method.map((p) => `<p>${esc(p)}</p>`).join('')}</section>`,
    environmentSection(model),
  ];
  const definitions = model.charts.map((chart) => ({ id: chart.id, config: chart.config, hints: chart.hints }));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(model.title)}</title>
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

function headlineSection(model: ReportModel): string {
  const { claims, clients, leftOut } = model.headline;
  const parts = ['<section id="headline"><h2>Headline</h2>'];
  if (claims.length === 0) parts.push(`<p>No server was measured without problems${clients === null ? '' : ` at ${clients} clients`}: nothing to compare.</p>`);
  else {
    parts.push('<ul class="verdicts">');
    for (const claim of claims) {
      const leader = claim.leader === null ? '' : ` <strong>${esc(claim.leader)}</strong>`;
      parts.push(`<li><span class="what">${esc(claim.figure)}</span>${leader} <span class="detail">${esc(claim.text)}</span></li>`);
    }
    parts.push('</ul>');
  }
  if (leftOut.length) parts.push(`<p class="hint">Not compared: ${esc(leftOut.join(', '))}.</p>`);
  if (model.precision) parts.push(`<p class="hint" id="precision">${esc(model.precision)}</p>`);
  if (model.problemCount) parts.push(`<p class="hint"><a href="#problems">Errors and warnings (${model.problemCount})</a> are listed below the charts.</p>`);
  parts.push('</section>');
  return parts.join('');
}

/** Each kind one line with its cells; each cell's own text and lines in a details box beneath (open for failures). */
function problemsSection(model: ReportModel): string {
  const groups = model.problems.map((group) => {
    const items = group.items.map((item) => {
      const log = item.log.length ? `<details${item.severity === 'failed' ? ' open' : ''}><summary>${esc(item.logTitle)}</summary><pre>${esc(item.log.join('\n'))}</pre></details>` : '';
      return `<li><strong>${esc(item.where)}</strong>: ${esc(item.what)}${log}</li>`;
    });
    const open = group.severity === 'failed' ? ' open' : '';
    return (
      `<li class="${group.severity}"><strong>${esc(group.title)}</strong> (${group.items.length}): ${esc(group.where.join(', '))}` +
      `<details${open}><summary>details</summary><ul>${items.join('')}</ul></details></li>`
    );
  });
  const list = groups.length ? `<ul class="problems">${groups.join('')}</ul>` : '<p>None.</p>';
  return `<section id="problems"><h2>Errors and warnings (${model.problemCount})</h2>${list}</section>`;
}

function observationsSection(model: ReportModel): string {
  if (model.observations.length === 0) return '';
  const items = model.observations.map((note) => `<li><strong>${esc(note.where.join(', '))}</strong>: ${esc(note.text)}</li>`);
  return `<section id="notes"><h2>Notes on the figures</h2><ul class="notes">${items.join('')}</ul></section>`;
}

function figure(chart: ChartDefinition): string {
  const notes = chart.notes.map((note) => `<p class="note">${esc(note)}</p>`).join('');
  return (
    `<figure id="figure-${esc(chart.id)}"><h3>${esc(chart.title)}</h3>${notes}` +
    `<div class="chart"><canvas id="chart-${esc(chart.id)}" role="img" aria-label="${esc(chart.title)}"></canvas></div>` +
    `<figcaption>${esc(chart.caption)}</figcaption></figure>`
  );
}

function table(data: Table): string {
  const head = data.columns.map((c) => `<th${c.numeric ? '' : ' class="text"'}>${esc(c.header)}</th>`).join('');
  const rows = data.rows.map((row) => {
    const cells = row.cells.map((cell) => {
      const sort = typeof cell.sort === 'number' ? ` data-v="${cell.sort}"` : '';
      const title = cell.title ? ` title="${esc(cell.title)}"` : '';
      return `<td${sort}${title}>${esc(cell.text)}</td>`;
    });
    return `<tr${row.failed ? ' class="failed"' : ''}>${cells.join('')}</tr>`;
  });
  const notes = data.notes.map((note) => `<p class="hint">${esc(note)}</p>`).join('');
  return `<div class="scroll"><table class="sortable"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>${notes}`;
}

function detailsSection(model: ReportModel): string {
  const cells = model.tables.details.map((cell) => {
    const count = `${cell.trialCount} trial${cell.trialCount === 1 ? '' : 's'}${cell.failedTrials ? `, ${cell.failedTrials} failed` : ''}`;
    const summary = `${esc(cell.where)}${cell.failed ? ' <span class="bad">(failed)</span>' : ''}: ${count}`;
    const clients = cell.clients ? `<h4>Clients of trial ${cell.clientsOfTrial}</h4>${table(cell.clients)}` : '';
    return `<details><summary>${summary}</summary><h4>Trials</h4>${table(cell.trials)}${clients}</details>`;
  });
  return `<section id="trials"><h2>Trials and clients of every cell</h2>${cells.join('\n')}</section>`;
}

function environmentSection(model: ReportModel): string {
  const facts = model.facts.map(([term, value]) => `<dt>${esc(term)}</dt><dd>${esc(value)}</dd>`).join('');
  return `<section id="environment"><h2>Environment and parameters</h2><h3>Reproduce</h3><pre class="command">${esc(model.commandLine)}</pre><dl>${facts}</dl></section>`;
}
