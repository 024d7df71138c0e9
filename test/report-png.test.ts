// Every chart becomes a PNG of 1200x700 with something drawn on it, its text in
// the font the renderer registers (never whatever the system has).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { reportModel } from '../reports/model';
import { PNG_FONT_FAMILY, renderPng } from '../reports/png';
import { writeReport } from '../reports/report';
import { fixtureResults } from './support/report-fixture';
import { tempDir } from './support/spawned';

let dir: string;

beforeAll(() => {
  dir = tempDir('report-png');
  expect(writeReport(fixtureResults(), dir).pngsSkipped).toBeNull();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('writes one PNG per chart, and no other', () => {
  const expected = reportModel(fixtureResults()).charts.map((chart) => `${chart.id}.png`).sort();
  expect(fs.readdirSync(dir).filter((name) => name.endsWith('.png')).sort()).toEqual(expected);
  expect(expected.length).toBeGreaterThanOrEqual(8);
});

it('makes every PNG 1200x700 and not blank', async () => {
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.png'))) {
    const bytes = fs.readFileSync(path.join(dir, name));
    // PNG signature, then the IHDR chunk: width and height are big-endian at bytes 16 and 20.
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([name, bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([name, 1200, 700]);

    const image = await loadImage(bytes);
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    let sum = 0;
    let squares = 0;
    let ink = 0;
    const count = pixels.length / 4;
    for (let i = 0; i < pixels.length; i += 4) {
      const grey = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3;
      sum += grey;
      squares += grey * grey;
      if (grey < 200) ink++;
    }
    const variance = squares / count - (sum / count) ** 2;
    // White background (mostly light), but with lines, bars and text on it.
    expect([name, pixels[0], pixels[1], pixels[2]]).toEqual([name, 255, 255, 255]);
    expect([name, variance > 100]).toEqual([name, true]);
    expect([name, ink / count > 0.01]).toEqual([name, true]);
  }
});

it('draws every piece of text in the registered font', () => {
  expect(GlobalFonts.families.map((f) => f.family)).toContain(PNG_FONT_FAMILY);
  // chartjs-node-canvas's canvas is the same native module: its 2D context shares this prototype.
  const context = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as { fillText: (...args: unknown[]) => void; font: string };
  const fillText = context.fillText;
  const drawn: Array<{ text: string; font: string }> = [];
  context.fillText = function (this: { font: string }, ...args: unknown[]) {
    drawn.push({ text: String(args[0]), font: this.font });
    return fillText.apply(this, args);
  };
  try {
    for (const chart of reportModel(fixtureResults()).charts.filter((c) => c.id === 'throughput' || c.id === 'timeline-sequential')) renderPng(chart);
  } finally {
    context.fillText = fillText;
  }
  expect(drawn.map((d) => d.text)).toEqual(expect.arrayContaining(['Throughput vs clients (steady phase)', 'throughput (transactions/s)', 'concurrent clients', 'iocp']));
  expect(drawn.filter((d) => !d.font.includes(PNG_FONT_FAMILY))).toEqual([]);
});
