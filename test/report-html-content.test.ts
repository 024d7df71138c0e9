// report.html's content, without a browser: offline, escaped, and with what a
// reader must not miss (Wine, failures, errors, warnings apart from notes, the
// method, how to reproduce).

import { reportHtml } from '../reports/html';
import { reportModel } from '../reports/model';
import { fixtureResults } from './support/report-fixture';

const render = (results = fixtureResults()) => reportHtml(reportModel(results));

it('references nothing outside the file', () => {
  const html = render();
  expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
  expect(html).toMatch(/<script>\/\*!\n \* Chart\.js v4/); // chart.js itself is inlined
});

it('escapes text from results', () => {
  const results = fixtureResults();
  results.cells[0].strategy = '<img src=x onerror=alert(1)>';
  results.parameters.commandLine = "pipebench run --label '</script><script>alert(2)</script>'";
  const html = render(results);
  expect(html).not.toContain('<img src=x');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).not.toContain('<script>alert(2)');
  // The failed cell's reason and server log, escaped.
  expect(html).toContain('(&lt;worker 3&gt;)');
  expect(html).toContain('EAGAIN &lt;&amp;&gt;');
});

it('warns prominently when the run was measured under Wine, and only then', () => {
  expect(render()).not.toContain('these times show Wine, not Windows');
  const results = fixtureResults();
  results.environment.wine = 'wine-8.0 (Debian 8.0~repack-4)';
  expect(render(results)).toContain('<div class="banner wine" role="alert">Measured under Wine wine-8.0 (Debian 8.0~repack-4): these times show Wine, not Windows.</div>');
});

it('shows the headline, then the charts, then the problems by kind and the notes, and the command line', () => {
  const html = render();
  expect(html).toContain('<li><span class="what">p99 turnaround at 8 clients</span> <strong>iocp</strong> <span class="detail">1.82× ± ');
  expect(html).toContain('<li><span class="what">Throughput at 8 clients</span> <span class="detail">no significant difference between iocp and edge-proxy');
  // The fixture's intervals, each cell's own: t(0.975, 2) x 1% / sqrt(3) = ±2.5% (9 cells), ±7.5% (sequential at 1 client, 3% apart),
  // t(0.975, 1) x 1% = ±12.7% (iocp at 1 client, two trials left); 9 of 11 within ±5%.
  expect(html).toMatch(/<p class="hint" id="precision">Precision reached: ±2\.5–13% \(median 2\.5%\) of the mean at 95% confidence .*; 9 of 11 cells within ±5\.0%\. For tighter intervals: --precision 5 --max-time 15m\.<\/p>/);
  expect(html).toContain('<p class="hint"><a href="#problems">Errors and warnings (6)</a> are listed below the charts.</p>');
  expect(html).toContain('<h2>Errors and warnings (6)</h2>');
  const order = ['<section id="headline">', '<section id="charts">', '<section id="problems">', '<section id="notes">', '<section id="cells">'].map((tag) => html.indexOf(tag));
  expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]))).toBe(true);
  expect(html).toContain(
    '<li class="failed"><strong>cells not measured</strong> (1): thread-per-client at 4 clients<details open><summary>details</summary><ul><li><strong>thread-per-client at 4 clients</strong>: FAILED: no trial was measured (3 failed); the last: server exited with signal SIGSEGV',
  );
  expect(html).toContain('<li class="errors"><strong>wrong answers or lost transactions</strong> (1): edge-proxy at 4 clients<details><summary>details</summary><ul><li><strong>edge-proxy at 4 clients</strong>: errors: 0 unexpected status, 1 mismatches');
  expect(html).toContain('<li class="warning"><strong>no steady state</strong> (1): edge-proxy at 8 clients<details><summary>details</summary><ul><li><strong>edge-proxy at 8 clients</strong>: trial 2: no steady state');
  // The waiting clients of a one-at-a-time server are a note, not a problem.
  const problems = html.slice(html.indexOf('<section id="problems">'), html.indexOf('</section>', html.indexOf('<section id="problems">')));
  expect(problems).not.toContain('waited for the server');
  expect(html).toMatch(/<section id="notes"><h2>Notes on the figures<\/h2><ul class="notes"><li><strong>sequential at 4 clients<\/strong>: 1 of 4 clients were served/);
  expect(html).toContain('<h2>How these figures were computed</h2>');
  expect(html).toContain('<pre class="command">pipebench run --strategy sequential,thread-per-client,iocp --external /tmp/edge-proxy.sock');
  for (const chart of reportModel(fixtureResults()).charts) expect(html).toContain(`<canvas id="chart-${chart.id}"`);
});

it('says "None" under the problems of a healthy run', () => {
  const results = fixtureResults();
  results.cells = results.cells.filter((cell) => cell.clients === 8 && cell.strategy !== 'edge-proxy');
  expect(render(results)).toContain('<h2>Errors and warnings (0)</h2><p>None.</p>');
});

it("gives each interval's bounds and method on hover", () => {
  const html = render();
  // 61,000 x (1, 1.01, 0.99): sd 610, t 4.3027 at 2 df: ±1,515.
  expect(html).toMatch(/<td data-v="61000" title="95% interval 59,485 to 62,515 \(own\)">61,000 ±2\.5%<\/td>/);
  // 56,000 x (1, 1.03, 0.97): sd 1,680: ±4,173.
  expect(html).toContain('<td data-v="56000" title="95% interval 51,827 to 60,173 (own)">56,000 ±7.5%</td>');
});

it("opens each cell's trials and clients in details", () => {
  const html = render();
  expect(html).toContain('<details><summary>iocp at 1 client: 3 trials, 1 failed</summary><h4>Trials</h4>');
  expect(html).toContain('<details><summary>thread-per-client at 4 clients <span class="bad">(failed)</span>: 3 trials, 3 failed</summary>');
  expect(html).toContain('<h4>Clients of trial 1</h4>');
});
