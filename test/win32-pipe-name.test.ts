// Taking a pipe name, run by the Windows node (natively on Windows, under Wine on
// Linux; test/win32-wine.test.ts says how): every Win32 strategy creates its first
// instance with FILE_FLAG_FIRST_PIPE_INSTANCE, so `pipebench serve` on a name
// another process holds (answering or not) fails in one line naming the pipe,
// serves nothing, and leaves that process's pipe alone. Every instance carries a
// descriptor granting the current user only (read back here as SDDL).
//
// Wine 8 ignores FILE_FLAG_FIRST_PIPE_INSTANCE (the create succeeds) and does not
// enforce pipe DACLs; the strategies refuse a name whose instance count shows
// another process, and the DACL is checked as stored, not as enforced. Wine also
// ignores a client's SECURITY_IDENTIFICATION: the level is checked as Windows
// grants it only on Windows.

import * as path from 'node:path';
import { CLI, exitOf, jsonResult, killAll, startServer, SUPPORT, waitFor, WindowsHost, windowsHost, windowsJson } from './support/spawned';

const STRATEGIES = ['sequential', 'thread-per-client', 'overlapped', 'completion-routines', 'iocp'];
const HOLDER = path.join(SUPPORT, 'win32-pipe-holder.js');
const TRANSPORT_CLIENT = path.join(SUPPORT, 'win32-transport-client.js');
/** SECURITY_IMPERSONATION_LEVEL of the client's token as its server sees it. */
const SecurityIdentification = 1;
const SecurityImpersonation = 2;

const host = windowsHost();

(host ? describe : describe.skip)('Win32 pipe names, run by the Windows node', () => {
  const windows = host as WindowsHost;
  afterEach(killAll);

  async function expectRefused(strategy: string, name: string): Promise<void> {
    const refused = windows.node([CLI, 'serve', '--strategy', strategy, '--address', name], `serve-${strategy}`);
    const { code, stdout } = await exitOf(refused, 60000, `${strategy} on a taken name`);
    const lines = stdout.trim().split('\n');
    expect({ code, lines }).toEqual({ code: 2, lines: [expect.stringContaining(`pipebench: address in use: another process already has a pipe named ${name} (`)] });
  }

  it.each(STRATEGIES)('%s refuses a name another process holds and never answers on, leaving that pipe alone', async (strategy) => {
    const name = windows.address(`held-${strategy}`);
    const holder = windows.node([HOLDER, 'hold', name], 'holder');
    await waitFor(() => holder.stdout().includes('holding'), 30000, () => `holder never held: ${holder.stdout()}`, holder.finished);
    await expectRefused(strategy, name);
    // The holder's instance is still there and still its own: a client reaches it.
    expect(await windowsJson(windows, [HOLDER, 'knock', name], 'knock', 30000, 'knock')).toEqual({ opened: true, code: 0 });
    await waitFor(() => holder.stdout().includes('connected'), 30000, () => `holder never saw the client: ${holder.stdout()}`, holder.finished);
    expect(holder.child.exitCode).toBeNull();
  });

  it.each(STRATEGIES)('%s: current-user-only DACL on the pipe, same-user clients served, a second server on the name refused', async (strategy) => {
    const server = await startServer(strategy, { host: windows, address: windows.address(`own-${strategy}`) });
    const seen = await windowsJson<{ dacl: string; sid: string; count: number[] }>(windows, [HOLDER, 'dacl', server.address], 'dacl', 30000, 'dacl client');
    expect(seen.sid).toMatch(/^S-1-5-/);
    // Full access for the user alone: GENERIC_ALL as Wine stores it, or the pipe's specific rights (FA) Windows maps it to.
    expect(seen.dacl).toMatch(new RegExp(`^D:P\\(A;;(GA|FA);;;${seen.sid}\\)$`));
    expect(seen.count).toEqual([0, 0, 0]); // COUNT: OK, 0 records; BYE: OK
    await expectRefused(strategy, server.address);
    expect(server.child.exitCode).toBeNull(); // the refused server left the first one serving
  });

  it("pipebench's client lets a server identify it, never act as it (CreateFileW with SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION)", async () => {
    const name = windows.address('impersonate');
    const server = windows.node([HOLDER, 'impersonate', name], 'impersonating server');
    await waitFor(() => server.stdout().includes('holding'), 30000, () => `server never listened: ${server.stdout()}`, server.finished);
    expect(await windowsJson(windows, [TRANSPORT_CLIENT, name, 'count'], 'client', 30000, 'client')).toEqual({ status: 0, count: 0 });
    const { level } = await jsonResult<{ level: number }>(server, 30000, 'impersonating server');
    // Wine 8 ignores the client's quality-of-service flags: its servers impersonate every client fully.
    expect(level).toBe(windows.underWine ? SecurityImpersonation : SecurityIdentification);
  });
});
