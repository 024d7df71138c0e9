// PNG rendering of chart definitions with chartjs-node-canvas: 1200x700 on white.
// Synchronous, so an interrupted run can still render its report while exiting.

import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartDefinition } from './charts';
import { hydrate } from './hydrate';

export const PNG_WIDTH = 1200;
export const PNG_HEIGHT = 700;

let renderer: ChartJSNodeCanvas | undefined;

export function renderPng(chart: ChartDefinition): Buffer {
  renderer ??= new ChartJSNodeCanvas({
    width: PNG_WIDTH,
    height: PNG_HEIGHT,
    backgroundColour: 'white',
    chartCallback: (ChartJS) => {
      ChartJS.defaults.font.size = 14;
      ChartJS.defaults.color = '#222222';
    },
  });
  // A deep copy: hydrate() adds callbacks, and the definition stays plain JSON.
  const config = structuredClone(chart.config);
  hydrate(config, chart.hints);
  config.options.responsive = false;
  config.options.devicePixelRatio = 1;
  return renderer.renderToBufferSync(config as unknown as Parameters<ChartJSNodeCanvas['renderToBufferSync']>[0], 'image/png');
}
