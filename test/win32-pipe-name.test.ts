// Taking a pipe name under Wine: every Win32 strategy creates its first instance
// with FILE_FLAG_FIRST_PIPE_INSTANCE, so `pipebench serve` on a name another
// process holds (answering or not) fails in one line naming the pipe, serves
// nothing, and leaves that process's pipe alone. Every instance carries a
// descriptor granting the current user only (read back here as SDDL).
//
// Wine 8 ignores FILE_FLAG_FIRST_PIPE_INSTANCE (the create succeeds) and does not
// enforce pipe DACLs; the strategies refuse a name whose instance count shows
// another process, and the DACL is checked as stored, not as enforced.

import * as path from 'node:path';
import { CLI, exitWithin, jsonResult, SUPPORT, waitFor, WineProcesses, WindowsProcess, wineForSuite } from './support/wine';

const STRATEGIES = ['sequential', 'thread-per-client', 'overlapped', 'completion-routines', 'iocp'];
const HOLDER = path.join(SUPPORT, 'win32-pipe-holder.js');

const setup = wineForSuite('win32-pipe-name');

(setup ? describe : describe.skip)('Win32 pipe names under Wine', () => {
  const wine = new WineProcesses(setup!);
  beforeAll(() => wine.begin());
  afterAll(() => wine.end());

  function serve(strategy: string, address: string): WindowsProcess {
    return wine.windowsNode([CLI, 'serve', '--strategy', strategy, '--address', address], `serve-${strategy}`);
  }

  async function expectRefused(strategy: string, address: string): Promise<void> {
    const refused = serve(strategy, address);
    const code = await exitWithin(refused, 60000, `${strategy} on a taken name`);
    const lines = refused.output().trim().split('\n');
    expect({ code, lines }).toEqual({ code: 2, lines: [expect.stringContaining(`pipebench: address in use: another process already has a pipe named ${address} (`)] });
  }

  it.each(STRATEGIES)('%s refuses a name another process holds and never answers on, leaving that pipe alone', async (strategy) => {
    const address = wine.pipeName(`held-${strategy}`);
    const holder = wine.windowsNode([HOLDER, 'hold', address], 'holder');
    await waitFor(() => holder.output().includes('holding'), 30000, () => `holder never held: ${holder.output()}`);
    await expectRefused(strategy, address);
    // The holder's instance is still there and still its own: a client reaches it.
    expect(await jsonResult(wine.windowsNode([HOLDER, 'knock', address], 'knock'), 30000, 'knock')).toEqual({ opened: true, code: 0 });
    await waitFor(() => holder.output().includes('connected'), 30000, () => `holder never saw the client: ${holder.output()}`);
    expect(holder.child.exitCode).toBeNull();
    holder.child.kill('SIGKILL');
    await exitWithin(holder, 30000, 'killed holder');
  });

  it.each(STRATEGIES)('%s: current-user-only DACL on the pipe, same-user clients served, a second server on the name refused', async (strategy) => {
    const address = wine.pipeName(`own-${strategy}`);
    const server = serve(strategy, address);
    await waitFor(() => server.output().includes(`ready ${address}`), 30000, () => `${strategy} not ready: ${server.output()}`);
    const seen = await jsonResult<{ dacl: string; sid: string; count: number[] }>(wine.windowsNode([HOLDER, 'dacl', address], 'dacl'), 30000, 'dacl client');
    expect(seen.sid).toMatch(/^S-1-5-/);
    expect(seen.dacl).toBe(`D:P(A;;GA;;;${seen.sid})`);
    expect(seen.count).toEqual([0, 0, 0]); // COUNT: OK, 0 records; BYE: OK
    await expectRefused(strategy, address);
    server.child.kill('SIGINT');
    expect(await exitWithin(server, 30000, `${strategy} after SIGINT`)).toBe(0);
  });
});
