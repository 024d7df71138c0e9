// An outside conformance client, written from shared/PROTOCOL.md alone (raw
// stream connections over Node's net, no project client code), run against every
// strategy this platform offers through `pipebench serve`: Unix sockets on Linux,
// named pipes on Windows (the Win32 strategies, natively).

import * as fs from 'node:fs';
import { availableStrategies } from '../strategies/catalog';
import { killAll, onlyOn, RawClient, Server, startServer } from './support/spawned';

const ADD = 1, DELETE = 2, RETRIEVE = 3, COUNT = 4, BYE = 5;
const OK = 0, NOT_FOUND = 1, FULL = 2, BAD_COMMAND = 3;
const WAIT_GROUP = 64; // WaitForMultipleObjects' limit: more sessions than one wait can hold

function int32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeInt32LE(v, i * 4));
  return b;
}

async function transact(c: RawClient, request: Buffer, resultBytes: number): Promise<number[]> {
  await c.write(request);
  const status = (await c.read(4)).readInt32LE(0);
  if (status !== OK) return [status];
  const result = await c.read(resultBytes);
  return [status, ...Array.from({ length: resultBytes / 4 }, (_, i) => result.readInt32LE(i * 4))];
}

async function count(address: string): Promise<number> {
  const c = await RawClient.open(address);
  const [status, n] = await transact(c, int32s(COUNT), 4);
  expect(status).toBe(OK);
  await c.write(int32s(BYE));
  await c.read(4);
  c.destroy();
  return n;
}

const strategies = availableStrategies();
const signals = onlyOn('posix', "a clean stop is asked with a signal, and Windows' kill() is TerminateProcess");
afterEach(killAll);

