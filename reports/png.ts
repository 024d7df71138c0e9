// PNG rendering of chart definitions with chartjs-node-canvas: 1200x700 on white.
// Synchronous, so an interrupted run can still render its report while exiting.

import type { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartDefinition } from './charts';
import { hydrate } from './hydrate';

export const PNG_WIDTH = 1200;
export const PNG_HEIGHT = 700;

/** The canvas native module does not load in this process (for example a Linux build under Wine's Windows node). */
export class PngUnavailable extends Error {
  override name = 'PngUnavailable';
}

let renderer: ChartJSNodeCanvas | undefined;

function loadRenderer(): typeof ChartJSNodeCanvas {
  try {
    // chartjs-node-canvas loads canvas only when it first draws: load it here, where failing is expected.
    require('canvas');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('chartjs-node-canvas') as typeof import('chartjs-node-canvas')).ChartJSNodeCanvas;
  } catch (error) {
    throw new PngUnavailable(`the canvas native module does not load here: ${(error as Error).message.split('\n')[0]}`);
  }
}

export function renderPng(chart: ChartDefinition): Buffer {
  renderer ??= new (loadRenderer())({
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
