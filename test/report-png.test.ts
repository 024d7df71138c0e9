// Every chart becomes a PNG of 1200x700 with something drawn on it.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { chartDefinitions } from '../reports/charts';
import { writeReport } from '../reports/report';
import { fixtureResults } from './support/report-fixture';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-report-png-'));
  expect(writeReport(fixtureResults(), dir).pngsSkipped).toBeNull();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('writes one PNG per chart, and no other', () => {
  const expected = chartDefinitions(fixtureResults()).map((chart) => `${chart.id}.png`).sort();
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
