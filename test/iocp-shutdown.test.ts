// iocp's fixed pool: `--threads` workers share one epoll, and SIGTERM while every
// worker is busy with sessions in flight still joins them all and exits 0.

import * as fs from 'node:fs';
import { Command, delay, destroyClients, int32s, killServers, RawClient, startServe, Status, threadCount, within } from './support/posix-server';

const describeLinux = process.platform === 'linux' ? describe : describe.skip;

afterEach(async () => {
  destroyClients();
  await killServers();
});

/** Runs ADD/DELETE pairs until the server goes away; returns how many pairs succeeded. */
async function hammer(client: RawClient, tag: number): Promise<number> {
  let pairs = 0;
  try {
    for (;;) {
      const [status, id] = await client.transact(int32s(Command.ADD, tag, pairs), 1);
      if (status !== Status.OK) throw new Error(`ADD status ${status}`);
      await client.transact(int32s(Command.DELETE, id), 2);
      pairs++;
    }
  } catch (error) {
    if (!/connection closed/.test((error as Error).message)) throw error;
  }
  return pairs;
}

describeLinux('iocp worker pool', () => {
  test('--threads sets the number of pool workers', async () => {
    const one = await startServe('iocp', ['--threads', '1']);
    const four = await startServe('iocp', ['--threads', '4']);
    // "ready" comes once every pool thread runs; Node's own threads may still be starting, so wait for the counts to settle.
    const difference = () => threadCount(four.pid) - threadCount(one.pid);
    for (let waited = 0; waited < 10_000 && difference() !== 3; waited += 50) await delay(50);
    expect(difference()).toBe(3);
  });

  test('SIGTERM with every worker busy and sessions mid-request: all joined, exit 0', async () => {
    const server = await startServe('iocp', ['--threads', '4']);
    const busy = await Promise.all(Array.from({ length: 30 }, () => RawClient.open(server.address)));
    const torn = await Promise.all(Array.from({ length: 10 }, () => RawClient.open(server.address)));
    await Promise.all(torn.map((client) => client.write(int32s(Command.ADD, 1)))); // half a request each
    const running = busy.map((client, i) => hammer(client, i));
    await delay(300);
    server.child.kill('SIGTERM');
    const exit = await within(server.exited, 15000, 'still running after 15 s');
    expect(exit).toBe(0);
    expect(fs.existsSync(server.address)).toBe(false);
    const pairs = await Promise.all(running);
    expect(pairs.reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // they were really in flight
    await Promise.all(torn.map((client) => client.closed));
  });
});
