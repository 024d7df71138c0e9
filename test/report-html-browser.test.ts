// report.html in real headless Chromium: no console errors, no network request,
// every chart canvas drawn, the first screen the headline and a chart, tables
// sortable; screenshots for people to look at.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, Browser } from 'playwright-core';
import { reportModel } from '../reports/model';
import { writeReport } from '../reports/report';
import { ROOT, tempDir } from './support/spawned';
import { fixtureResults } from './support/report-fixture';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
// On Windows: Chrome or Edge (Chromium both), on PATH or where their installers put them.
const WINDOWS = process.platform === 'win32';
const BROWSERS = WINDOWS ? ['chrome.exe', 'msedge.exe'] : ['chromium', 'chromium-browser', 'google-chrome'];
const INSTALLED = WINDOWS
  ? [process.env.ProgramFiles, process.env['ProgramFiles(x86)'], process.env.LOCALAPPDATA].flatMap((root) =>
      root ? [path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'), path.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe')] : [],
    )
  : [];

/** The browser a user would start: $CHROME_PATH, else the first of BROWSERS on PATH, else (Windows) an installed one. */
function findChromium(): string | null {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  const onPath = BROWSERS.flatMap((name) => (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name)));
  for (const candidate of [...onPath, ...INSTALLED]) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

// Without Chromium the test cannot run: a failure in CI, one line and a skip elsewhere.
const CHROMIUM = findChromium();
const MISSING = `no Chromium: none of ${BROWSERS.join(', ')} on PATH${WINDOWS ? ' or installed' : ''}, and CHROME_PATH is not set`;
if (CHROMIUM === null && process.env.CI !== 'true') process.stderr.write(`report-html-browser: skipped, ${MISSING} (CI=true makes this a failure)\n`);
const test = CHROMIUM !== null || process.env.CI === 'true' ? it : it.skip;
const executablePath = () => {
  if (CHROMIUM === null) throw new Error(`${MISSING}, and CI=true requires this test`);
  return CHROMIUM;
};

let browser: Browser | undefined;
let dir: string;

beforeAll(() => {
  dir = tempDir('report-html');
  writeReport(fixtureResults(), dir);
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('opens offline without errors and draws every chart', async () => {
  browser = await chromium.launch({ executablePath: executablePath(), args: ARGS });
  for (const viewport of [{ width: 1280, height: 900, name: 'desktop' }, { width: 390, height: 844, name: 'phone' }]) {
    const page = await browser.newPage({ viewport });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    // Anything that is not the file itself would be a network request: refuse it.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(path.join(dir, 'report.html')).href, { waitUntil: 'load' });

    // Strings, not functions: they run in the page, and this project compiles without DOM types.
    const drawn = await page.evaluate<Array<{ id: string; width: number; height: number; paintedShare: number }>>(`
      [...document.querySelectorAll('canvas')].map((canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
        return { id: canvas.id, width: canvas.width, height: canvas.height, paintedShare: painted / (data.length / 4) };
      })`);
    expect(drawn.map((c) => c.id)).toEqual(reportModel(fixtureResults()).charts.map((chart) => `chart-${chart.id}`));
    for (const canvas of drawn) {
      expect([viewport.name, canvas.id, canvas.width > 0 && canvas.height > 0]).toEqual([viewport.name, canvas.id, true]);
      expect([viewport.name, canvas.id, canvas.paintedShare > 0.01]).toEqual([viewport.name, canvas.id, true]);
    }
    // On a phone the page must not scroll sideways (wide tables scroll inside their box).
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect([viewport.name, overflow]).toEqual([viewport.name, 0]);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `report-${viewport.name}.png`), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }
});

test("the first 1300×900 screen shows the headline and a whole chart, not a list of problems", async () => {
  browser ??= await chromium.launch({ executablePath: executablePath(), args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  await page.goto(pathToFileURL(path.join(dir, 'report.html')).href, { waitUntil: 'load' });
  const box = (selector: string) =>
    page.evaluate<{ top: number; bottom: number } | null>(`(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null; const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; })()`);
  // Every claim of the headline lies on the first screen.
  const claims = (await box('#headline .verdicts'))!;
  expect([claims.top >= 0, claims.bottom <= 900]).toEqual([true, true]);
  // So does a whole chart, drawn.
  const canvases = await page.evaluate<Array<{ top: number; bottom: number; painted: number }>>(`
    [...document.querySelectorAll('canvas')].map((canvas) => {
      const r = canvas.getBoundingClientRect();
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return { top: r.top, bottom: r.bottom, painted: painted / (data.length / 4) };
    })`);
  const onScreen = canvases.filter((c) => c.top >= 0 && c.bottom <= 900 && c.bottom - c.top >= 300);
  expect(onScreen.length).toBeGreaterThanOrEqual(1);
  expect(onScreen[0].painted).toBeGreaterThan(0.01);
  // The fixture has 5 problems: they are below the first screen, after the charts.
  expect((await box('#problems'))!.top).toBeGreaterThan(900);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'report-first-screen.png') });
  await page.close();
});

test('sorts a table by the column clicked', async () => {
  browser ??= await chromium.launch({ executablePath: executablePath(), args: ARGS });
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.join(dir, 'report.html')).href);
  const header = page.locator('#cells th', { hasText: 'throughput tx/s' });
  const column = await page.evaluate<number>(`[...document.querySelectorAll('#cells th')].findIndex((th) => th.textContent === 'throughput tx/s')`);
  const values = () => page.evaluate<string[]>(`[...document.querySelectorAll('#cells tbody tr')].map((row) => row.children[${column}].dataset.v ?? '')`);
  await header.click();
  const ascendingWithEmpty = await values();
  expect(ascendingWithEmpty[ascendingWithEmpty.length - 1]).toBe('');
  const ascending = ascendingWithEmpty.filter((v) => v !== '').map(Number);
  expect(ascending.length).toBe(11);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  await header.click();
  const descendingWithEmpty = await values();
  const descending = descendingWithEmpty.filter((v) => v !== '').map(Number);
  expect(descending).toEqual([...ascending].reverse());
  // The failed cell has no throughput: it sorts last in both directions.
  expect(descendingWithEmpty[descendingWithEmpty.length - 1]).toBe('');
  await page.close();
});
