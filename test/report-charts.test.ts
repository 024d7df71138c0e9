// Chart definitions: which charts, their series, titles and axis units; the
// 95% intervals they draw are the fixture's; failed cells are gaps; the largest
// client count's timelines and warm-up show what the fixture holds.

import type { ChartDefinition, Dataset } from '../reports/chart-kit';
import { chartDefinitions } from '../reports/charts';
import { runView } from '../reports/run-view';
import type { RunResults } from '../harness/schema/results';
import { fixtureResults } from './support/report-fixture';

const SERVERS = ['sequential', 'thread-per-client', 'iocp', 'edge-proxy'];
const charts = (results: RunResults = fixtureResults()) => chartDefinitions(runView(results));
const byId = (list: ChartDefinition[], id: string) => {
  const found = list.find((c) => c.id === id);
  if (!found) throw new Error(`no chart ${id} among ${list.map((c) => c.id).join(', ')}`);
  return found;
};
const dataset = (chart: ChartDefinition, label: string): Dataset => {
  const found = chart.config.data.datasets.find((d) => d.label === label);
  if (!found) throw new Error(`no series ${label} in ${chart.id}`);
  return found;
};
const estimateOf = (results: RunResults, strategy: string, clients: number) => results.cells.find((c) => c.strategy === strategy && c.clients === clients)!.summary!;

it('draws every chart of the fixture, in order', () => {
  expect(charts().map((c) => c.id)).toEqual([
    'throughput',
    'turnaround-p50',
    'turnaround-p99',
    'completion',
    'fairness',
    'latency-distribution',
    'timeline-sequential',
    'timeline-thread-per-client',
    'timeline-iocp',
    'timeline-edge-proxy',
    'warmup',
    'server-cpu',
    'server-threads',
    'server-memory',
    'responsiveness',
  ]);
});

it('puts each title and its notes in the chart (the PNG) and beside it (the page) alike', () => {
  for (const chart of charts()) {
    expect(chart.config.options.plugins.title.text).toBe(chart.title);
    expect(chart.config.options.plugins.subtitle.text).toEqual(chart.notes);
    expect(chart.caption.length).toBeGreaterThan(20);
  }
});

it('titles every axis with its unit', () => {
  const list = charts();
  const titles = (id: string) => Object.fromEntries(Object.entries(byId(list, id).config.options.scales).map(([axis, scale]) => [axis, (scale as { title: { text: string } }).title.text]));
  expect(titles('throughput')).toEqual({ x: 'concurrent clients', y: 'throughput (transactions/s)' });
  expect(titles('turnaround-p50')).toEqual({ x: 'concurrent clients', y: 'p50 turnaround (µs)' });
  expect(titles('turnaround-p99')).toEqual({ x: 'concurrent clients', y: 'p99 turnaround (µs)' });
  expect(titles('completion')).toEqual({ x: 'concurrent clients', y: 'done after the start (ms)' });
  expect(titles('fairness')).toEqual({ x: 'concurrent clients', y: "Jain's index (1 = equal shares)" });
  expect(titles('server-cpu')).toEqual({ x: 'concurrent clients', y: 'server CPU per transaction (µs)' });
  expect(titles('server-memory')).toEqual({ x: 'concurrent clients', y: 'peak resident memory (MiB)' });
  expect(titles('responsiveness')).toEqual({ x: 'concurrent clients', y: 'probe wake-up lateness (ms)' });
  expect(titles('latency-distribution').y).toBe('turnaround (µs, log scale)');
  expect(titles('timeline-iocp').x).toBe('time since the common start of the script (ms)');
  expect(titles('warmup')).toEqual({ x: 'time since the clients started (ms)', y: 'throughput (transactions/s)' });
});

it('names one series per server, two where a chart shows two figures, and leaves out servers without the figure', () => {
  const list = charts();
  const labels = (id: string) => byId(list, id).config.data.datasets.map((d) => d.label);
  expect(labels('throughput')).toEqual(SERVERS);
  expect(labels('completion')).toEqual(SERVERS.flatMap((s) => [`${s} worst client`, `${s} mean client`]));
  expect(labels('fairness')).toEqual(SERVERS.flatMap((s) => [`${s} steady`, `${s} script`]));
  expect(labels('latency-distribution')).toEqual(SERVERS);
  // The external server was measured without --external-pid: no CPU, threads or memory.
  expect(labels('server-cpu')).toEqual(['sequential', 'thread-per-client', 'iocp']);
  expect(labels('server-threads')).toEqual(['sequential', 'thread-per-client', 'iocp']);
  expect(labels('responsiveness')).toEqual([...SERVERS.flatMap((s) => [`${s} p50`, `${s} p99`]), 'idle machine p50', 'idle machine p99']);
});

