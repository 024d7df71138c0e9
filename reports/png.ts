// PNG rendering of chart definitions with chartjs-node-canvas: 1200x700 on white.
// Synchronous, so an interrupted run can still render its report while exiting.
//
// The canvas underneath is @napi-rs/canvas (package.json `overrides` installs it
// where chartjs-node-canvas asks for `canvas`): prebuilt binaries from the package
// registry, no compiler and no Cairo. It bundles no fonts, so the text font comes
// from an npm font package and is registered by path before the first chart.

import type { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartDefinition } from './chart-kit';
import { hydrate } from './hydrate';

export const PNG_WIDTH = 1200;
export const PNG_HEIGHT = 700;
/** The family every PNG's text is drawn in: registered from @fontsource/dejavu-sans, never a system font. */
export const PNG_FONT_FAMILY = 'pipebench DejaVu Sans';
const FONT_FILES = ['dejavu-sans-latin-400-normal.woff2', 'dejavu-sans-latin-700-normal.woff2'];

/** The canvas native module does not load in this process (for example a Linux build under Wine's Windows node). */
export class PngUnavailable extends Error {
  override name = 'PngUnavailable';
}

let renderer: ChartJSNodeCanvas | undefined;

function loadRenderer(): typeof ChartJSNodeCanvas {
  let canvas: typeof import('@napi-rs/canvas');
  try {
    canvas = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
  } catch (error) {
    throw new PngUnavailable(`the canvas native module does not load here: ${(error as Error).message.split('\n')[0]}`);
  }
  for (const file of FONT_FILES) {
    const fontPath = require.resolve(`@fontsource/dejavu-sans/files/${file}`);
    // Both copies of the canvas module (ours and chartjs-node-canvas's alias) share one native font collection.
    canvas.GlobalFonts.registerFromPath(fontPath, PNG_FONT_FAMILY);
  }
  if (!canvas.GlobalFonts.has(PNG_FONT_FAMILY)) throw new Error(`the chart font ${PNG_FONT_FAMILY} did not register from @fontsource/dejavu-sans`);
  return (require('chartjs-node-canvas') as typeof import('chartjs-node-canvas')).ChartJSNodeCanvas;
}

export function renderPng(chart: ChartDefinition): Buffer {
  renderer ??= new (loadRenderer())({
    width: PNG_WIDTH,
    height: PNG_HEIGHT,
    backgroundColour: 'white',
    chartCallback: (ChartJS) => {
      ChartJS.defaults.font.family = `"${PNG_FONT_FAMILY}"`;
      ChartJS.defaults.font.size = 15;
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
