// The three Linux event-driven strategies (overlapped: poll, completion-routines:
// io_uring, iocp: an epoll pool) served by `pipebench serve` and driven from
// outside with raw Node sockets: protocol edge cases, many clients at once, an
// idle client, no leaked fds, clean shutdown.

import * as fs from 'node:fs';
import { Command, countRecords, delay, destroyClients, fdCount, int32s, killServers, RawClient, ServeProcess, startServe, Status } from './support/posix-server';

const STRATEGIES = ['overlapped', 'completion-routines', 'iocp'] as const;
const describeLinux = process.platform === 'linux' ? describe : describe.skip;

afterEach(async () => {
  destroyClients();
  await killServers();
});

/** ADD, RETRIEVE, DELETE cycles on one connection, checking every answer; returns the failures seen. */
async function cycles(client: RawClient, tag: number, rounds: number): Promise<string[]> {
  const failures: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const [addStatus, id] = await client.transact(int32s(Command.ADD, tag, i), 1);
    if (addStatus !== Status.OK) {
      failures.push(`ADD status ${addStatus}`);
      continue;
    }
    const retrieved = await client.transact(int32s(Command.RETRIEVE, id), 2);
    if (retrieved.join() !== [Status.OK, tag, i].join()) failures.push(`RETRIEVE ${id}: ${retrieved.join()}`);
    const deleted = await client.transact(int32s(Command.DELETE, id), 2);
    if (deleted.join() !== [Status.OK, tag, i].join()) failures.push(`DELETE ${id}: ${deleted.join()}`);
  }
  return failures;
}

/** The fd count once it has not changed for 200 ms (the server closes dropped connections asynchronously). */
async function settledFdCount(pid: number): Promise<number> {
  let count = fdCount(pid);
  for (let stable = 0; stable < 10; ) {
    await delay(20);
    const now = fdCount(pid);
    stable = now === count ? stable + 1 : 0;
    count = now;
  }
  return count;
}

describeLinux.each(STRATEGIES)('%s', (strategy) => {
  let server: ServeProcess;
  beforeEach(async () => {
    server = await startServe(strategy);
  });

  test('40 clients at once, with an idle one connected first, all served correctly', async () => {
    const idle = await RawClient.open(server.address);
    const clients = await Promise.all(Array.from({ length: 40 }, () => RawClient.open(server.address)));
    const failures = (await Promise.all(clients.map((client, i) => cycles(client, i, 25)))).flat();
    expect(failures).toEqual([]);
    expect(await countRecords(server.address)).toBe(0);
    // The idle client is still connected and still served once it speaks.
    expect(await idle.transact(int32s(Command.COUNT), 1)).toEqual([Status.OK, 0]);
    clients.forEach((client) => client.destroy());
    idle.destroy();
  });

  test('a request written one byte at a time', async () => {
    const client = await RawClient.open(server.address);
    const request = int32s(Command.ADD, 7, -9);
    for (const byte of request) {
      await client.write(Buffer.of(byte));
      await delay(2); // separate segments, so the server sees partial reads
    }
    const [status, id] = await client.readInts(2);
    expect(status).toBe(Status.OK);
    expect(await client.transact(int32s(Command.RETRIEVE, id), 2)).toEqual([Status.OK, 7, -9]);
    client.destroy();
  });

  test('pipelined requests in one write, then BYE closes after its status', async () => {
    const client = await RawClient.open(server.address);
    await client.write(Buffer.concat([int32s(Command.ADD, 1, 2), int32s(Command.ADD, 3, 4), int32s(Command.COUNT), int32s(Command.RETRIEVE, -1), int32s(Command.BYE)]));
    const [s1, id1, s2, id2, s3, count, s4, s5] = await client.readInts(8);
    expect([s1, s2, s3, s4, s5]).toEqual([Status.OK, Status.OK, Status.OK, Status.NOT_FOUND, Status.OK]);
    expect(id1).not.toBe(id2);
    expect(count).toBe(2);
    expect(await client.closedByServer()).toBe(true);
  });

  test('an unknown command answers BAD_COMMAND, then the server closes', async () => {
    const client = await RawClient.open(server.address);
    expect(await client.transact(int32s(99), 0)).toEqual([Status.BAD_COMMAND]);
    expect(await client.closedByServer()).toBe(true);
  });

  test('a client vanishing mid-transaction changes nothing', async () => {
    const before = await countRecords(server.address);
    const torn = await RawClient.open(server.address);
    await torn.write(Buffer.concat([int32s(Command.ADD, 5), Buffer.of(1, 2)])); // command and 6 of 8 argument bytes
    await delay(50);
    torn.destroy();
    await delay(50);
    expect(await countRecords(server.address)).toBe(before);
  });

  test('fd count stays flat across many connect/disconnect cycles', async () => {
    await countRecords(server.address); // warm-up: threads and lazily opened files exist from here on
    const baseline = await settledFdCount(server.pid);
    for (let round = 0; round < 10; round++) {
      const clients = await Promise.all(Array.from({ length: 20 }, () => RawClient.open(server.address)));
      await Promise.all(
        clients.map(async (client, i) => {
          await client.transact(int32s(Command.COUNT), 1);
          if (i % 3 === 0) {
            await client.write(int32s(Command.ADD)); // torn, then dropped
            client.destroy();
          } else if (i % 2 === 0) client.destroy();
          else {
            await client.transact(int32s(Command.BYE), 0);
            await client.closed;
          }
        }),
      );
    }
    // Closing is asynchronous on the server's side: wait for it to settle (a generous limit: the machine may be busy).
    for (let waited = 0; waited < 15_000 && fdCount(server.pid) !== baseline; waited += 20) await delay(20);
    expect(fdCount(server.pid)).toBe(baseline);
  });

  test('SIGTERM with clients connected: exit 0 and the socket file is gone', async () => {
    const idle = await RawClient.open(server.address);
    const busy = await RawClient.open(server.address);
    await busy.transact(int32s(Command.COUNT), 1);
    await busy.write(int32s(Command.ADD, 1)); // mid-request
    await delay(20);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(fs.existsSync(server.address)).toBe(false);
    await idle.closed; // the server closed its ends
    await busy.closed;
  });
});
