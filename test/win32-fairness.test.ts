// The Win32 overlapped strategy under Wine: fair by default. WaitForMultipleObjects
// reports only the lowest signalled index; the strategy serves every signalled
// instance per pass, so 20 clients released together progress together. Each
// client is its own Windows process printing when each of its transactions
// completed (test/support/win32-fairness-client.ts); Jain's index is computed
// here over what each had completed when the first one finished.
//
// Wine's pipes cost about 0.6 ms a round trip: few transactions per client.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, exitWithin, jsonResult, SUPPORT, waitFor, WineProcesses, WindowsProcess, wineForSuite } from './support/wine';

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

const setup = wineForSuite('win32-fairness');

(setup ? describe : describe.skip)('Win32 overlapped wait order under Wine', () => {
  const wine = new WineProcesses(setup!);
  beforeAll(() => wine.begin());
  afterAll(() => wine.end());

  async function startServer(address: string, extra: string[] = []): Promise<WindowsProcess> {
    const server = wine.windowsNode([CLI, 'serve', '--strategy', 'overlapped', '--address', address, ...extra], 'serve-overlapped');
    await waitFor(() => server.output().includes(`ready ${address}`), 30000, () => `overlapped not ready: ${server.output()}`);
    return server;
  }

  async function stopServer(server: WindowsProcess): Promise<void> {
    server.child.kill('SIGINT');
    expect(await exitWithin(server, 30000, 'overlapped after SIGINT')).toBe(0);
  }

  /** Starts the client processes, waits until every connection is open, releases them together, and collects their results. */
  async function runClients(address: string, processes: number, cycles: number, connections: number): Promise<ClientResult[]> {
    const release = path.join(wine.workDir, `release-${processes}x${connections}`);
    const clients = Array.from({ length: processes }, (_, i) => wine.windowsNode([CLIENT, address, String(cycles), release, String(connections)], `client-${i}`));
    await waitFor(
      () => clients.every((client) => client.output().includes('connected')),
      180000,
      () => `clients never all connected: ${clients.map((client) => client.output()).join(' | ')}`,
    );
    fs.writeFileSync(`${release}.tmp`, String(Date.now() + RELEASE_DELAY_MS));
    fs.renameSync(`${release}.tmp`, release);
    return Promise.all(clients.map((client, i) => jsonResult<ClientResult>(client, 180000, `client ${i}`)));
  }

  it('20 clients released together each get their share: Jain >= 0.9 over what each had done when the first finished', async () => {
    const address = wine.pipeName('fair');
    const server = await startServer(address);
    try {
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
    } finally {
      await stopServer(server);
    }
  }, 300000);

  it('128 clients at once (three wait groups of up to 63) are all served with zero errors', async () => {
    const address = wine.pipeName('groups');
    const server = await startServer(address);
    try {
      const results = await runClients(address, 8, 3, 16);
      for (const result of results) {
        expect(result.errors).toBe(0);
        expect(result.times).toHaveLength(16);
        for (const times of result.times) expect(times.every((t) => t >= result.startMs)).toBe(true);
      }
    } finally {
      await stopServer(server);
    }
  }, 300000);

  it('--wait-order lowest-first (the seed order) still serves everyone with zero errors', async () => {
    const address = wine.pipeName('lowest');
    const server = await startServer(address, ['--wait-order', 'lowest-first']);
    try {
      for (const result of await runClients(address, 4, 5, 1)) expect(result.errors).toBe(0);
    } finally {
      await stopServer(server);
    }
  }, 300000);
});
