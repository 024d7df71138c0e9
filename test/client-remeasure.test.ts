// A measured phase announced again (the harness re-measures a phase that drifted)
// starts every count afresh: the client's report holds the second phase's windows
// only, exactly the transactions its per-window progress counted in those windows.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedNowMs } from '../clients/clock';
import { defaultsOf, WORKLOAD_KNOBS } from '../contract/knobs';
import { ClientFleet, ClientPool } from '../harness/run/fleet';
import { killAll, startServer, tempDir } from './support/spawned';

let pool: ClientPool | null = null;
afterEach(async () => {
  pool?.close();
  await killAll();
});

const WINDOW_MS = 50;

it('a second "measure" discards the first phase: the report counts the windows of the second, as the progress did', async () => {
  const server = await startServer('node-net');
  const logs = tempDir('remeasure');
  pool = new ClientPool(
    (index) => ({ clientIndex: index, connectTimeoutMs: 10_000, workload: defaultsOf(WORKLOAD_KNOBS), measureWindows: 2 }),
    (index) => {
      const logPath = path.join(logs, `client-${index}.log`);
      return { fd: fs.openSync(logPath, 'a'), path: logPath };
    },
  );
  const fleet = new ClientFleet(2, pool, server.address);
  await fleet.allConnected();
  const goMs = sharedNowMs() + 50;
  fleet.broadcast({ type: 'go', atMs: goMs, windowMs: WINDOW_MS });
  // First phase: windows 4 and 5; announced again for windows 16 and 17 once the first is over.
  fleet.broadcast({ type: 'measure', startMs: goMs + 4 * WINDOW_MS, windows: 2 });
  await fleet.windowsReported(6);
  expect(sharedNowMs()).toBeLessThan(goMs + 16 * WINDOW_MS - 50); // the second phase is still ahead, announced in time
  fleet.broadcast({ type: 'measure', startMs: goMs + 16 * WINDOW_MS, windows: 2 });
  await fleet.windowsReported(18);
  const progress = fleet.liveWindowCounts().map((counts) => counts.slice(16, 18));
  fleet.broadcast({ type: 'stop' });
  await fleet.allDone();
  await fleet.collectReports();
  for (const index of [0, 1]) {
    const report = fleet.reports.get(index)!;
    expect(report.fatal).toBeNull();
    expect(progress[index].every((count) => count > 0)).toBe(true);
    expect(report.steady!.windowCounts).toEqual(progress[index]);
  }
  fleet.end(true);
});