it("draws each point's 95% interval from the fixture's low and high", () => {
  const results = fixtureResults();
  const list = charts(results);
  const cases: Array<[string, string, (s: ReturnType<typeof estimateOf>) => { mean: number; low: number; high: number }, number]> = [
    ['throughput', 'iocp', (s) => s.steady!.throughputTps, 1],
    ['turnaround-p99', 'edge-proxy', (s) => s.steady!.p99Ns, 1e-3],
    ['completion', 'sequential worst client', (s) => s.script!.worstDoneMs, 1],
    ['completion', 'sequential mean client', (s) => s.script!.meanDoneMs, 1],
    ['fairness', 'thread-per-client steady', (s) => s.steady!.fairness, 1],
    ['server-cpu', 'iocp', (s) => s.steady!.serverCpuUsPerTransaction!, 1],
  ];
  for (const [id, label, read, scale] of cases) {
    const series = dataset(byId(list, id), label);
    const strategy = label.split(' ')[0];
    [1, 4, 8].forEach((clients, i) => {
      const cell = results.cells.find((c) => c.strategy === strategy && c.clients === clients)!;
      if (!cell.summary) return;
      const estimate = read(cell.summary);
      expect((series.data[i] as { y: number }).y).toBeCloseTo(estimate.mean * scale, 2);
      expect(series.intervals![i]![0]).toBeCloseTo(estimate.low * scale, 2);
      expect(series.intervals![i]![1]).toBeCloseTo(estimate.high * scale, 2);
    });
  }
  expect(byId(list, 'throughput').hints.intervals).toBe(true);
  // Thread counts are counts: no interval to draw.
  expect(byId(list, 'server-threads').hints.intervals).toBeUndefined();
});

it('leaves a gap, not a zero, where a cell failed, and names it in the notes', () => {
  const throughput = byId(charts(), 'throughput');
  const line = dataset(throughput, 'thread-per-client');
  expect(line.data).toEqual([
    { x: 1, y: 50000 },
    { x: 4, y: null },
    { x: 8, y: 45000 },
  ]);
  expect(line.intervals![1]).toBeNull();
  expect(throughput.notes).toEqual([
    'Not measured (failed, shown as gaps): thread-per-client at 4 clients',
    'Measured with errors or failed trials: iocp at 1 client, edge-proxy at 4 clients',
  ]);
});

it('uses one colour per server in every chart', () => {
  const colours = new Map<string, string>();
  for (const chart of charts()) {
    for (const d of chart.config.data.datasets) {
      const server = SERVERS.find((s) => d.label.startsWith(s));
      if (!server || typeof d.borderColor !== 'string') continue;
      expect([chart.id, d.label, colours.get(server) ?? d.borderColor]).toEqual([chart.id, d.label, d.borderColor]);
      colours.set(server, d.borderColor);
    }
  }
  // Okabe-Ito for the known strategies; the external label takes the first colour of its own list.
  expect(Object.fromEntries(colours)).toEqual({ sequential: '#D55E00', 'thread-per-client': '#0072B2', iocp: '#E69F00', 'edge-proxy': '#000000' });
});

it("shows every client of the timeline trial as a bar from the start to when it was done, in the order they finished", () => {
  const list = charts();
  const sequential = byId(list, 'timeline-sequential');
  expect(sequential.title).toBe('Client timeline: sequential, 8 clients (script, trial 1)');
  // The fixture's sequential trial 1 served its 8 clients one after another: a staircase of 37.5 ms steps.
  expect(sequential.config.data.labels).toEqual(['#1', '#4', '#7', '#2', '#5', '#0', '#3', '#6']);
  expect(sequential.config.data.datasets[0].data).toEqual([37.5, 75, 112.5, 150, 187.5, 225, 262.5, 300].map((done) => [0, done]));
  const maxima = list.filter((c) => c.id.startsWith('timeline-')).map((c) => c.config.options.scales.x.max);
  expect(new Set(maxima)).toEqual(new Set([400]));
});

it('draws a client that never finished its script in grey, to the end of the script', () => {
  const results = fixtureResults();
  results.cells = results.cells.filter((cell) => cell.clients <= 4);
  // The fixture's edge-proxy trial 3 at 4 clients lost client 2 (its script ran 79.2 ms): show that trial.
  results.cells.find((c) => c.strategy === 'edge-proxy' && c.clients === 4)!.summary!.script!.timelineTrial = 3;
  const list = charts(results);
  const edge = byId(list, 'timeline-edge-proxy');
  expect(edge.notes).toEqual(['1 client(s) never finished their script (grey, drawn to the end of the script)']);
  expect(edge.config.data.labels).toEqual(['#3', '#1', '#0', '#2']);
  expect((edge.config.data.datasets[0].data as number[][])[3]).toEqual([0, 79.2]);
  expect(edge.config.data.datasets[0].backgroundColor).toEqual(['rgba(0, 0, 0, 0.85)', 'rgba(0, 0, 0, 0.85)', 'rgba(0, 0, 0, 0.85)', '#8C8C8C']);
  // thread-per-client failed at 4 clients: no timeline to draw.
  expect(list.map((c) => c.id)).not.toContain('timeline-thread-per-client');
});

