// The Linux overlapped strategy waits with poll() and, after each wait, services
// EVERY descriptor poll reported ready (one transaction each), not only the first:
// with level-triggered poll a loop that served one per pass would lose nothing but
// would keep serving a client that always has a request waiting, and starve the
// others. Made deterministic by pausing the server (SIGSTOP) while N clients
// connect and each pipelines K ADDs: when it resumes, every request is already
// waiting. The store hands out ids 0, 1, 2... in the order it executes ADDs, so
// the ids show the server's order: pass r must give one id in [rN, (r+1)N) to
// every client. A one-per-pass loop would give one client ids 0..K-1 instead.

import * as fs from 'node:fs';
import { killAll, onlyOn, RawClient, startServer, waitFor } from './support/spawned';

const ADD = 1;
const OK = 0;
const CLIENTS = 12;
const ADDS_PER_CLIENT = 25;

const linux = onlyOn('linux', "pauses the server with SIGSTOP and reads its threads' states in /proc (the Win32 order: win32-fairness)");

/** True when every thread of the process is stopped (state T in /proc/PID/task/TID/stat). */
function stopped(pid: number): boolean {
  return fs.readdirSync(`/proc/${pid}/task`).every((tid) => / [tT] /.test(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').replace(/^.*\)/, '')));
}

linux.describe('posix overlapped: every ready descriptor is serviced in each pass of poll()', () => {
  afterEach(killAll);

  it(`${CLIENTS} clients with ${ADDS_PER_CLIENT} ADDs each already waiting are served round-robin, one transaction per client per pass`, async () => {
    const server = await startServer('overlapped');
    const { address, pid } = server;
    const clients: RawClient[] = [];
    process.kill(pid, 'SIGSTOP');
    try {
      await waitFor(() => stopped(pid), 10000, () => 'server never stopped');
      // connect() completes from the listen backlog while the server is stopped; the bytes wait in its socket buffers.
      for (let i = 0; i < CLIENTS; i++) clients.push(await RawClient.open(address));
      const request = (client: number) => {
        const bytes = Buffer.alloc(ADDS_PER_CLIENT * 12);
        for (let k = 0; k < ADDS_PER_CLIENT; k++) bytes.writeInt32LE(ADD, k * 12), bytes.writeInt32LE(client, k * 12 + 4), bytes.writeInt32LE(k, k * 12 + 8);
        return bytes;
      };
      await Promise.all(clients.map((client, i) => client.write(request(i))));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const ids = await Promise.all(
      clients.map(async (client) => {
        const replies = await client.read(ADDS_PER_CLIENT * 8);
        return Array.from({ length: ADDS_PER_CLIENT }, (_, k) => {
          expect(replies.readInt32LE(k * 8)).toBe(OK);
          return replies.readInt32LE(k * 8 + 4);
        });
      }),
    );
    // Pass r: the r-th ADD of every client, and nothing else.
    for (let r = 0; r < ADDS_PER_CLIENT; r++) {
      const pass = ids.map((own) => own[r]).sort((a, b) => a - b);
      expect({ pass: r, ids: pass }).toEqual({ pass: r, ids: Array.from({ length: CLIENTS }, (_, i) => r * CLIENTS + i) });
    }
    clients.forEach((client) => client.destroy());
  });
});
