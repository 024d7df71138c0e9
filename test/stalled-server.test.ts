// A server that stops answering (SIGSTOP) is noticed within the cell timeout: the
// cell fails with the reason, every process is reaped, and --bail stops the run.

import { childrenOfHarness, killAll, onlyOn, pipebench, waitFor } from './support/spawned';
import { QUICK, readResults, tempOut } from './support/runs';

afterEach(killAll);

const linux = onlyOn('linux', "freezes the harness's server with SIGSTOP, found by its command line in /proc");

linux.describe('a stalled or crashed server', () => {
  function serverOf(harnessPid: number): number | undefined {
    return childrenOfHarness(harnessPid, 'server')[0];
  }

  it.each([false, true])('a frozen server fails its cell within the timeout (--bail %s)', async (bail) => {
    const out = tempOut('stall');
    const args = ['run', ...QUICK, '--repeat', '1', '--warmup-max-ms', '1000', '--strategy', 'thread-per-client,node-net', '--clients', '2', '--transactions', '2000000', '--cell-timeout-ms', '3000', '--ready-timeout-ms', '3000', '--out', out];
    const run = pipebench(bail ? [...args, '--bail'] : args);
    const harnessPid = run.child.pid!;
    await waitFor(() => childrenOfHarness(harnessPid).length >= 3, 30000, () => 'the cell never started', run.finished);
    const server = serverOf(harnessPid)!;
    process.kill(server, 'SIGSTOP');
    // The next cell would run 2,000,000 transactions per client: stop it too once it starts, unless bailing.
    const stopNext = setInterval(() => {
      const next = serverOf(harnessPid);
      if (next && next !== server) process.kill(next, 'SIGSTOP');
    }, 50);
    const finished = await run.finished.finally(() => clearInterval(stopNext));
    expect(finished.code).toBe(1);
    const results = readResults(out);
    const [trial] = results.cells[0].trials;
    expect(results.cells[0].summary).toBeNull();
    if (trial.outcome !== 'failed') throw new Error('the frozen cell was not marked failed');
    expect(trial.reason).toMatch(/clients still running after 3000 ms/);
    expect(results.status).toBe(bail ? 'bailed' : 'complete');
    expect(results.cells).toHaveLength(bail ? 1 : 2);
    expect(childrenOfHarness(harnessPid)).toEqual([]);
  });

  it('a server that crashes mid-cell fails its cell with its last log lines, and the run goes on', async () => {
    const out = tempOut('crash');
    const run = pipebench(['run', ...QUICK, '--repeat', '1', '--strategy', 'iocp,node-net', '--clients', '2', '--transactions', '300000', '--out', out]);
    const harnessPid = run.child.pid!;
    await waitFor(() => childrenOfHarness(harnessPid).length >= 3, 30000, () => 'the cell never started', run.finished);
    const crashed = serverOf(harnessPid)!;
    process.kill(crashed, 'SIGKILL');
    // Crash the second cell's server too, so the test stays short.
    const stopNext = setInterval(() => {
      const next = serverOf(harnessPid);
      if (next && next !== crashed) process.kill(next, 'SIGKILL');
    }, 50);
    const finished = await run.finished.finally(() => clearInterval(stopNext));
    expect(finished.code).toBe(1);
    const results = readResults(out);
    expect(results.status).toBe('complete');
    expect(results.cells).toHaveLength(2);
    const [trial] = results.cells[0].trials;
    if (trial.outcome !== 'failed') throw new Error('the crashed cell was not marked failed');
    expect(trial.reason).toMatch(/server killed by SIGKILL during the trial/);
    expect(trial.serverLog.join('\n')).toContain('ready ');
    expect(childrenOfHarness(harnessPid)).toEqual([]);
  });
});