it('marks where each warm-up settled, and a warm-up that never did', () => {
  const warmup = byId(charts(), 'warmup');
  expect(warmup.config.data.datasets).toHaveLength(12);
  const settled = dataset(warmup, 'iocp trial 1');
  const radii = settled.pointRadius as number[];
  // The fixture's iocp trial 1 at 8 clients settled from window 2 (the builder's 2 + (trial + clients) mod 3).
  expect(radii.map((r, w) => (r > 0 ? w : -1)).filter((w) => w >= 0)).toEqual([2]);
  expect(settled.pointStyle).toBe('triangle');
  // edge-proxy's trial 2 ran the 5,000 ms cap (50 windows of 100 ms) without settling.
  const unsettled = dataset(warmup, 'edge-proxy trial 2');
  expect(unsettled.pointStyle).toBe('crossRot');
  expect((unsettled.data as Array<{ x: number }>).map((p) => p.x).slice(-1)).toEqual([5000]);
  expect((unsettled.pointRadius as number[]).indexOf(9)).toBe(49);
  expect(warmup.notes).toContain('edge-proxy trial 2 never settled: measured after the 5000 ms cap (×)');
});

it('draws bars, not lines, when the run had one client count', () => {
  const results = fixtureResults();
  results.cells = results.cells.filter((cell) => cell.clients === 8);
  const list = charts(results);
  const throughput = byId(list, 'throughput');
  expect(throughput.config.type).toBe('bar');
  expect(throughput.title).toBe('Throughput at 8 clients (steady phase)');
  expect(throughput.config.data.labels).toEqual(['8 clients']);
  expect(throughput.config.data.datasets.map((d) => d.label)).toEqual(SERVERS);
  const completion = byId(list, 'completion');
  expect(completion.config.data.labels).toEqual(['worst client', 'mean client']);
  const iocp = dataset(completion, 'iocp');
  const worst = estimateOf(results, 'iocp', 8).script!.worstDoneMs;
  expect(iocp.intervals![0]![0]).toBeCloseTo(worst.low, 2);
  expect(iocp.intervals![0]![1]).toBeCloseTo(worst.high, 2);
});

it('leaves out the charts of a phase that did not run', () => {
  const results = fixtureResults();
  results.parameters.measurement.mode = 'steady';
  for (const cell of results.cells) {
    if (cell.summary) cell.summary.script = null;
    for (const trial of cell.trials) if (trial.outcome === 'measured') trial.script = null;
  }
  const ids = charts(results).map((c) => c.id);
  expect(ids).not.toContain('completion');
  expect(ids.filter((id) => id.startsWith('timeline-'))).toEqual([]);
  expect(ids).toContain('throughput');
  expect(dataset(byId(charts(results), 'fairness'), 'iocp script').data.every((p) => (p as { y: number | null }).y === null)).toBe(true);
});

it("labels overlapped with the Win32 wait order when it is 'lowest-first'", () => {
  const results = fixtureResults();
  for (const cell of results.cells) if (cell.strategy === 'thread-per-client') cell.strategy = 'overlapped';
  Object.assign(results.parameters.server, { waitOrder: 'lowest-first' });
  const list = charts(results);
  expect(byId(list, 'throughput').config.data.datasets.map((d) => d.label)).toContain('overlapped (lowest-first)');
  expect(byId(list, 'timeline-overlapped').title).toBe('Client timeline: overlapped (lowest-first), 8 clients (script, trial 1)');
  Object.assign(results.parameters.server, { waitOrder: 'fair' });
  expect(byId(charts(results), 'throughput').config.data.datasets.map((d) => d.label)).toContain('overlapped');
});

it("says under the turnaround distribution when the tables' p50 was adjusted for the host's pace and the curve was not", () => {
  const caption = (results: RunResults) => byId(charts(results), 'latency-distribution').caption;
  const plain = fixtureResults();
  expect(caption(plain)).not.toContain('adjusted');
  const largest = Math.max(...plain.cells.map((c) => c.clients));
  const adjusted = fixtureResults();
  const cell = adjusted.cells.find((c) => c.strategy === 'iocp' && c.clients === largest)!;
  cell.summary = { ...cell.summary!, paceAdjustment: { referenceUs: 25, throughputSlope: -0.5, p50Slope: 0.5, worstDoneSlope: null, meanDoneSlope: null, serverCpuSlope: null } };
  expect(caption(adjusted)).toContain("the tables' p50 is adjusted for the host's pace");
  // A slope that did not apply (null) adjusted nothing.
  cell.summary = { ...cell.summary, paceAdjustment: { referenceUs: 25, throughputSlope: -0.5, p50Slope: null, worstDoneSlope: null, meanDoneSlope: null, serverCpuSlope: null } };
  expect(caption(adjusted)).not.toContain('adjusted');
});
