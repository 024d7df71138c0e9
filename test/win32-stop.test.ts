// Stopping the Win32 strategies under load, and a serving thread that fails, run by
// the Windows node (natively on Windows, under Wine on Linux; test/win32-wine.test.ts
// says how). Each strategy is served INSIDE a helper process
// (test/support/win32-stop-cycles.ts), stopped while its clients run COUNT back to
// back, again and again, and that process's handle count is read after every stop:
// a pipe, event, port or thread handle left open shows as a count that grows.
//
// What only Windows can show: stop's CancelIoEx racing a thread's CloseHandle of
// the same session (Windows reuses a handle value at once). The strategies order
// the two (win32/cancel-guard.ts); here they must still stop cleanly, every time.

import * as path from 'node:path';
import { killAll, SUPPORT, WindowsHost, windowsHost, windowsJson } from './support/spawned';

const STOP_CYCLES = path.join(SUPPORT, 'win32-stop-cycles.js');
const CYCLES = 4;

interface Cycle {
  handles: number;
  stopError: string | null;
  lostBeforeStop: number;
}

const host = windowsHost();

(host ? describe : describe.skip)('Win32 stop under load, run by the Windows node', () => {
  const windows = host as WindowsHost;
  afterEach(killAll);

  function cycles(args: string[], what: string): Promise<{ cycles: Cycle[] }> {
    return windowsJson<{ cycles: Cycle[] }>(windows, [STOP_CYCLES, ...args], 'stop-cycles', 240000, what);
  }

  // sequential serves one client at a time: one connection; the others eight, each its own session.
  it.each([
    ['sequential', 1],
    ['thread-per-client', 8],
    ['overlapped', 8],
    ['completion-routines', 8],
    ['iocp', 8],
  ])(`%s: stopped under load (%i client connections) ${CYCLES} times, it holds after each stop the handles it held after the first`, async (strategy, connections) => {
    const seen = await cycles([strategy as string, String(CYCLES), String(connections)], `${strategy} stop cycles`);
    const first = seen.cycles[0].handles;
    expect(first).toBeGreaterThan(0);
    expect(seen.cycles).toEqual(Array.from({ length: CYCLES }, () => ({ handles: first, stopError: null, lostBeforeStop: 0 })));
  }, 300000);

  it('overlapped: a wait group that fails closes its own pipes and events, the other group serves on, stop reports the failure', async () => {
    // 70 clients: group 0 holds 63 instances, group 1 the other 7, and group 1 throws after 40 completions.
    const seen = await cycles(['overlapped', '3', '70', '1:40'], 'overlapped with a failing group');
    const first = seen.cycles[0].handles;
    expect(seen.cycles).toEqual([
      { handles: first, stopError: null, lostBeforeStop: 0 },
      { handles: first, stopError: 'injected fault (PIPEBENCH_TEST_FAIL_GROUP): group 1 after 40 completions', lostBeforeStop: 7 },
      { handles: first, stopError: null, lostBeforeStop: 0 },
    ]);
  }, 300000);
});
