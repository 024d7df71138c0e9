// report.html's content, without a browser: offline, escaped, and with what a
// reader must not miss (Wine, failures, errors, warnings, how to reproduce).

import { chartDefinitions } from '../reports/charts';
import { reportHtml } from '../reports/html';
import { fixtureResults } from './support/report-fixture';

const render = (results = fixtureResults()) => reportHtml(results, chartDefinitions(results));

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
  expect(render(results)).toMatch(/<div class="banner wine" role="alert">Measured under Wine wine-8.0 \(Debian 8.0~repack-4\): these times show Wine, not Windows.<\/div>/);
});

it('says when the run did not complete', () => {
  const results = fixtureResults();
  results.status = 'interrupted';
  results.cells = results.cells.slice(0, 5);
  expect(render(results)).toContain('This run was interrupted: 5 cell(s) measured of 12 planned.');
});

it('shows the headline, every problem and the command line', () => {
  const html = render();
  expect(html).toMatch(/Throughput at 8 clients<\/span> <strong>sequential<\/strong>/);
  expect(html).toMatch(/<li class="failed"><strong>thread-per-client at 8 clients<\/strong>: FAILED: server exited with signal SIGSEGV/);
  expect(html).toMatch(/<li class="errors"><strong>node-net at 4 clients<\/strong>: errors: 0 unexpected status, 1 mismatches/);
  expect(html).toMatch(/<li class="warning"><strong>node-net at 4 clients<\/strong>: store held 1 record/);
  expect(html).toContain('<pre class="command">pipebench run --strategy sequential,thread-per-client,node-net --clients 1,4,8');
  for (const chart of chartDefinitions(fixtureResults())) expect(html).toContain(`<canvas id="chart-${chart.id}"`);
});
