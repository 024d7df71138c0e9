// The Linux client transport: io_uring where the kernel allows (one io_uring_enter a
// transaction, strategies/posix/uring-transport.ts), read/write where it does not
// (a kernel without io_uring, faked by a preload). Both must take every answer apart
// the same way: answers whose result arrives after the status, result bytes after a
// status that has none, a reply cut short, and they must say which one the run used.

import * as path from 'node:path';
import { address, CLI, killAll, onlyOn, spawnTracked, SUPPORT, waitFor } from './support/spawned';

afterEach(killAll);

const linux = onlyOn('linux', "io_uring is Linux's");
const NO_URING = ['--require', path.join(SUPPORT, 'io-uring-enosys.js')];

async function serve(script: string, args: string[]): Promise<string> {
  const at = address(path.basename(script, '.js'));
  const server = spawnTracked(process.execPath, [path.join(SUPPORT, script), ...args, at]);
  await waitFor(() => server.stdout().includes(`ready ${at}`), 30000, () => `the server did not start: ${server.stderr()}`, server.finished);
  return at;
}

async function client(nodeFlags: readonly string[], at: string, transactions: number): Promise<{ code: number | null; report: { transactions: number; errors: object; fatal: string | null } }> {
  const spawned = spawnTracked(process.execPath, [...nodeFlags, CLI, 'client', '--address', at, '--warmup', '0', '--transactions', String(transactions), '--json']);
  const finished = await spawned.finished;
  return { code: finished.code, report: JSON.parse(spawned.stdout()) };
}

for (const [name, flags] of [
  ['io_uring', []],
  ['read/write', NO_URING],
] as const) {
  linux.describe(`the ${name} transport`, () => {
    test('verifies answers whose result arrives 2 ms after the status', async () => {
      const at = await serve('lying-server.js', ['split-answers']);
      const { code, report } = await client(flags, at, 90);
      expect(report).toMatchObject({ transactions: 90, errors: { unexpectedStatus: 0, mismatches: 0 }, fatal: null });
      expect(code).toBe(0);
    });

    test('stops on result bytes after NOT_FOUND, naming them', async () => {
      const at = await serve('extra-bytes-server.js', []);
      const { code, report } = await client(flags, at, 3);
      expect(report.fatal).toBe('server sent 8 result bytes after status 1, which has no result');
      expect(code).toBe(1);
    });

    test('stops on a reply cut short, naming the closed connection', async () => {
      const at = await serve('lying-server.js', ['short-reply']);
      const { code, report } = await client(flags, at, 90);
      expect(report.fatal).toBe('server closed the connection during read');
      expect(code).toBe(1);
    });
  });
}

linux.it('is io_uring here unless the kernel refuses it, and the platform says which, with the reason', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const say = (flags: readonly string[]) =>
    spawnSync(process.execPath, [...flags, '-e', `process.stdout.write(require(${JSON.stringify(path.join(SUPPORT, '..', '..', 'strategies', 'platform.js'))}).platform.clientTransport())`], { encoding: 'utf8' }).stdout;
  expect(say([])).toMatch(/^io_uring: one io_uring_enter a transaction/);
  expect(say(NO_URING)).toBe('read/write, two or three system calls a transaction (io_uring unavailable: io_uring_setup failed: ENOSYS (38))');
});
