// The client transport reads a transaction's status and result in one call when
// both have arrived (strategies/posix/socket-transport.ts, win32/pipe-transport.ts).
// It must still take every answer apart exactly: answers that arrive whole are
// verified as before, and result bytes after a status that has none stop the
// client with a named error instead of being swallowed.

import * as path from 'node:path';
import { address, CLI, killAll, onlyOn, spawnTracked, SUPPORT, waitFor } from './support/spawned';

afterEach(killAll);

const guard = onlyOn('posix', 'the test server is a Unix-socket server');

guard.it('stops on result bytes after NOT_FOUND, naming them, and verifies the whole answers before it', async () => {
  const at = address('extra');
  const server = spawnTracked(process.execPath, [path.join(SUPPORT, 'extra-bytes-server.js'), at]);
  await waitFor(() => server.stdout().includes(`ready ${at}`), 30000, () => `the server did not start: ${server.stderr()}`, server.finished);
  // ADD, RETRIEVE (both answered whole and right), then DELETE: NOT_FOUND and 8 stray bytes.
  const client = spawnTracked(process.execPath, [CLI, 'client', '--address', at, '--warmup', '0', '--transactions', '3', '--json']);
  const finished = await client.finished;
  const report = JSON.parse(client.stdout());
  expect(finished.code).toBe(1);
  expect(report.fatal).toBe('server sent 8 result bytes after status 1, which has no result');
  expect(report.errors).toEqual({ unexpectedStatus: 0, mismatches: 0 });
});
