// Server load sampled from outside: peak threads follow the strategy (one thread per
// client shows up), resident memory is read, and client CPU is totalled per cell.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MeasuredCell, RunResults } from '../harness/results';
import { parseStatus } from '../strategies/posix/process-stats';
import { killAll, pipebench } from './support/spawned';

afterEach(killAll);

it('parses /proc/<pid>/status', () => {
  const text = 'Name:\tnode\nVmHWM:\t  81234 kB\nVmRSS:\t  80000 kB\nThreads:\t13\n';
  expect(parseStatus(text)).toEqual({ threads: 13, hwmKb: 81234, rssKb: 80000 });
  expect(() => parseStatus('Name:\tnode\n')).toThrow(/no Threads line/);
});

it('a thread per client shows in peak threads; client CPU is totalled', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-load-')), 'out');
  const finished = await pipebench(['run', '--strategy', 'thread-per-client', '--clients', '1,4', '--transactions', '600', '--idle-probe-ms', '0', '--out', out]).finished;
  expect(finished.code).toBe(0);
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  const [one, four] = results.cells as MeasuredCell[];
  expect(one.outcome).toBe('measured');
  expect(four.outcome).toBe('measured');
  for (const cell of [one, four]) {
    expect(cell.serverLoad!.sampling).toMatch(/\/proc\/\d+\/status/);
    expect(cell.serverLoad!.samples).toBeGreaterThanOrEqual(2);
    expect(cell.serverLoad!.peakRssKb).toBeGreaterThan(1000);
    const scriptCpu = cell.clientDetails.reduce((sum, c) => sum + c.scriptCpuUserUs + c.scriptCpuSystemUs, 0);
    expect(cell.clientLoad.cpuUserUs + cell.clientLoad.cpuSystemUs).toBe(scriptCpu);
    expect(scriptCpu).toBeGreaterThan(0);
  }
  // Every client is connected (its thread alive) from before "go" to its BYE.
  expect(four.serverLoad!.peakThreads!).toBeGreaterThanOrEqual(one.serverLoad!.peakThreads! + 3);
});
