// A trial's figures from made-up client reports whose answers are known: what
// counts toward throughput, turnaround and fairness, and what a convoy costs.

import { clientDetails, costBetween, doneBy, scriptFigures, steadyFigures, TrialInputs, trialErrors } from '../harness/measure/trial-figures';
import { report } from './support/synthetic-reports';

function inputs(partial: Partial<TrialInputs>): TrialInputs {
  return { clients: 0, reports: new Map(), fatalities: new Map(), steady: null, script: null, serverCost: null, responsiveness: null, ...partial };
}

const phase = { startMs: 5000, windows: 4, windowMs: 250 };

describe('the measured phase', () => {
  it('counts only the transactions of its windows: throughput over the phase, per window, and per client', () => {
    const reports = new Map([
      [0, report({ clientIndex: 0, windowCounts: [100, 110, 90, 100], turnaroundNs: 40_000 })],
      [1, report({ clientIndex: 1, windowCounts: [100, 90, 110, 100], turnaroundNs: 40_000 })],
    ]);
    const steady = steadyFigures(inputs({ clients: 2, reports, steady: phase }))!;
    // 800 transactions in 4 x 250 ms = 1 s.
    expect(steady.transactions).toBe(800);
    expect(steady.throughputTps).toBe(800);
    expect(steady.windows.map((w) => w.throughputTps)).toEqual([800, 800, 800, 800]);
    expect(steady.perClient).toEqual([400, 400]);
    expect(steady.clientsServed).toBe(2);
    expect(steady.fairness).toBe(1);
    // Every turnaround was 40 us: p50 and p99 within the histogram's 3 significant digits.
    expect(steady.latency.p50Ns).toBeGreaterThanOrEqual(39_960);
    expect(steady.latency.p50Ns).toBeLessThanOrEqual(40_040);
    expect(steady.windows[0].p99Ns).toBeGreaterThanOrEqual(39_600); // window histograms: 2 digits
    expect(steady.windows[0].p99Ns).toBeLessThanOrEqual(40_400);
  });

  it('a server that serves one client of five: fairness 1/5, one client served', () => {
    const reports = new Map([0, 1, 2, 3, 4].map((i) => [i, report({ clientIndex: i, windowCounts: i === 2 ? [50, 50, 50, 50] : [0, 0, 0, 0] })]));
    const steady = steadyFigures(inputs({ clients: 5, reports, steady: phase }))!;
    expect(steady.fairness).toBe(1 / 5);
    expect(steady.clientsServed).toBe(1);
    expect(steady.perClient).toEqual([0, 0, 200, 0, 0]);
  });

  it('a client that never reported counts as having done nothing', () => {
    const reports = new Map([[0, report({ clientIndex: 0, windowCounts: [10, 10, 10, 10] })]]);
    const steady = steadyFigures(inputs({ clients: 2, reports, fatalities: new Map([[1, 'killed']]), steady: phase }))!;
    expect(steady.perClient).toEqual([40, 0]);
    expect(steady.fairness).toBe(0.5);
  });

  it("takes the server's cost between the phase's two edges, and the clients' CPU inside it", () => {
    const start = { cpuUserUs: 1000, cpuSystemUs: 5000, voluntaryContextSwitches: 10, involuntaryContextSwitches: 2 };
    const end = { cpuUserUs: 3000, cpuSystemUs: 9000, voluntaryContextSwitches: 110, involuntaryContextSwitches: 7 };
    expect(costBetween(start, end)).toEqual({ cpuUserUs: 2000, cpuSystemUs: 4000, voluntaryContextSwitches: 100, involuntaryContextSwitches: 5 });
    expect(costBetween({ ...start, voluntaryContextSwitches: null }, end).voluntaryContextSwitches).toBeNull();
    const reports = new Map([
      [0, report({ clientIndex: 0, windowCounts: [1, 1, 1, 1], measuredCpuUs: 700 })],
      [1, report({ clientIndex: 1, windowCounts: [1, 1, 1, 1], measuredCpuUs: 300 })],
    ]);
    const steady = steadyFigures(inputs({ clients: 2, reports, steady: phase, serverCost: { start, end } }))!;
    expect(steady.serverCost!.cpuUserUs + steady.serverCost!.cpuSystemUs).toBe(6000);
    expect(steady.clientCpuUs).toBe(1000);
  });

  it('is absent when no measured phase ran', () => {
    expect(steadyFigures(inputs({ clients: 1 }))).toBeNull();
  });
});

