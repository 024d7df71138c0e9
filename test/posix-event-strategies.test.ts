// The three event-driven strategies (on Linux overlapped: poll, completion-routines:
// io_uring, iocp: an epoll pool; on Windows their Win32 namesakes) served by
// `pipebench serve` and driven from outside with raw connections over Node's net:
// protocol edge cases, many clients at once, an idle client, no leaked descriptors
// (handles on Windows), clean shutdown.

import * as fs from 'node:fs';
import { Command, countRecords, handlesOf, int32s, killAll, onlyOn, RawClient, Server, settled, startServer, Status, waitFor } from './support/spawned';

const STRATEGIES = ['overlapped', 'completion-routines', 'iocp'] as const;
const signals = onlyOn('posix', "a clean stop is asked with a signal, and Windows' kill() is TerminateProcess");

afterEach(killAll);

/** A pause between the pieces of a request, so the server sees them as separate reads. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

describe.each(STRATEGIES)('%s', (strategy) => {
  let server: Server;
  beforeEach(async () => {
    server = await startServer(strategy);
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
      await pause(2); // separate segments, so the server sees partial reads
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
    await pause(50); // the server reads the torn request before the client leaves
    torn.destroy();
    expect(await countRecords(server.address)).toBe(before);
  });

  test('descriptor (handle) count stays flat across many connect/disconnect cycles', async () => {
    // 20 clients at once, each leaving in one of three ways: a torn request, a drop, BYE.
    const round = async () => {
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
    };
    // Warm-up: threads and lazily opened files exist from here on, and a server that keeps
    // an instance per client it has served at once (Win32 overlapped: a pipe and an event
    // each, 59 handles before the first round and 97 after it under Wine) has grown its pool.
    await round();
    const baseline = await settled(() => handlesOf(server.pid), 200);
    for (let i = 0; i < 10; i++) await round();
    // Closing is asynchronous on the server's side: wait for it to settle (a generous limit: the machine may be busy).
    await waitFor(() => handlesOf(server.pid) === baseline, 30_000, () => `${handlesOf(server.pid)} descriptors, ${baseline} before`);
  });

  signals.it('SIGTERM with clients connected: exit 0 and the socket file is gone', async () => {
    const idle = await RawClient.open(server.address);
    const busy = await RawClient.open(server.address);
    await busy.transact(int32s(Command.COUNT), 1);
    await busy.write(int32s(Command.ADD, 1)); // mid-request
    await pause(20); // the server reads the half request first
    server.child.kill('SIGTERM');
    expect((await server.finished).code).toBe(0);
    expect(fs.existsSync(server.address)).toBe(false);
    await idle.closed; // the server closed its ends
    await busy.closed;
  });
});
