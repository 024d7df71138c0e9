// The responsiveness probe: sane lateness figures from a real probe process, and
// the process is gone afterwards, whether it finished, was killed, or ran under a run.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureIdle, Probe } from '../harness/processes/probe';
import { sharedNowMs } from '../clients/clock';
import type { Responsiveness } from '../harness/schema/results';
import { measured, QUICK, readResults, tempOut } from './support/runs';
import { childrenOfHarness, killAll, onlyOn, pipebench, spawnTracked, tempDir, waitFor } from './support/spawned';

afterEach(killAll);

const probes: Probe[] = [];
afterEach(() => {
  for (const probe of probes.splice(0)) probe.kill();
});

function log(): { fd: number; path: string } {
  const file = path.join(tempDir('probe'), 'probe.log');
  return { fd: fs.openSync(file, 'a'), path: file };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch {
    return false;
  }
}


/**
 * How long the counted sleeps lasted in all: each one sleepMs plus its lateness.
 * They follow one another, so when they all began and ended inside a window they
 * fit in it, on any machine: a slow one sleeps fewer, later-waking sleeps. A window
 * read at the wrong edge holds sleeps from outside it, and they no longer fit.
 */
function sleptMs(measured: Responsiveness): number {
  return measured.samples * (measured.sleepMs + measured.meanLatenessNs / 1e6);
}

/** A window's length, plus what the figures' rounding may add: the histogram's mean (3 significant digits) and 1 µs a sleep. */
function fits(windowMs: number, measured: Responsiveness): number {
  return windowMs * 1.001 + measured.samples * 0.001;
}

it('measures how late 1 ms sleeps wake inside its window, then exits', async () => {
  const probe = await Probe.spawn(log(), 20000);
  probes.push(probe);
  // "ready" means the sleeping thread runs: a window starting now is measured from its start.
  const fromMs = sharedNowMs();
  probe.record(fromMs, fromMs + 400);
  await waitFor(() => sharedNowMs() > fromMs + 450, 5000, () => 'the clock did not move');
  const measured = await probe.finish(20000);
  expect(measured.sleepMs).toBe(1);
  // Only sleeps that began and ended inside the 400 ms window count.
  expect(measured.samples).toBeGreaterThan(0);
  expect(sleptMs(measured)).toBeLessThanOrEqual(fits(400, measured));
  expect(measured.p50LatenessNs).toBeGreaterThan(0);
  expect(measured.p99LatenessNs).toBeGreaterThanOrEqual(measured.p50LatenessNs);
  expect(measured.maxLatenessNs).toBeGreaterThanOrEqual(measured.p99LatenessNs);
  expect(measured.meanLatenessNs).toBeLessThanOrEqual(measured.maxLatenessNs);
  expect(probe.child.process.exitCode).toBe(0);
});

it('counts nothing outside its window', async () => {
  const probe = await Probe.spawn(log(), 20000);
  probes.push(probe);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect((await probe.finish(20000)).samples).toBe(0);
});

it('kill() ends a probe that is still sleeping', async () => {
  const probe = await Probe.spawn(log(), 20000);
  probes.push(probe);
  probe.record(sharedNowMs(), sharedNowMs() + 10_000);
  probe.kill();
  expect(await probe.child.exited).toEqual({ code: null, signal: 'SIGKILL' });
});

it('measureIdle leaves no probe behind', async () => {
  const idle = await measureIdle(log(), 200, 20000);
  expect(idle.responsiveness.samples).toBeGreaterThan(0);
  expect(sleptMs(idle.responsiveness)).toBeLessThanOrEqual(fits(200, idle.responsiveness));
  expect(idle.busyCpuShare).toBeGreaterThanOrEqual(0);
  expect(idle.busyCpuShare).toBeLessThanOrEqual(1);
  expect(childrenOfHarness(process.pid)).toEqual([]); // the probes are the only processes this file forks as a harness
});