describe('the script', () => {
  const start = 10_000;
  const ends = (from: number, count: number, stepMs: number) => Array.from({ length: count }, (_, i) => from + (i + 1) * stepMs);

  it('a convoy: each client done only after the ones before it; its wait counts from the common start', () => {
    // sequential: 4 clients, 10 transactions of 1 ms each, served one after another.
    const reports = new Map([0, 1, 2, 3].map((i) => [i, report({ clientIndex: i, scriptEndsMs: ends(start + 10 * i, 10, 1) })]));
    const script = scriptFigures(inputs({ clients: 4, reports, script: { startMs: start, transactionsPerClient: 10 } }))!;
    expect(script.clients.map((c) => c.doneMs)).toEqual([10, 20, 30, 40]);
    expect(script.worstDoneMs).toBe(40);
    expect(script.meanDoneMs).toBe(25);
    expect(script.makespanMs).toBe(40);
    expect(script.transactions).toBe(40);
    expect(script.throughputTps).toBe(1000);
    // When the first client was done, the others had done nothing: Jain = 1/4.
    expect(script.fairness).toBe(0.25);
  });

  it('concurrent service: every client done together, fairness 1', () => {
    const reports = new Map([0, 1, 2, 3].map((i) => [i, report({ clientIndex: i, scriptEndsMs: ends(start, 10, 4) })]));
    const script = scriptFigures(inputs({ clients: 4, reports, script: { startMs: start, transactionsPerClient: 10 } }))!;
    expect(script.clients.map((c) => c.doneMs)).toEqual([40, 40, 40, 40]);
    expect(script.fairness).toBe(1);
  });

  it("counts a client's progress from its sampled end times", () => {
    const part = report({ clientIndex: 0, scriptEndsMs: [1, 2, 3, 4, 5, 6] }).script!;
    const sampled = { ...part, every: 2, endsMs: [2, 4, 6] };
    expect(doneBy(sampled, 0, 3.5)).toBe(2);
    expect(doneBy(sampled, 0, 4)).toBe(4);
    expect(doneBy(sampled, 0, 6)).toBe(6);
    expect(doneBy(sampled, 0, 0.5)).toBe(0);
  });

  it('a client that failed mid-script is not done, and its missing transactions are counted', () => {
    const reports = new Map([
      [0, report({ clientIndex: 0, scriptEndsMs: ends(start, 10, 1) })],
      [1, report({ clientIndex: 1, scriptEndsMs: ends(start, 4, 1), fatal: 'server closed the connection during read', errors: { unexpectedStatus: 1, mismatches: 2 } })],
    ]);
    const input = inputs({ clients: 3, reports, fatalities: new Map([[2, 'client killed by SIGKILL without a report']]), script: { startMs: start, transactionsPerClient: 10 } });
    const script = scriptFigures(input)!;
    expect(script.clients.map((c) => c.doneMs)).toEqual([10, null, null]);
    expect(trialErrors(input)).toEqual({ unexpectedStatus: 1, mismatches: 2, failedClients: 2, missingTransactions: 6 + 10 });
    expect(clientDetails(input).map((c) => c.fatal)).toEqual([null, 'server closed the connection during read', 'client killed by SIGKILL without a report']);
  });
});

