// The Win32 overlapped strategy, run by the Windows node (natively on Windows, under
// Wine on Linux; test/win32-wine.test.ts says how): fair by default. WaitForMultipleObjects
// reports only the first signalled handle of its array; the strategy serves that one
// and starts the next search just after it, so every signalled instance gets a turn
// before any gets a second and 20 clients released together progress together. Each
// client is its own Windows process printing when each of its transactions
// completed (test/support/win32-fairness-client.ts); Jain's index is computed
// here over what each had completed when the first one finished.
//
// Wine's pipes cost about 0.6 ms a round trip: few transactions per client.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonResult, killAll, Server, startServer, SUPPORT, tempDir, waitFor, WindowsHost, windowsHost } from './support/spawned';

const CLIENT = path.join(SUPPORT, 'win32-fairness-client.js');
// Long enough for every client process to have seen the release file before the start time.
const RELEASE_DELAY_MS = 1500;

interface ClientResult {
  startMs: number;
  sawReleaseMs: number;
  errors: number;
  /** Per connection: Date.now() when each transaction completed. */
  times: number[][];
}

/** Jain's fairness index: (sum x)^2 / (n * sum x^2); 1 when all are equal. */
function jain(values: number[]): number {
  const sum = values.reduce((a, b) => a + b, 0);
  const squares = values.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}

const host = windowsHost();

(host ? describe : describe.skip)('Win32 overlapped wait order, run by the Windows node', () => {
  const windows = host as WindowsHost;
  let releases = '';
  beforeAll(() => (releases = tempDir('fairness')));
  afterEach(killAll); // the server and the clients of each test
  afterAll(() => fs.rmSync(releases, { recursive: true, force: true }));

  function serve(extra: string[] = []): Promise<Server> {
    return startServer('overlapped', { host: windows, args: extra });
  }

  /** Starts the client processes, waits until every connection is open, releases them together, and collects their results. */
  async function runClients(address: string, processes: number, cycles: number, connections: number): Promise<ClientResult[]> {
    const release = path.join(releases, `release-${processes}x${connections}`);
    const clients = Array.from({ length: processes }, (_, i) => windows.node([CLIENT, address, String(cycles), release, String(connections)], `client-${i}`));
    await waitFor(
      () => clients.every((client) => client.stdout().includes('connected')),
      180000,
      () => `clients never all connected: ${clients.map((client) => client.stdout()).join(' | ')}`,
    );
    fs.writeFileSync(`${release}.tmp`, String(Date.now() + RELEASE_DELAY_MS));
    fs.renameSync(`${release}.tmp`, release);
    return Promise.all(clients.map((client, i) => jsonResult<ClientResult>(client, 180000, `client ${i}`)));
  }

  it('20 clients released together each get their share: Jain >= 0.9 over what each had done when the first finished', async () => {
    const { address } = await serve();
    const cycles = 20;
    const results = await runClients(address, 20, cycles, 1);
    for (const result of results) {
      expect(result.errors).toBe(0);
      expect(result.times[0]).toHaveLength(cycles * 2);
    }
    const firstDone = Math.min(...results.map((result) => result.times[0][cycles * 2 - 1]));
    const done = results.map((result) => result.times[0].filter((t) => t <= firstDone).length);
    const index = jain(done);
    const lateStarts = results.filter((result) => result.sawReleaseMs > result.startMs).length;
    console.log(`win32-fairness: 20 clients, fair: done when the first finished ${JSON.stringify(done)}, Jain ${index.toFixed(3)}; clients that saw the release after the start time: ${lateStarts}`);
    expect(index).toBeGreaterThanOrEqual(0.9);
  }, 300000);

  it('128 clients at once (three wait groups of up to 63) are all served with zero errors', async () => {
    const { address } = await serve();
    const results = await runClients(address, 8, 3, 16);
    for (const result of results) {
      expect(result.errors).toBe(0);
      expect(result.times).toHaveLength(16);
      for (const times of result.times) expect(times.every((t) => t >= result.startMs)).toBe(true);
    }
  }, 300000);

  it('--wait-order lowest-first (the seed order) still serves everyone with zero errors', async () => {
    const { address } = await serve(['--wait-order', 'lowest-first']);
    for (const result of await runClients(address, 4, 5, 1)) expect(result.errors).toBe(0);
  }, 300000);
});