describe.each(strategies)('%s conforms to PROTOCOL.md', (strategy) => {
  let server: Server;
  let address: string;
  const concurrent = strategy !== 'sequential';
  // The strategies that wait on many sessions from one thread (thread-per-client would start a worker each).
  const multiplexed = concurrent && strategy !== 'thread-per-client';

  beforeEach(async () => {
    server = await startServer(strategy, { args: ['--capacity', '64'] });
    address = server.address;
  });

  it('ADD, RETRIEVE, DELETE and COUNT round-trip; ids are non-negative', async () => {
    const c = await RawClient.open(address);
    const [s1, id] = await transact(c, int32s(ADD, 123, -456), 4);
    expect(s1).toBe(OK);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(await transact(c, int32s(RETRIEVE, id), 8)).toEqual([OK, 123, -456]);
    expect(await transact(c, int32s(COUNT), 4)).toEqual([OK, 1]);
    expect(await transact(c, int32s(DELETE, id), 8)).toEqual([OK, 123, -456]);
    expect(await transact(c, int32s(RETRIEVE, id), 8)).toEqual([NOT_FOUND]);
    expect(await transact(c, int32s(DELETE, id), 8)).toEqual([NOT_FOUND]);
    for (const bad of [-1, -2147483648, 64, 2147483647, 7]) expect(await transact(c, int32s(RETRIEVE, bad), 8)).toEqual([NOT_FOUND]);
    expect(await transact(c, int32s(COUNT), 4)).toEqual([OK, 0]);
    await c.write(int32s(BYE));
    expect((await c.read(4)).readInt32LE(0)).toBe(OK);
    expect(await c.closedByServer()).toBe(true);
  });

  it('FULL at capacity adds nothing', async () => {
    const c = await RawClient.open(address);
    const ids: number[] = [];
    for (let i = 0; i < 64; i++) {
      const [s, id] = await transact(c, int32s(ADD, i, i), 4);
      expect(s).toBe(OK);
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(64);
    expect(await transact(c, int32s(ADD, 99, 99), 4)).toEqual([FULL]);
    expect(await transact(c, int32s(COUNT), 4)).toEqual([OK, 64]);
    for (const id of ids) await transact(c, int32s(DELETE, id), 8);
    expect(await transact(c, int32s(COUNT), 4)).toEqual([OK, 0]);
    c.destroy();
  });

  it.each([0, 6, -7])('unknown command %i: BAD_COMMAND, then the server closes', async (code) => {
    const c = await RawClient.open(address);
    await c.write(int32s(code, 1, 2));
    expect((await c.read(4)).readInt32LE(0)).toBe(BAD_COMMAND);
    expect(await c.closedByServer()).toBe(true);
    expect(await count(address)).toBe(0);
  });

  it('pipelined requests in one write, and requests split one byte per write', async () => {
    const c = await RawClient.open(address);
    await c.write(Buffer.concat([int32s(ADD, 1, 2), int32s(ADD, 3, 4), int32s(COUNT)]));
    const replies = await c.read(4 + 4 + 4 + 4 + 4 + 4);
    expect([0, 2, 4].map((i) => replies.readInt32LE(i * 4))).toEqual([OK, OK, OK]);
    expect(replies.readInt32LE(20)).toBe(2);
    const [a, b] = [replies.readInt32LE(4), replies.readInt32LE(12)];
    const split = Buffer.concat([int32s(DELETE, a), int32s(DELETE, b)]);
    for (const byte of split) {
      await c.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    const deleted = await c.read(24);
    expect(Array.from({ length: 6 }, (_, i) => deleted.readInt32LE(i * 4))).toEqual([OK, 1, 2, OK, 3, 4]);
    await c.write(Buffer.concat([int32s(BYE), int32s(COUNT)]));
    expect((await c.read(4)).readInt32LE(0)).toBe(OK);
    expect(await c.closedByServer()).toBe(true);
  });

  it('a torn transaction (the client leaves mid-argument) changes nothing', async () => {
    const c = await RawClient.open(address);
    await c.write(int32s(ADD, 5).subarray(0, 6));
    c.destroy();
    expect(await count(address)).toBe(0);
  });

  it('serves many clients; ' + (concurrent ? 'at once, with an idle client holding up nobody' : 'one after another'), async () => {
    const idle = concurrent ? await RawClient.open(address) : null;
    const clients = concurrent ? 40 : 5;
    const connections = await Promise.all(Array.from({ length: concurrent ? clients : 0 }, () => RawClient.open(address)));
    const work = async (c: RawClient, i: number) => {
      for (let k = 0; k < 5; k++) {
        const [s, id] = await transact(c, int32s(ADD, i, k), 4);
        expect(s).toBe(OK);
        expect(await transact(c, int32s(DELETE, id), 8)).toEqual([OK, i, k]);
      }
      await c.write(int32s(BYE));
      await c.read(4);
      c.destroy();
    };
    if (concurrent) await Promise.all(connections.map(work));
    else for (let i = 0; i < clients; i++) await work(await RawClient.open(address), i);
    idle?.destroy();
    expect(await count(address)).toBe(0);
  });

  if (multiplexed) {
    it(`serves ${WAIT_GROUP + 6} sessions at once (more than one wait of ${WAIT_GROUP} handles)`, async () => {
      const connections = await Promise.all(Array.from({ length: WAIT_GROUP + 6 }, () => RawClient.open(address)));
      const counts = await Promise.all(connections.map((c) => transact(c, int32s(COUNT), 4)));
      expect(counts).toEqual(connections.map(() => [OK, 0]));
      for (const c of connections) {
        await c.write(int32s(BYE));
        expect((await c.read(4)).readInt32LE(0)).toBe(OK);
      }
      expect(await Promise.all(connections.map((c) => c.closedByServer()))).toEqual(connections.map(() => true));
    });
  }

  signals.it('SIGTERM stops it cleanly: exit 0, socket file removed', async () => {
    server.child.kill('SIGTERM');
    const { code, signal, stderr } = await server.finished;
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(fs.existsSync(address)).toBe(false);
  });
});