onlyOn('linux', "finds the run's probe processes by their command lines in /proc").it('a run probes the idle machine and every cell, and reaps each probe', async () => {
  const out = tempOut('probe-run');
  const quick = QUICK.filter((flag, i) => !['--measure-windows', '--idle-probe-ms'].includes(flag) && !['--measure-windows', '--idle-probe-ms'].includes(QUICK[i - 1]));
  const run = pipebench(['run', ...quick, '--repeat', '1', '--measure-windows', '6', '--strategy', 'node-net', '--clients', '1', '--store-latency-us', '100', '--idle-probe-ms', '300', '--out', out]);
  const seen = new Set<number>();
  const watch = setInterval(() => childrenOfHarness(run.child.pid!, 'probe').forEach((pid) => seen.add(pid)), 20);
  const finished = await run.finished.finally(() => clearInterval(watch));
  expect(finished.code).toBe(0);
  const results = readResults(out);
  expect(results.idleResponsiveness!.samples).toBeGreaterThan(0);
  expect(sleptMs(results.idleResponsiveness!)).toBeLessThanOrEqual(fits(300, results.idleResponsiveness!));
  // The measured phase lasts 6 x 50 ms: the sleeps counted in it fit in it.
  const responsiveness = measured(results.cells[0]).steady!.responsiveness!;
  expect(responsiveness.samples).toBeGreaterThan(0);
  expect(sleptMs(responsiveness)).toBeLessThanOrEqual(fits(6 * 50, responsiveness));
  expect(responsiveness.maxLatenessNs).toBeGreaterThanOrEqual(responsiveness.p50LatenessNs);
  expect(seen.size).toBeGreaterThanOrEqual(1);
  await waitFor(() => [...seen].every((pid) => !alive(pid)), 5000, () => `probes still alive: ${[...seen].filter(alive).join(', ')}`);
});

onlyOn('linux', "finds the run's probe processes by their command lines in /proc").it(
  'a machine kept busy reads busy in each of 3 idle probes: the run warns once, from the last, each probe with its own log, and reaps them all',
  async () => {
    // One busy loop per core: every probe sees the CPUs in use.
    const burners = os.cpus().map(() => spawnTracked(process.execPath, ['-e', "process.stdout.write('burning\\n'); for (;;) {}"]));
    await waitFor(() => burners.every((b) => b.stdout().includes('burning')), 10_000, () => 'the busy loops did not start');
    const out = tempOut('probe-busy');
    const quick = QUICK.filter((flag, i) => flag !== '--idle-probe-ms' && QUICK[i - 1] !== '--idle-probe-ms');
    const run = pipebench(['run', ...quick, '--repeat', '1', '--strategy', 'node-net', '--clients', '1', '--idle-probe-ms', '300', '--out', out]);
    const seen = new Set<number>();
    const watch = setInterval(() => childrenOfHarness(run.child.pid!, 'probe').forEach((pid) => seen.add(pid)), 20);
    let finished;
    try {
      // Once the third probe has reported, the loops end, so the cell runs on a quiet machine.
      await waitFor(() => (run.stderr().match(/idle machine:/g) ?? []).length >= 3, 60_000, () => `the probes did not report: ${run.stderr()}`, run.finished);
      burners.forEach((b) => b.child.kill('SIGKILL'));
      finished = await run.finished;
    } finally {
      clearInterval(watch);
    }
    expect(finished.code).toBe(0);
    expect(finished.stderr.match(/busy, probing again/g)).toHaveLength(2);
    const busy = readResults(out).warnings.filter((w) => w.kind === 'busy-machine');
    expect(busy).toHaveLength(1);
    expect(busy[0]).toMatchObject({ kind: 'busy-machine', probes: 3, cores: os.cpus().length });
    for (const name of ['probe-idle.log', 'probe-idle-2.log', 'probe-idle-3.log']) expect(fs.existsSync(path.join(out, 'logs', name))).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    await waitFor(() => [...seen].every((pid) => !alive(pid)), 5000, () => `probes still alive: ${[...seen].filter(alive).join(', ')}`);
  },
);
