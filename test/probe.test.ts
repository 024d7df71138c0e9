// The responsiveness probe: sane lateness figures from a real probe process, and
// the process is gone afterwards, whether it finished, was killed, or ran under a run.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureIdle, Probe } from '../harness/probe';
import type { RunResults } from '../harness/results';
import { childrenOfHarness, killAll, pipebench, waitFor } from './support/spawned';

afterEach(killAll);

const probes: Probe[] = [];
afterEach(() => {
  for (const probe of probes.splice(0)) probe.kill();
});

function log(): { fd: number; path: string } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-probe-')), 'probe.log');
  return { fd: fs.openSync(file, 'a'), path: file };
}

function alive(pid: number): boolean {
  try {
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return false;
  }
}


it('measures how late 1 ms sleeps wake, then exits', async () => {
  const probe = await Probe.spawn(log(), 20000);
  probes.push(probe);
  probe.record();
  await new Promise((resolve) => setTimeout(resolve, 400));
  const measured = await probe.finish(20000);
  expect(measured.sleepMs).toBe(1);
  // 400 ms of 1 ms sleeps: even a busy machine wakes the probe more than 20 times.
  expect(measured.samples).toBeGreaterThan(20);
  expect(measured.samples).toBeLessThan(400);
  expect(measured.p50LatenessNs).toBeGreaterThan(0);
  expect(measured.p99LatenessNs).toBeGreaterThanOrEqual(measured.p50LatenessNs);
  expect(measured.maxLatenessNs).toBeGreaterThanOrEqual(measured.p99LatenessNs);
  expect(measured.meanLatenessNs).toBeLessThanOrEqual(measured.maxLatenessNs);
  expect(probe.child.process.exitCode).toBe(0);
});

it('counts nothing before record()', async () => {
  const probe = await Probe.spawn(log(), 20000);
  probes.push(probe);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect((await probe.finish(20000)).samples).toBe(0);
});

it('kill() ends a probe that is still sleeping', async () => {
  const probe = await Probe.spawn(log(), 20000);
  probes.push(probe);
  probe.record();
  probe.kill();
  expect(await probe.child.exited).toEqual({ code: null, signal: 'SIGKILL' });
});

it('measureIdle leaves no probe behind', async () => {
  const idle = await measureIdle(log(), 200, 20000);
  expect(idle.samples).toBeGreaterThan(10);
  expect(childrenOfHarness(process.pid, 'probe')).toEqual([]);
});

it('a run probes the idle machine and every cell, and reaps each probe', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-probe-run-')), 'out');
  const run = pipebench(['run', '--strategy', 'node-net', '--clients', '1', '--transactions', '3000', '--store-latency-us', '100', '--idle-probe-ms', '300', '--out', out]);
  const seen = new Set<number>();
  const watch = setInterval(() => childrenOfHarness(run.child.pid!, 'probe').forEach((pid) => seen.add(pid)), 20);
  const finished = await run.finished.finally(() => clearInterval(watch));
  expect(finished.code).toBe(0);
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  expect(results.idleResponsiveness!.samples).toBeGreaterThan(10);
  const cell = results.cells[0];
  if (cell.outcome !== 'measured') throw new Error(`cell failed: ${cell.reason}`);
  // 3,000 transactions of at least 100 us each: the probe wakes many times meanwhile.
  expect(cell.responsiveness!.samples).toBeGreaterThan(10);
  expect(cell.responsiveness!.maxLatenessNs).toBeGreaterThanOrEqual(cell.responsiveness!.p50LatenessNs);
  expect(seen.size).toBeGreaterThanOrEqual(1);
  await waitFor(() => [...seen].every((pid) => !alive(pid)), 5000, () => `probes still alive: ${[...seen].filter(alive).join(', ')}`);
});
