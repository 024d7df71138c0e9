// A cell's summary at its edges: the probe's lateness merged across trials, the
// open-loop note, figures that cannot be computed, one launch, the timeline's tie,
// and no warning for a wide interval.

import { summarizeCells } from '../harness/measure/summarize';
import { cellOf, PARAMETERS, trial } from './support/synthetic-trials';

const CORES = 2;

it("merges the probe's lateness over the trials: samples summed, p50/p99/mean averaged, max the largest", () => {
  const probed = (n: number, throughputTps: number, lateness: { p50: number; p99: number; max: number; mean: number; samples: number }) => {
    const t = trial({ trial: n, throughputTps });
    t.steady!.responsiveness = { sleepMs: 1, samples: lateness.samples, p50LatenessNs: lateness.p50, p99LatenessNs: lateness.p99, maxLatenessNs: lateness.max, meanLatenessNs: lateness.mean };
    return t;
  };
  const [cell] = summarizeCells(
    [cellOf('a', 1, [probed(1, 700, { p50: 1000, p99: 3_000_000, max: 9_000_000, mean: 2000, samples: 10 }), probed(2, 1300, { p50: 3000, p99: 5_000_000, max: 7_000_000, mean: 4000, samples: 30 })])],
    PARAMETERS,
    CORES,
  );
  expect(cell.summary!.steady!.responsiveness).toEqual({ sleepMs: 1, samples: 40, p50LatenessNs: 2000, p99LatenessNs: 4_000_000, maxLatenessNs: 9_000_000, meanLatenessNs: 3000 });
  // Trials 700 and 1300 tx/s: a wide interval, and no warning (the load during a cell is never evidence).
  expect(cell.summary!.warnings).toEqual([]);
  // Without a probe in any trial there is no responsiveness.
  const [plain] = summarizeCells([cellOf('a', 1, [trial({ trial: 1, throughputTps: 1000 }), trial({ trial: 2, throughputTps: 1000 })])], PARAMETERS, CORES);
  expect(plain.summary!.steady!.responsiveness).toBeNull();
});

it('warns about no wide interval, in the steady phase or the script', () => {
  const [p50] = summarizeCells([cellOf('a', 1, [10_000, 20_000, 30_000].map((p50Ns, i) => trial({ trial: i + 1, throughputTps: 1000, p50Ns })))], PARAMETERS, CORES);
  expect(p50.summary!.warnings).toEqual([]);
  const scriptOnly = [20, 40, 60].map((ms, i) => ({ ...trial({ trial: i + 1, throughputTps: 1000, worstDoneMs: ms }), steady: null }));
  const [makespan] = summarizeCells([cellOf('s', 1, scriptOnly)], PARAMETERS, CORES);
  expect(makespan.summary!.warnings).toEqual([]);
});

it('notes an open loop with its rate per client', () => {
  const openLoop = { ...PARAMETERS, workload: { ...PARAMETERS.workload, ratePerClientTps: 250 } };
  const [cell] = summarizeCells([cellOf('a', 1, [trial({ trial: 1, throughputTps: 1000 }), trial({ trial: 2, throughputTps: 1000 })])], openLoop, CORES);
  expect(cell.summary!.observations).toEqual([{ kind: 'open-loop', ratePerClientTps: 250 }]);
  const [closed] = summarizeCells([cellOf('a', 1, [trial({ trial: 1, throughputTps: 1000 }), trial({ trial: 2, throughputTps: 1000 })])], PARAMETERS, CORES);
  expect(closed.summary!.observations).toEqual([]);
});

it('has no CPU per transaction for a phase with no transaction, and leaves out a figure that is not finite', () => {
  const idle = (n: number) => {
    const t = trial({ trial: n, throughputTps: 0, serverCpuUs: 5000 });
    t.steady!.transactions = 0;
    return t;
  };
  const [cell] = summarizeCells([cellOf('a', 1, [idle(1), idle(2)])], PARAMETERS, CORES);
  expect(cell.summary!.steady!.serverCpuUsPerTransaction).toBeNull();
  expect(cell.summary!.steady!.contextSwitchesPerTransaction).toBeNull();
  const [finite] = summarizeCells([cellOf('a', 1, [trial({ trial: 1, throughputTps: 1000 }), trial({ trial: 2, throughputTps: Infinity }), trial({ trial: 3, throughputTps: 1010 })])], PARAMETERS, CORES);
  expect(finite.summary!.steady!.throughputTps.samples).toEqual([1000, 1010]);
});

it('one launch has no interval, whatever its windows or its peers: its windows are not independent launches', () => {
  const windows = (n: number, tps: number[]) => {
    const t = trial({ trial: n, throughputTps: 1000 });
    t.steady!.windows = tps.map((throughputTps) => ({ throughputTps, p50Ns: 20_000, p99Ns: 60_000 }));
    return t;
  };
  const [alone] = summarizeCells([cellOf('a', 1, [windows(1, [990, 1010, 1000])])], PARAMETERS, CORES);
  expect(alone.summary!.steady!.throughputTps).toMatchObject({ method: 'none', samples: [1000], low: 1000, high: 1000 });
  const [, withPeers] = summarizeCells([cellOf('b', 1, [1, 2, 3].map((n) => trial({ trial: n, throughputTps: 1000 + n }))), cellOf('a', 1, [windows(1, [990, 1010, 1000])])], PARAMETERS, CORES);
  expect(withPeers.summary!.steady!.throughputTps).toMatchObject({ method: 'none', samples: [1000] });
  const [scriptOnly] = summarizeCells([cellOf('s', 1, [{ ...trial({ trial: 1, throughputTps: 1000, worstDoneMs: 30 }), steady: null }])], PARAMETERS, CORES);
  expect(scriptOnly.summary!.steady).toBeNull();
  expect(scriptOnly.summary!.script!.worstDoneMs.samples).toEqual([30]);
});

it('counts the most clients any trial served, and keeps the first of two trials equally near the middle for the timeline', () => {
  const served = (n: number, clientsServed: number, worstDoneMs: number) => trial({ trial: n, throughputTps: 1000, clients: 4, clientsServed, worstDoneMs });
  const [cell] = summarizeCells([cellOf('a', 4, [served(1, 3, 10), served(2, 4, 30)])], PARAMETERS, CORES);
  expect(cell.summary!.steady!.clientsServed).toBe(4);
  // Worst clients 10 and 30 ms: both 10 ms from the middle, 20.
  expect(cell.summary!.script!.timelineTrial).toBe(1);
});
