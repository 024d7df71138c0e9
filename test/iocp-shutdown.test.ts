// iocp's fixed pool: `--threads` workers (on one epoll on Linux, one completion port
// on Windows), and SIGTERM while every worker is busy with sessions in flight still
// joins them all and exits 0.

import * as fs from 'node:fs';
import { Command, exitOf, int32s, killAll, onlyOn, RawClient, startServer, Status, threadsOf, waitFor } from './support/spawned';

const signals = onlyOn('posix', "a clean stop is asked with a signal, and Windows' kill() is TerminateProcess");

afterEach(killAll);

/** Runs ADD/DELETE pairs until the server goes away, counting them in done[tag]. */
async function hammer(client: RawClient, tag: number, done: number[]): Promise<void> {
  try {
    for (;;) {
      const [status, id] = await client.transact(int32s(Command.ADD, tag, done[tag]), 1);
      if (status !== Status.OK) throw new Error(`ADD status ${status}`);
      await client.transact(int32s(Command.DELETE, id), 2);
      done[tag]++;
    }
  } catch (error) {
    if (!/connection closed/.test((error as Error).message)) throw error;
  }
}

describe('iocp worker pool', () => {
  test('--threads sets the number of pool workers', async () => {
    const one = await startServer('iocp', { args: ['--threads', '1'] });
    const four = await startServer('iocp', { args: ['--threads', '4'] });
    // "ready" comes once every pool thread runs; Node's own threads may still be starting, so wait for the counts to settle.
    const difference = () => threadsOf(four.pid) - threadsOf(one.pid);
    await waitFor(() => difference() === 3, 30_000, () => `4 workers against 1: ${difference()} more threads, not 3`);
  });

  signals.it('SIGTERM with every worker busy and sessions mid-request: all joined, exit 0', async () => {
    const server = await startServer('iocp', { args: ['--threads', '4'] });
    const busy = await Promise.all(Array.from({ length: 30 }, () => RawClient.open(server.address)));
    const torn = await Promise.all(Array.from({ length: 10 }, () => RawClient.open(server.address)));
    await Promise.all(torn.map((client) => client.write(int32s(Command.ADD, 1)))); // half a request each
    const done = busy.map(() => 0);
    const running = busy.map((client, i) => hammer(client, i, done));
    // Every client in flight: each has had a pair answered.
    await waitFor(() => done.every((pairs) => pairs > 0), 30_000, () => `pairs done: ${done.join(', ')}`);
    server.child.kill('SIGTERM');
    expect((await exitOf(server, 15000, 'iocp after SIGTERM')).code).toBe(0);
    expect(fs.existsSync(server.address)).toBe(false);
    await Promise.all(running);
    await Promise.all(torn.map((client) => client.closed));
  });
});
