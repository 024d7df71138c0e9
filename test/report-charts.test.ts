// Chart definitions: deterministic, one colour per server everywhere, failed
// cells as gaps (never zero), bars for a single client count, optional charts
// present only when results carry their figures.

import { chartDefinitions, ChartDefinition } from '../reports/charts';
import { fixtureResults } from './support/report-fixture';

const byId = (charts: ChartDefinition[], id: string) => {
  const chart = charts.find((c) => c.id === id);
  if (!chart) throw new Error(`no chart ${id} among ${charts.map((c) => c.id).join(', ')}`);
  return chart;
};

it('renders the same definitions for the same results', () => {
  const charts = chartDefinitions(fixtureResults());
  expect(charts.map((c) => c.id)).toEqual([
    'turnaround',
    'completion',
    'throughput',
    'latency-distribution',
    'timeline-sequential',
    'timeline-thread-per-client',
    'timeline-node-net',
    'timeline-edge-proxy',
    'server-cpu',
    'server-threads',
    'server-memory',
    'responsiveness',
  ]);
  expect(charts).toMatchSnapshot();
});

it('gives every chart a title, axis titles with units and a legend (except single-server timelines)', () => {
  for (const chart of chartDefinitions(fixtureResults())) {
    const options = chart.config.options;
    expect(options.plugins.title.display).toBe(true);
    expect(options.plugins.title.text).toContain(chart.title);
    expect(chart.title).toMatch(/ vs clients| at \d+ clients|, \d+ clients/);
    for (const scale of Object.values(options.scales) as Array<{ title: { display: boolean; text: string } }>) {
      expect(scale.title.display).toBe(true);
      expect(scale.title.text.length).toBeGreaterThan(3);
    }
    expect(options.plugins.legend.display).toBe(!chart.id.startsWith('timeline-'));
  }
  const yTitle = (id: string) => byId(chartDefinitions(fixtureResults()), id).config.options.scales.y.title.text;
  expect(yTitle('turnaround')).toMatch(/\(µs\)/);
  expect(yTitle('completion')).toMatch(/\(ms\)/);
  expect(yTitle('throughput')).toMatch(/transactions\/s/);
});

it('uses one colour per server in every chart, and its own for the external label', () => {
  const colours = new Map<string, string>();
  for (const chart of chartDefinitions(fixtureResults())) {
    if (chart.id.startsWith('timeline-')) continue;
    for (const dataset of chart.config.data.datasets) {
      const server = String(dataset.label).replace(/ (mean|p99|p50|worst client)$/, '');
      if (server.startsWith('idle machine')) continue;
      const colour = String(dataset.borderColor);
      expect(colours.get(server) ?? colour).toBe(colour);
      colours.set(server, colour);
    }
  }
  expect([...colours.keys()].sort()).toEqual(['edge-proxy', 'node-net', 'sequential', 'thread-per-client']);
  expect(new Set(colours.values()).size).toBe(4);
});

it('leaves a gap, not a zero, where a cell failed, and names the failed cell', () => {
  const throughput = byId(chartDefinitions(fixtureResults()), 'throughput');
  const line = throughput.config.data.datasets.find((d) => d.label === 'thread-per-client')!;
  expect(line.data).toEqual([
    { x: 1, y: expect.any(Number) },
    { x: 4, y: expect.any(Number) },
    { x: 8, y: null },
  ]);
  expect(throughput.config.options.plugins.subtitle.text).toEqual(expect.arrayContaining([expect.stringMatching(/failed.*thread-per-client at 8 clients/)]));
  const distribution = byId(chartDefinitions(fixtureResults()), 'latency-distribution');
  expect(distribution.config.data.datasets.map((d) => d.label)).toEqual(['sequential', 'node-net', 'edge-proxy']);
});

it('draws bars, not lines, when the run had one client count', () => {
  const results = fixtureResults();
  results.cells = results.cells.filter((cell) => cell.clients === 4);
  results.parameters.clients = [4];
  const charts = chartDefinitions(results);
  const throughput = byId(charts, 'throughput');
  expect(throughput.config.type).toBe('bar');
  expect(throughput.config.data.labels).toEqual(['4 clients']);
  expect(throughput.config.data.datasets.map((d) => d.label)).toEqual(['sequential', 'thread-per-client', 'node-net', 'edge-proxy']);
  expect(byId(charts, 'turnaround').config.data.labels).toEqual(['mean', 'p99']);
  expect(byId(charts, 'completion').config.type).toBe('bar');
});

it('leaves out the server cost and responsiveness charts when results do not carry them', () => {
  const results = fixtureResults();
  for (const cell of results.cells) {
    if (cell.outcome !== 'measured') continue;
    const loose = cell as unknown as Record<string, unknown>;
    delete loose.serverLoad;
    delete loose.responsiveness;
    cell.serverCost = null;
  }
  delete (results as unknown as Record<string, unknown>).idleResponsiveness;
  const ids = chartDefinitions(results).map((c) => c.id);
  expect(ids).not.toEqual(expect.arrayContaining(['server-cpu']));
  expect(ids.filter((id) => id.startsWith('server-') || id === 'responsiveness')).toEqual([]);
  expect(ids).toContain('throughput');
});

it('shows the server figures an older results file has (serverCost only): CPU and memory, no threads', () => {
  const results = fixtureResults();
  for (const cell of results.cells) delete (cell as unknown as Record<string, unknown>).serverLoad;
  const ids = chartDefinitions(results).map((c) => c.id);
  expect(ids).toEqual(expect.arrayContaining(['server-cpu', 'server-memory']));
  expect(ids).not.toContain('server-threads');
});

it('puts every client of the largest count on its timeline, in the order they finished, on one shared time axis', () => {
  const charts = chartDefinitions(fixtureResults());
  const sequential = byId(charts, 'timeline-sequential');
  const bars = sequential.config.data.datasets[0].data as Array<[number, number]>;
  expect(bars).toHaveLength(8);
  expect(bars.map(([, end]) => end)).toEqual([...bars.map(([, end]) => end)].sort((a, b) => a - b));
  const maxima = charts.filter((c) => c.id.startsWith('timeline-')).map((c) => c.config.options.scales.x.max);
  expect(new Set(maxima).size).toBe(1);
  expect(maxima[0]).toBeGreaterThanOrEqual(Math.max(...bars.map(([, end]) => end)));
});
