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
}

export function hydrate(config: { options?: Record<string, any> }, hints: ChartHints): void {
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
      label: (item: { dataset: { label: string }; raw: [number, number] }) => {
        const [start, end] = item.raw;
        return `${item.dataset.label}: ${start.toFixed(1)} → ${end.toFixed(1)} ms (${(end - start).toFixed(1)} ms)`;
      },
    };
  }
}
