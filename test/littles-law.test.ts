// Warnings on synthetic numbers: Little's law against the clients actually in
// flight, clients saturating the CPU, and a machine busy before the run.

import { busyMachineWarning, clientBoundWarning, cpusSharedObservation, littlesLawWarning, warningText } from '../harness/measure/warnings';

describe("Little's law", () => {
  it('is quiet when mean turnaround is (clients in flight) / throughput', () => {
    // 10 clients at 50,000 tps: 200 us each.
    expect(littlesLawWarning(10, 50_000, 200_000)).toBeNull();
    expect(littlesLawWarning(10, 50_000, 235_000)).toBeNull(); // 17.5% off
    expect(littlesLawWarning(1, 1_000_000, 1200)).toBeNull(); // exactly 20% off: still within
    expect(littlesLawWarning(1, 1_000_000, 800)).toBeNull();
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

describe('clients saturating the CPUs, from the measured shares', () => {
  it('is when the clients alone used 75% of the machine', () => {
    expect(clientBoundWarning(0.8, 0.15, 2)).toEqual({ kind: 'client-bound', clientShare: 0.8, serverShare: 0.15, cores: 2 });
    expect(clientBoundWarning(0.75, 0.2, 2)).toEqual({ kind: 'client-bound', clientShare: 0.75, serverShare: 0.2, cores: 2 }); // at the limit
    expect(clientBoundWarning(0.8, null, 2)).toEqual({ kind: 'client-bound', clientShare: 0.8, serverShare: null, cores: 2 });
  });
  it('is not when clients and server saturated the CPUs together: that is an observation', () => {
    // The project machine's 20 clients against completion-routines (2026-12-04): 71% and 16%.
    expect(clientBoundWarning(0.71, 0.16, 2)).toBeNull();
    expect(cpusSharedObservation(0.71, 0.16, 2)).toEqual({ kind: 'cpus-shared', clientShare: 0.71, serverShare: 0.16, cores: 2 });
    expect(cpusSharedObservation(0.5, 0.25, 2)).toEqual({ kind: 'cpus-shared', clientShare: 0.5, serverShare: 0.25, cores: 2 }); // 0.75 together: at the limit
    expect(cpusSharedObservation(0.4, 0.45, 2)).toEqual({ kind: 'cpus-shared', clientShare: 0.4, serverShare: 0.45, cores: 2 });
  });
  it('is neither when the CPUs had room', () => {
    expect(clientBoundWarning(0.6, 0.1, 2)).toBeNull();
    expect(cpusSharedObservation(0.6, 0.1, 2)).toBeNull();
    expect(cpusSharedObservation(0.7, null, 2)).toBeNull();
  });
  it('never both: clients saturating alone is the warning only', () => {
    expect(cpusSharedObservation(0.8, 0.15, 2)).toBeNull();
  });
});

describe('a machine busy before the run', () => {
  const quiet = { busyCpuShare: 0.05, idleProbeP99Ms: 0.3, loadAverage: 0.1, cores: 2 };

  it('is told by the CPUs in use during the idle probe, not by the load average', () => {
    expect(busyMachineWarning(quiet)).toBeNull();
    expect(busyMachineWarning({ ...quiet, busyCpuShare: 0.25 })).toBeNull(); // at the limit
    expect(busyMachineWarning({ ...quiet, busyCpuShare: 0.4 })).toEqual({ kind: 'busy-machine', busyCpuShare: 0.4, loadAverage: 0.1, cores: 2, idleProbeP99Ms: 0.3, probes: null });
    // A load average left high by a run that just ended: the CPUs are idle now.
    expect(busyMachineWarning({ ...quiet, loadAverage: 6 })).toBeNull();
  });

  it('is told by a late idle probe', () => {
    expect(busyMachineWarning({ ...quiet, idleProbeP99Ms: 2 })).toBeNull();
    expect(busyMachineWarning({ ...quiet, idleProbeP99Ms: 2.5 })).not.toBeNull();
    expect(busyMachineWarning({ ...quiet, idleProbeP99Ms: null })).toBeNull();
  });

  it('falls back to the load average only without an idle probe, and says so', () => {
    const noProbe = { busyCpuShare: null, idleProbeP99Ms: null, cores: 2 };
    expect(busyMachineWarning({ ...noProbe, loadAverage: 0.9 })).toBeNull();
    const warning = busyMachineWarning({ ...noProbe, loadAverage: 1.2 })!;
    expect(warningText(warning)).toBe('the machine was busy before the run: load average 1.20 on 2 cores (no idle probe): other work shares the CPUs with every figure');
  });

  it('still heeds a late probe when the CPUs\' use could not be read', () => {
    const unreadable = { busyCpuShare: null, loadAverage: 0.1, cores: 2 };
    expect(busyMachineWarning({ ...unreadable, idleProbeP99Ms: 0.3 })).toBeNull();
    const warning = busyMachineWarning({ ...unreadable, idleProbeP99Ms: 4 })!;
    expect(warningText(warning)).toBe(
      'the machine was busy before the run: load average 0.10 on 2 cores (CPU use not readable), the probe woke up to 4.00 ms late (p99): other work shares the CPUs with every figure',
    );
  });

  it('names the share of the cores in use and the probe', () => {
    expect(warningText(busyMachineWarning({ ...quiet, busyCpuShare: 0.62, idleProbeP99Ms: 3.456 })!)).toBe(
      'the machine was busy before the run: 62% of its 2 cores were in use while the idle probe ran, the probe woke up to 3.46 ms late (p99): other work shares the CPUs with every figure',
    );
  });
});
