// Warnings on synthetic numbers: Little's law against the clients actually in
// flight, clients saturating the CPU, and a machine busy before the run.

import { busyMachineWarning, clientBoundWarning, littlesLawWarning, warningText } from '../harness/measure/warnings';

describe("Little's law", () => {
  it('is quiet when mean turnaround is (clients in flight) / throughput', () => {
    // 10 clients at 50,000 tps: 200 us each.
    expect(littlesLawWarning(10, 50_000, 200_000)).toBeNull();
    expect(littlesLawWarning(10, 50_000, 235_000)).toBeNull(); // 17.5% off
    // sequential: 20 clients connected but one served at 50,000 tps: 20 us, not 400 us.
    expect(littlesLawWarning(1, 50_000, 20_000)).toBeNull();
  });

  it('warns beyond 20%, with both numbers in its text', () => {
    const warning = littlesLawWarning(5, 23_157, 21_500)!;
    expect(warning).toEqual({ kind: 'littles-law', expectedNs: (5 / 23_157) * 1e9, measuredNs: 21_500 });
    expect(warningText(warning)).toBe("Little's law: expected mean turnaround 215.9 µs (clients served / throughput), measured 21.5 µs: the clients spent time outside their transactions");
    expect(littlesLawWarning(10, 50_000, 250_000)).not.toBeNull(); // 25% off
  });

  it('says nothing without a measurement', () => {
    expect(littlesLawWarning(5, 0, 1000)).toBeNull();
    expect(littlesLawWarning(5, 1000, 0)).toBeNull();
    expect(littlesLawWarning(0, 1000, 1000)).toBeNull();
  });
});

it('clients above 80% of the machine are the bottleneck', () => {
  expect(clientBoundWarning(0.8, 2)).toBeNull();
  expect(warningText(clientBoundWarning(0.93, 2)!)).toBe(
    "the clients used 93% of the machine's 2 cores in the measured phase (more than 80%): the clients, not the server, may have set the pace",
  );
});

it('a machine is busy before the run when its load or its idle probe says so', () => {
  expect(busyMachineWarning(0.9, 2, 0.3)).toBeNull();
  expect(busyMachineWarning(1.2, 2, 0.3)).toEqual({ kind: 'busy-machine', loadAverage: 1.2, cores: 2, idleProbeP99Ms: 0.3 });
  expect(busyMachineWarning(0.1, 2, 2.5)).not.toBeNull();
  expect(busyMachineWarning(0.1, 2, null)).toBeNull();
});
