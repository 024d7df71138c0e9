// A client killed mid-run costs only itself: the server keeps serving the others,
// the cell shows the failure, and no process is left behind. The clients are paced
// (--rate) so their scripts cannot end before the kill, however fast the machine.

import { childrenOfHarness, killAll, onlyOn, pipebench, waitFor } from './support/spawned';
import { measured, QUICK, readResults, tempOut } from './support/runs';

afterEach(killAll);

const linux = onlyOn('linux', "finds the harness's client processes by their command lines in /proc");

linux.describe('a killed client', () => {
  it('kills two clients mid-run; the others finish, the failures are reported, nothing is left running', async () => {
    const out = tempOut('kill');
    // 300 transactions at 100 a second: every script lasts at least 3 s.
    const run = pipebench(['run', ...QUICK, '--repeat', '1', '--strategy', 'thread-per-client,node-net', '--clients', '4', '--transactions', '300', '--rate', '100', '--out', out]);
    const harnessPid = run.child.pid!;
    await waitFor(() => childrenOfHarness(harnessPid, 'client').length === 4, 20000, () => 'the first cell never started its clients', run.finished);
    for (const pid of childrenOfHarness(harnessPid, 'client').slice(0, 2)) process.kill(pid, 'SIGKILL');
    const finished = await run.finished;
    expect(finished.code).toBe(1); // a cell had failed clients
    const results = readResults(out);
    expect(results.status).toBe('complete');
    expect(results.cells).toHaveLength(2); // the run went on to the next cell
    const [hit, next] = results.cells.map((cell) => measured(cell));
    expect(hit.errors.failedClients).toBe(2);
    const dead = hit.clientDetails.filter((c) => c.fatal !== null);
    expect(dead).toHaveLength(2);
    for (const client of dead) expect(client.fatal).toBe('client killed by SIGKILL without a report');
    // Their scripts never ran: 2 x 300 transactions missing.
    expect(hit.errors.missingTransactions).toBe(600);
    for (const survivor of hit.script!.clients.filter((c) => c.doneMs !== null)) expect(survivor.transactions).toBe(300);
    expect(hit.script!.clients.filter((c) => c.doneMs !== null)).toHaveLength(2);
    for (const survivor of hit.clientDetails.filter((c) => c.fatal === null)) expect(survivor.errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
    expect(next.errors.failedClients).toBe(0);
    expect(finished.stderr).toMatch(/0 cell\(s\) failed and 1 cell\(s\) had errors or failed trials/);
    expect(childrenOfHarness(harnessPid)).toEqual([]);
  });
});
