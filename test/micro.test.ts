// `pipebench micro`: tinybench over the real transport for one strategy, a table on
// stdout, micro.json on disk, no server left behind.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MicroResults } from '../harness/commands/micro';
import { childrenOfHarness, killAll, pipebench } from './support/spawned';
import { tempOut } from './support/runs';

afterEach(killAll);

it('measures COUNT and ADD+DELETE round trips and writes micro.json', async () => {
  const out = tempOut('micro');
  const run = pipebench(['micro', '--strategy', 'node-net', '--iterations', '100', '--time-ms', '50', '--warmup-iterations', '10', '--out', out]);
  const harnessPid = run.child.pid!;
  const finished = await run.finished;
  expect(finished.code).toBe(0);
  expect(finished.stdout).toMatch(/node-net/);
  expect(finished.stdout).toMatch(/mean us\s+p50 us\s+p99 us\s+rme %/);
  const results = JSON.parse(fs.readFileSync(path.join(out, 'micro.json'), 'utf8')) as MicroResults;
  expect(results.tool).toMatch(/^tinybench 6\./);
  expect(results.tasks.map((t) => t.task)).toEqual(['COUNT', 'ADD+DELETE']);
  for (const task of results.tasks) {
    expect(task.strategy).toBe('node-net');
    expect(task.samples).toBeGreaterThanOrEqual(100);
    expect(task.meanNs).toBeGreaterThan(0);
    expect(task.p99Ns).toBeGreaterThanOrEqual(task.p50Ns);
    expect(task.maxNs).toBeGreaterThanOrEqual(task.p99Ns);
    expect(Number.isFinite(task.rmePercent)).toBe(true);
  }
  expect(childrenOfHarness(harnessPid)).toEqual([]);
});
