// --rate: clients send on a fixed schedule; turnaround from the scheduled start
// (coordinated omission corrected) is never below turnaround from the actual send.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResults } from '../harness/results';
import { killAll, pipebench } from './support/spawned';

afterEach(killAll);

async function run(extra: string[]): Promise<RunResults> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-open-')), 'out');
  const finished = await pipebench(['run', '--strategy', 'node-net', '--clients', '2', '--transactions', '200', '--idle-probe-ms', '0', '--out', out, ...extra]).finished;
  expect(finished.code).toBe(0);
  return JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
}

it('schedules sends and reports corrected >= uncorrected percentiles', async () => {
  const results = await run(['--rate', '400']);
  expect(results.parameters.loop).toBe('open');
  expect(results.parameters.ratePerClientTps).toBe(400);
  const cell = results.cells[0];
  if (cell.outcome !== 'measured') throw new Error(`cell failed: ${cell.reason}`);
  // 200 transactions at 400 per second: the last is scheduled 199 / 400 s after the first.
  for (const client of cell.clientDetails) expect(client.completionMs).toBeGreaterThanOrEqual((199 / 400) * 1000);
  // Never faster than the schedule allows (2 clients x 400 tps), whatever the machine.
  expect(cell.throughputTps).toBeLessThanOrEqual(800 * 1.02);
  const fromSend = cell.latencyFromSend!;
  expect(fromSend).not.toBeNull();
  for (const key of ['p50Ns', 'p90Ns', 'p99Ns', 'maxNs', 'meanNs'] as const) expect(cell.latency[key]).toBeGreaterThanOrEqual(fromSend[key]);
  expect(cell.warnings.some((w) => w.startsWith("Little's law"))).toBe(false);
});

it('a closed loop is labelled so and has one latency', async () => {
  const results = await run([]);
  expect(results.parameters.loop).toBe('closed');
  expect(results.parameters.ratePerClientTps).toBeNull();
  const cell = results.cells[0];
  if (cell.outcome !== 'measured') throw new Error(`cell failed: ${cell.reason}`);
  expect(cell.latencyFromSend).toBeNull();
});
