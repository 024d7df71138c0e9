// bench:clients' arithmetic (harness/measure/client-cost.ts) on made-up
// measurements whose answers are worked out by hand in the comments.

import {
  clientTargets,
  failuresText,
  nativeLoad,
  nativeWindow,
  pairedRatios,
  parseNativeClientLine,
  referenceTable,
  Sample,
  serversTable,
  spread,
} from '../harness/measure/bench-clients';

function sample(round: number, clients: number, server: string, load: 'native' | 'pipebench', tps: number, clientCpu: number | null, serverCpu: number | null, errors = 0): Sample {
  const problem = errors ? 'pipebench: 1 cell(s) failed' : null;
  return { round, clients, server, load, throughputTps: tps, clientCpuUsPerTx: clientCpu, serverCpuUsPerTx: serverCpu, errors, problem };
}

describe("ref-load's line", () => {
  it('reads the six figures it prints', () => {
    expect(parseNativeClientLine('35165 21.1 65.2 2.23 13.33 0\n')).toEqual({ throughputTps: 35165, p50Us: 21.1, p99Us: 65.2, cpuUserUsPerTx: 2.23, cpuSystemUsPerTx: 13.33, errors: 0 });
  });

  it('refuses anything else, quoting it', () => {
    expect(() => parseNativeClientLine('ref-load: cannot connect to /tmp/x.sock')).toThrow('ref-load printed "ref-load: cannot connect to /tmp/x.sock", not six numbers');
  });

  it('adds the clients of one load: their rates summed, CPU per transaction averaged, errors summed', () => {
    const lines = [parseNativeClientLine('1000 20 60 2 18 0'), parseNativeClientLine('1500 20 60 3 21 2')];
    // 1000 + 1500 tx/s; CPU (2 + 18 + 3 + 21) / 2 = 22 us a transaction.
    expect(nativeLoad(lines)).toEqual({ throughputTps: 2500, clientCpuUsPerTx: 22, errors: 2 });
  });
});

describe('figures over the rounds', () => {
  it('median, least and most', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(spread([])).toBeNull();
  });

  const samples = [
    sample(1, 20, 'c-reference', 'native', 36000, 20, 10),
    sample(1, 20, 'c-reference', 'pipebench', 27000, 30, 11),
    sample(2, 20, 'c-reference', 'native', 30000, 25, 10),
    sample(2, 20, 'c-reference', 'pipebench', 30000, 25, 11),
    sample(3, 20, 'c-reference', 'native', 34000, 20, 10),
    sample(3, 20, 'c-reference', 'pipebench', 17000, 40, 11, 3),
    sample(1, 1, 'c-reference', 'native', 30000, 16, 20),
    sample(1, 1, 'c-reference', 'pipebench', 25000, 20, 22),
    sample(1, 20, 'iocp', 'native', 31000, 21, 25),
  ];

  it('pairs pipebench with native round by round, leaving out a round with errors', () => {
    // Round 1: 27000 / 36000 = 0.75; round 2: 1; round 3 had errors on the pipebench side.
    expect(pairedRatios(samples, 'c-reference', 20, 'throughputTps')).toEqual([0.75, 1]);
    // Round 1: 30 / 20 = 1.5; round 2: 25 / 25 = 1.
    expect(pairedRatios(samples, 'c-reference', 20, 'clientCpuUsPerTx')).toEqual([1.5, 1]);
  });

  it("holds the client to issue 21's targets on the median ratio", () => {
    const targets = clientTargets(samples, [1, 20]);
    // 1 client: 20 / 16 = 1.25 (met, the bound included); 20 clients: median of 1.5 and 1 = 1.25 (met);
    // throughput at 20: median of 0.75 and 1 = 0.875 < 0.9 (missed).
    expect(targets.map((t) => [t.ratios?.median, t.met])).toEqual([
      [1.25, true],
      [1.25, true],
      [0.875, false],
    ]);
  });

  it('shows a sample with errors, and leaves it out of the tables', () => {
    expect(failuresText(samples)).toEqual(['round 3: c-reference with 20 pipebench client(s): 3 error(s) (pipebench: 1 cell(s) failed); left out of the figures']);
    const table = referenceTable(samples, [20]);
    // pipebench at 20 clients: rounds 1 and 2 only: throughput 27.0k and 30.0k, median 28.5k.
    expect(table).toContain('28.5k (27.0k–30.0k)');
    expect(table).toContain('0.88x (0.75–1.00)');
  });

  it('lists every server driven by native clients, each figure at each client count', () => {
    const table = serversTable(samples, [20]).split('\n');
    expect(table[0]).toMatch(/^server\s+20 cl\. tx\/s\s+20 cl\. server CPU us\/tx$/);
    // The C server: 36000, 30000, 34000 tx/s -> 34.0k (30.0k–36.0k); server CPU 10 every round.
    expect(table[2]).toMatch(/^c-reference\s+34\.0k \(30\.0k–36\.0k\)\s+10\.0 \(10\.0–10\.0\)$/);
    expect(table[3]).toMatch(/^iocp\s+31\.0k\s+25\.0$/);
  });
});

describe('a native load over a common window', () => {
  const reading = (atMs: number, clientBytes: number[], clientCpuUs: number[], serverCpuUs: number) => ({ atMs, clientBytes, clientCpuUs, serverCpuUs });

  it('counts the requests the clients wrote in it, 28 bytes a cycle of three transactions', () => {
    // Two clients write 28,000 and 14,000 bytes in 2 s: 1,000 + 500 cycles = 4,500 transactions, 2,250 tx/s.
    // Their CPU: (50,000 - 10,000) + (31,000 - 1,000) = 70,000 us over 4,500 = 15.56 us; the server's 45,000 us = 10 us.
    const figures = nativeWindow(reading(1000, [100, 40], [10_000, 1_000], 5_000), reading(3000, [28_100, 14_040], [50_000, 31_000], 50_000));
    expect(figures.transactions).toBe(4500);
    expect(figures.throughputTps).toBe(2250);
    expect(figures.clientCpuUsPerTx).toBeCloseTo(70_000 / 4500, 10);
    expect(figures.serverCpuUsPerTx).toBe(10);
  });

  it('refuses a window with nothing sent, no length, or readings of different loads', () => {
    expect(() => nativeWindow(reading(0, [28], [0], 0), reading(1000, [28], [5], 0))).toThrow('no native client sent a request in the window');
    expect(() => nativeWindow(reading(1000, [0], [0], 0), reading(1000, [28], [5], 0))).toThrow('the window lasted 0 ms');
    expect(() => nativeWindow(reading(0, [0, 0], [0, 0], 0), reading(1000, [28], [5], 0))).toThrow('2 clients read before the window, 1 after');
  });
});
