// --cpu-us and --store-latency-us reach the server: CPU per transaction and
// turnaround rise by at least what was asked (behaviour, not timing: both are floors).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MeasuredCell, RunResults } from '../harness/results';
import { killAll, pipebench } from './support/spawned';

afterEach(killAll);

async function runCell(extra: string[], transactions = 300): Promise<MeasuredCell> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-knob-')), 'out');
  const run = await pipebench(['run', '--strategy', 'sequential', '--clients', '1', '--transactions', String(transactions), '--warmup', '0', '--idle-probe-ms', '0', '--out', out, ...extra]).finished;
  expect(run.code).toBe(0);
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  const cell = results.cells[0];
  if (cell.outcome !== 'measured') throw new Error(`cell failed: ${cell.reason}`);
  return cell;
}

it('--cpu-us 3000 costs the server at least half that in CPU per transaction; none costs far less', async () => {
  const burning = await runCell(['--cpu-us', '3000']);
  const idle = await runCell(['--cpu-us', '0']);
  // burnCpu does a fixed, calibrated amount of work: about 3 ms of CPU however often it is preempted.
  expect(burning.serverLoad!.cpuUsPerTransaction).toBeGreaterThanOrEqual(1500);
  expect(idle.serverLoad!.cpuUsPerTransaction).toBeLessThan(1500);
  expect(burning.serverLoad!.cpuUserUs).toBeGreaterThan(idle.serverLoad!.cpuUserUs);
});

it('--store-latency-us 2000 makes every transaction take at least 2 ms', async () => {
  const slow = await runCell(['--store-latency-us', '2000'], 30);
  expect(slow.latency.minNs).toBeGreaterThanOrEqual(2_000_000);
});
