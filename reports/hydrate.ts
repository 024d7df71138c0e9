// Chart definitions are plain JSON (snapshot-testable, embeddable in HTML); the
// few callbacks chart.js needs are attached here from named hints. The HTML page
// inlines this very function (hydrate.toString()), so it must stay
// self-contained: no imports, no helpers outside its body.

export interface ChartHints {
  /** Scales whose values are 1/(1-p): ticks at the nines, labelled as percentiles. */
  ninesScales?: string[];
  /** Scales whose ticks sit exactly at these values (the client counts of the run). */
  fixedTicks?: Record<string, number[]>;
  tooltip?: 'percentile' | 'timeline';
  /** Datasets carry `intervals` ([low, high] per point): draw them as error bars. */
  intervals?: boolean;
  /** Legend entries are strokes with their dataset's dash (chart.js draws them solid). */
  dashedLegend?: boolean;
}

export function hydrate(config: { options?: Record<string, any>; plugins?: unknown[] }, hints: ChartHints): void {
  const options = (config.options ??= {});
  const percentileLabel = (value: number): string => {
    if (value <= 1) return 'min';
    return 'p' + String(Number((100 * (1 - 1 / value)).toFixed(4)));
  };
  for (const id of hints.ninesScales ?? []) {
    const scale = options.scales[id];
    scale.afterBuildTicks = (axis: { max: number; ticks: Array<{ value: number }> }) => {
      const ticks = [{ value: 1 }, { value: 2 }];
      for (let value = 10; value <= axis.max * 1.0001; value *= 10) ticks.push({ value });
      axis.ticks = ticks;
    };
    scale.ticks = { ...scale.ticks, callback: (value: number) => percentileLabel(value) };
  }
  for (const [id, values] of Object.entries(hints.fixedTicks ?? {})) {
    options.scales[id].afterBuildTicks = (axis: { ticks: Array<{ value: number }> }) => {
      axis.ticks = values.map((value) => ({ value }));
    };
  }
  const tooltip = ((options.plugins ??= {}).tooltip ??= {});
  if (hints.tooltip === 'percentile') {
    tooltip.callbacks = {
      title: (items: Array<{ parsed: { x: number } }>) => (items.length ? percentileLabel(items[0].parsed.x) : ''),
      label: (item: { dataset: { label: string }; parsed: { y: number } }) => `${item.dataset.label}: ${item.parsed.y.toLocaleString('en-US', { maximumFractionDigits: 1 })} µs`,
    };
  } else if (hints.tooltip === 'timeline') {
    tooltip.callbacks = {
      label: (item: { dataset: { label: string }; raw: [number, number] }) => `${item.dataset.label}: done ${item.raw[1].toFixed(1)} ms after the start`,
    };
  } else if (hints.intervals) {
    tooltip.callbacks = {
      label: (item: { dataset: { label: string; intervals?: Array<[number, number] | null> }; dataIndex: number; parsed: { y: number } }) => {
        const interval = item.dataset.intervals?.[item.dataIndex];
        const figure = (value: number) => value.toLocaleString('en-US', { maximumSignificantDigits: 4 });
        return `${item.dataset.label}: ${figure(item.parsed.y)}${interval ? ` (95% interval ${figure(interval[0])} to ${figure(interval[1])})` : ''}`;
      },
    };
  }
  if (hints.dashedLegend) {
    const labels = (options.plugins.legend ??= {}).labels ??= {};
    labels.generateLabels = (chart: any) =>
      chart.constructor.defaults.plugins.legend.labels
        .generateLabels(chart)
        .map((item: { datasetIndex: number }) => ({ ...item, lineDash: chart.data.datasets[item.datasetIndex].borderDash ?? [] }));
  }
  if (hints.intervals) {
    // chart.js has no error bars: whiskers with caps in each dataset's colour, after the datasets are drawn.
    const errorBars = {
      id: 'pipebenchIntervals',
      afterDatasetsDraw(chart: any) {
        const { ctx, chartArea } = chart;
        const shown = chart.data.datasets.map((_: unknown, i: number) => i).filter((i: number) => chart.isDatasetVisible(i));
        ctx.save();
        ctx.beginPath();
        // Clipped above and below the plot only: whiskers at the first and last client count stay whole.
        ctx.rect(0, chartArea.top, chart.width, chartArea.bottom - chartArea.top);
        ctx.clip();
        shown.forEach((index: number, order: number) => {
          const dataset = chart.data.datasets[index];
          if (!dataset.intervals) return;
          const meta = chart.getDatasetMeta(index);
          const scale = chart.scales[meta.yAxisID];
          // Lines at the same x: spread their whiskers a little so each stays visible.
          const shift = meta.type === 'bar' ? 0 : (order - (shown.length - 1) / 2) * 3;
          ctx.strokeStyle = dataset.borderColor;
          ctx.lineWidth = 1.5;
          ctx.setLineDash([]);
          meta.data.forEach((element: { x: number; width?: number }, j: number) => {
            const interval = dataset.intervals[j];
            if (!interval) return;
            const x = element.x + shift;
            const top = scale.getPixelForValue(interval[1]);
            const bottom = scale.getPixelForValue(interval[0]);
            const cap = element.width ? Math.min(element.width / 4, 10) : 5;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, bottom);
            ctx.moveTo(x - cap, top);
            ctx.lineTo(x + cap, top);
            ctx.moveTo(x - cap, bottom);
            ctx.lineTo(x + cap, bottom);
            ctx.stroke();
          });
        });
        ctx.restore();
      },
    };
    config.plugins = [...(config.plugins ?? []), errorBars];
  }
}