describe('edges of a trial', () => {
  const start = 10_000;

  it("gives each client its CPU as user plus system time, and names a client with neither report nor fatality 'no report'", () => {
    // report(): cpu 1,000 µs user + 500 µs system.
    const input = inputs({ clients: 2, reports: new Map([[0, report({ clientIndex: 0, windowCounts: [1, 1, 1, 1] })]]), steady: phase });
    expect(clientDetails(input)).toEqual([
      { clientIndex: 0, transactions: 4, errors: { unexpectedStatus: 0, mismatches: 0 }, fatal: null, cpuUs: 1500 },
      { clientIndex: 1, transactions: 0, errors: { unexpectedStatus: 0, mismatches: 0 }, fatal: 'no report', cpuUs: 0 },
    ]);
  });

  it('a client whose report holds no measured phase counts nothing in it; turnaround from the send time when clients kept one', () => {
    const reports = new Map([
      [0, report({ clientIndex: 0, windowCounts: [5, 5, 5, 5], turnaroundNs: 30_000, fromSendNs: 50_000 })],
      [1, report({ clientIndex: 1, scriptEndsMs: [start + 1] })],
    ]);
    const steady = steadyFigures(inputs({ clients: 2, reports, steady: phase }))!;
    expect(steady.perClient).toEqual([20, 0]);
    expect(steady.windows.map((w) => w.throughputTps)).toEqual([20, 20, 20, 20]);
    expect(steady.latencyFromSend!.p50Ns).toBeGreaterThanOrEqual(49_950);
    expect(steady.latencyFromSend!.p50Ns).toBeLessThanOrEqual(50_050);
    expect(steadyFigures(inputs({ clients: 1, reports: new Map([[0, report({ clientIndex: 0, windowCounts: [1, 1, 1, 1] })]]), steady: phase }))!.latencyFromSend).toBeNull();
  });

  it('counts a script client with no script part as missing all its transactions', () => {
    const reports = new Map([[0, report({ clientIndex: 0, windowCounts: [1, 1, 1, 1] })]]);
    const input = inputs({ clients: 1, reports, script: { startMs: start, transactionsPerClient: 10 } });
    expect(trialErrors(input).missingTransactions).toBe(10);
    expect(scriptFigures(input)!.clients).toEqual([{ clientIndex: 0, transactions: 0, doneMs: null }]);
  });

  it('a client that finished its script but then failed is not done; the mean and worst completion count only the done', () => {
    const ends = (count: number) => Array.from({ length: count }, (_, i) => start + i + 1);
    const reports = new Map([
      [0, report({ clientIndex: 0, scriptEndsMs: ends(10) })],
      [1, report({ clientIndex: 1, scriptEndsMs: ends(10).map((t) => t + 10), fatal: 'server closed the connection during BYE' })],
    ]);
    const script = scriptFigures(inputs({ clients: 3, reports, script: { startMs: start, transactionsPerClient: 10 } }))!;
    expect(script.clients.map((c) => c.doneMs)).toEqual([10, null, null]);
    expect(script.meanDoneMs).toBe(10);
    expect(script.worstDoneMs).toBe(10);
    expect(script.makespanMs).toBe(20);
    expect(script.latencyFromSend).toBeNull();
  });

  it('a script no client reported has no makespan and no throughput', () => {
    const script = scriptFigures(inputs({ clients: 2, script: { startMs: start, transactionsPerClient: 10 } }))!;
    expect(script.makespanMs).toBe(0);
    expect(script.throughputTps).toBe(0);
    expect(script.transactions).toBe(0);
    expect(scriptFigures(inputs({ clients: 2 }))).toBeNull();
  });

  it("a client's progress counts from the script's start, and is exact once the client is done", () => {
    // 7 transactions, every 2nd end time kept: 102, 104, 106; the last ended at 107.
    const part = { ...report({ clientIndex: 0, scriptEndsMs: [101, 102, 103, 104, 105, 106, 107] }).script!, every: 2, endsMs: [102, 104, 106] };
    expect(doneBy(part, 100, 3.5)).toBe(2);
    expect(doneBy(part, 100, 6.5)).toBe(6);
    expect(doneBy(part, 100, 7)).toBe(7);
    expect(doneBy(part, 100, 50)).toBe(7);
  });
});
