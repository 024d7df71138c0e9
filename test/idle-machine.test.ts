// The idle machine is probed again while it reads busy, up to IDLE_PROBES probes:
// a moment of the host passes, work that shares the run stays and is warned about.
// The probe is a fake that hands out given readings.

import { IDLE_PROBES, probeIdleMachine } from '../harness/run/idle-machine';
import type { IdleMachineReading } from '../harness/processes/probe';
import { warningText } from '../harness/measure/warnings';

const reading = (busyCpuShare: number | null, p99LatenessUs: number): IdleMachineReading => ({
  responsiveness: { sleepMs: 1, samples: 900, p50LatenessNs: 90_000, p99LatenessNs: p99LatenessUs * 1000, maxLatenessNs: p99LatenessUs * 2000, meanLatenessNs: 100_000 },
  busyCpuShare,
});

function fakeProbe(readings: IdleMachineReading[]): { probe: (probes: number) => Promise<IdleMachineReading>; taken: () => number } {
  let taken = 0;
  return {
    probe: async (probes) => {
      // Each probe is told which it is (its log is named after it).
      expect(probes).toBe(taken + 1);
      return readings[taken++];
    },
    taken: () => taken,
  };
}

const machine = { loadAverage: 0.3, cores: 2 };

it('takes three probes at most', () => {
  expect(IDLE_PROBES).toBe(3);
});

it('an idle machine is probed once, with no warning', async () => {
  const fake = fakeProbe([reading(0.01, 140)]);
  const verdict = await probeIdleMachine(fake.probe, machine);
  expect(verdict).toEqual({ reading: reading(0.01, 140), probes: 1, warning: null });
  expect(fake.taken()).toBe(1);
});

it('a burst of late wake-ups with the CPUs idle (p99 2.3 ms, 2.5% busy), then an idle probe: no warning, the second reading kept', async () => {
  const fake = fakeProbe([reading(0.025, 2300), reading(0.01, 150), reading(0.5, 9000)]);
  const heard: number[] = [];
  const verdict = await probeIdleMachine(fake.probe, machine, (_, probes) => heard.push(probes));
  expect(verdict).toEqual({ reading: reading(0.01, 150), probes: 2, warning: null });
  expect(heard).toEqual([1]);
  expect(fake.taken()).toBe(2);
});

it('a machine busy in all three probes is warned about, from the last, saying so', async () => {
  const fake = fakeProbe([reading(0.6, 300), reading(0.3, 2100), reading(0.4, 2500), reading(0.01, 100)]);
  const verdict = await probeIdleMachine(fake.probe, machine);
  expect(fake.taken()).toBe(3);
  expect(verdict.probes).toBe(3);
  expect(verdict.warning).toEqual({ kind: 'busy-machine', busyCpuShare: 0.4, loadAverage: 0.3, cores: 2, idleProbeP99Ms: 2.5, probes: 3 });
  expect(warningText(verdict.warning!)).toBe(
    'the machine was busy before the run: 40% of its 2 cores were in use while the idle probe ran, the probe woke up to 2.50 ms late (p99) (the last of 3 probes, each busy): other work shares the CPUs with every figure',
  );
});
