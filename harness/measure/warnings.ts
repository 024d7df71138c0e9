// Warnings and observations: each a typed case with its own text (as hyperfine's
// warnings). A warning says a figure cannot be taken at face value: errors,
// integrity, no steady state, a busy machine, clients saturating the CPUs,
// starvation. Expected behaviour that shapes the figures is an observation,
// explained, never warned about; a wide interval is shown by the interval and the
// precision column, never warned about either.

import type { NotRemeasured, Observation, Warning } from '../schema/results';
import { MAX_REMEASURES } from './steady-state';
import { PACE_CHANGED_BEYOND } from './pace-adjust';

/** Little's law tolerance: measured mean turnaround against (clients in flight) / throughput. */
export const LITTLE_TOLERANCE = 0.2;
/**
 * Before the run, the CPUs busier than this share during the idle probe, or the
 * probe this late, mean a busy machine. The load average decides only when the
 * idle probe was skipped: it averages the last minute, so it still counts a run
 * that just ended.
 */
export const BUSY_CPU_SHARE = 0.25;
export const BUSY_IDLE_PROBE_P99_MS = 2;
export const BUSY_LOAD_PER_CORE = 0.5;

export interface IdleMachine {
  /** Share of every core busy during the idle probe; null without one. */
  busyCpuShare: number | null;
  idleProbeP99Ms: number | null;
  loadAverage: number;
  cores: number;
  /** Idle probes taken, each after one that read busy (run/idle-machine.ts); absent without a probe. */
  probes?: number;
}

export function busyMachineWarning(machine: IdleMachine): Warning | null {
  const { busyCpuShare, idleProbeP99Ms, loadAverage, cores } = machine;
  // The load average only stands in when the CPUs' busy share could not be read;
  // a probe that woke late says the machine was busy whichever way that went.
  const busy =
    (busyCpuShare === null ? loadAverage > BUSY_LOAD_PER_CORE * cores : busyCpuShare > BUSY_CPU_SHARE) ||
    (idleProbeP99Ms !== null && idleProbeP99Ms > BUSY_IDLE_PROBE_P99_MS);
  return busy ? { kind: 'busy-machine', busyCpuShare, loadAverage, cores, idleProbeP99Ms, probes: machine.probes ?? null } : null;
}

/**
 * The CPUs count as saturated at this share of every core over the measured phase.
 * Not 100%: the harness, the probe and the kernel's own work take the rest; on the
 * project machine (2 cores, otherwise idle, 2026-12-03) 20 clients and a server read
 * 61% + 19% = 80%.
 */
export const SATURATED_CPU_SHARE = 0.75;
/**
 * A closed loop keeps each served client's one transaction in flight, so by
 * Little's law the mean turnaround is (clients served) / throughput over the
 * measured phase. A gap means clients spent time outside transactions, and the
 * mean hides it.
 */
export function littlesLawWarning(clientsInFlight: number, throughputTps: number, meanLatencyNs: number): Warning | null {
  if (throughputTps <= 0 || meanLatencyNs <= 0 || clientsInFlight <= 0) return null;
  const expectedNs = (clientsInFlight / throughputTps) * 1e9;
  if (Math.abs(meanLatencyNs - expectedNs) / expectedNs <= LITTLE_TOLERANCE) return null;
  return { kind: 'littles-law', expectedNs, measuredNs: meanLatencyNs };
}

/**
 * The clients set the pace when they saturated the CPUs on their own, leaving the
 * server at most what the harness and the kernel did not take. Shares are CPU over
 * the measured phase / (its length x cores), as measured. Clients and server
 * saturating the CPUs together is how a closed loop of more clients than cores
 * runs (the seed's experiment): an observation (cpusSharedObservation), not a
 * problem. Since issue 21 a client costs 1.2x a native C client per transaction and
 * the C reference server serves pipebench's 20 clients at 0.99x the throughput of
 * 20 native ones (bench:clients), so below this limit the clients' cost does not
 * hold the servers to one throughput.
 */
export function clientBoundWarning(clientShare: number, serverShare: number | null, cores: number): Warning | null {
  return clientShare >= SATURATED_CPU_SHARE ? { kind: 'client-bound', clientShare, serverShare, cores } : null;
}

const NOT_REMEASURED_TEXT: Record<NotRemeasured, string> = {
  limit: `it had been measured again ${MAX_REMEASURES} times`,
  cap: 'the warm-up cap had passed',
  'progress-late': "the clients' progress for its windows did not arrive within a second",
  'no-drift-in-progress': "the clients' progress for its windows held the steady state; only their reports after the trial drifted",
};

/** Clients and server together kept the CPUs busy, the clients short of saturating them alone. */
export function cpusSharedObservation(clientShare: number, serverShare: number | null, cores: number): Observation | null {
  const saturated = clientShare + (serverShare ?? 0) >= SATURATED_CPU_SHARE;
  return saturated && clientShare < SATURATED_CPU_SHARE ? { kind: 'cpus-shared', clientShare, serverShare, cores } : null;
}

const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
const percentOf = (share: number) => `${(share * 100).toFixed(1)}%`;
const signedPercent = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;
const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;

export function warningText(warning: Warning): string {
  switch (warning.kind) {
    case 'no-steady-state':
      return `trial ${warning.trial}: no steady state: throughput still trended or scattered after ${Math.round(warning.warmupMs)} ms of warm-up (the cap); it was measured anyway`;
    case 'client-bound':
      return (
        `the clients saturated the CPUs on their own: they used ${percent(warning.clientShare)} of the machine's ${warning.cores} cores in the measured phase, ` +
        `${warning.serverShare === null ? 'the server an unmeasured share' : `the server ${percent(warning.serverShare)}`}, ` +
        `so the clients, not the server, set the pace`
      );
    case 'records-left':
      return `${warning.records} record(s) left in the store by ${warning.failedClients} failed client(s)`;
    case 'trial-failed':
      return `trial ${warning.trial} failed: ${warning.reason}`;
    case 'late-start':
      return `trial ${warning.trial}: ${warning.clients} client(s) heard of the measured phase up to ${warning.lateMs.toFixed(1)} ms after it began: its first window undercounts them`;
    case 'littles-law':
      return `Little's law: expected mean turnaround ${us(warning.expectedNs)} (clients served / throughput), measured ${us(warning.measuredNs)}: the clients spent time outside their transactions`;
    case 'starved':
      return `${warning.clients - warning.served} of ${warning.clients} clients got no transaction in the measured phase: the server starved them (fairness and the client timelines show who waited)`;
    case 'not-measured':
      return `${warning.what} not measured: ${warning.reason}`;
    case 'drift':
      return (
        `trial ${warning.trial}: drift in the measured windows: their throughput moved ${signedPercent(warning.levelShift)} from the steady state the warm-up found, ` +
        `and trended ${percentOf(warning.trend)} across the phase${warning.notRemeasured ? `; not measured again: ${NOT_REMEASURED_TEXT[warning.notRemeasured]}` : ''}`
      );
    case 'noisy-cell':
      return (
        `${warning.figure} varied ${percentOf(warning.relativeSd)} between trials (${warning.trialValues ? `${warning.trialValues.map((v) => Math.round(v).toLocaleString('en-US')).join(', ')} tx/s; ` : ''}sd over mean), against the run's ${percentOf(warning.runRelativeSd)} ` +
        `(F test, p = ${warning.pValue.toPrecision(2)}, Holm over the cells): more than the run's launch-to-launch noise, and not by one trial ` +
        `whose clients' own CPU per transaction moved against it (the host's doing): something in this cell, or the host during more than one of its trials, moved it`
      );
    case 'client-warmup-failed':
      return (
        `the client warm-up against ${warning.server} ${warning.failedClients === warning.clients ? 'failed' : `lost ${warning.failedClients} of its ${warning.clients} client processes`} (${warning.reason}): ` +
        `a client that ends is a fault of the client or the server; fresh processes took ${warning.failedClients === 1 ? 'its place' : 'their places'}, cold, in the first trials that needed them`
      );
    case 'busy-machine':
      return (
        `the machine was busy before the run: ${
          warning.busyCpuShare === null
            ? `load average ${warning.loadAverage.toFixed(2)} on ${warning.cores} cores (${warning.idleProbeP99Ms === null ? 'no idle probe' : 'CPU use not readable'})`
            : `${(warning.busyCpuShare * 100).toFixed(0)}% of its ${warning.cores} cores were in use while the idle probe ran`
        }` +
        `${warning.idleProbeP99Ms === null ? '' : `, the probe woke up to ${warning.idleProbeP99Ms.toFixed(2)} ms late (p99)`}` +
        `${warning.probes && warning.probes > 1 ? ` (the last of ${warning.probes} probes, each busy)` : ''}: other work shares the CPUs with every figure`
      );
  }
}

/** What a kind of warning is called where the report groups the cells it happened in: "no steady state: iocp at 20 clients, …". */
export function warningKindTitle(kind: Warning['kind']): string {
  switch (kind) {
    case 'no-steady-state':
      return 'no steady state';
    case 'client-bound':
      return 'clients saturated the CPUs';
    case 'records-left':
      return 'records left in the store';
    case 'trial-failed':
      return 'trials failed';
    case 'late-start':
      return 'clients late for the measured phase';
    case 'littles-law':
      return "Little's law does not hold";
    case 'starved':
      return 'clients starved';
    case 'not-measured':
      return 'not measured';
    case 'drift':
      return 'drift in the measured windows';
    case 'noisy-cell':
      return 'trials noisier than the machine';
    case 'client-warmup-failed':
      return 'client warm-up failed';
    case 'busy-machine':
      return 'machine busy before the run';
  }
}

export function observationText(observation: Observation): string {
  switch (observation.kind) {
    case 'clients-waiting':
      return (
        `${observation.served} of ${observation.clients} clients were served in the measured phase; the others waited for the server to take them ` +
        `(one client at a time is how this server works), so its throughput and turnaround are those of ${observation.served === 1 ? 'one client' : `${observation.served} clients`}, and its fairness shows the wait`
      );
    case 'cpus-shared':
      return (
        // The same words for every such cell, so the report lists them on one line; each cell's shares are in the tables' CPU columns.
        `the clients and the server together kept the ${observation.cores} cores at least ${percent(SATURATED_CPU_SHARE)} busy in the measured phase (client and server CPU columns), the clients under ${percent(SATURATED_CPU_SHARE)} themselves: ` +
        `with more clients than cores a closed loop always does, so throughput here is that of a shared machine, ` +
        `and a server's lower CPU per transaction shows as more throughput only as far as the clients' own cost allows`
      );
    case 'uneven-trial': {
      const count = (n: number) => n.toLocaleString('en-US');
      return (
        `trial ${observation.trial}'s measured phase was uneven (Jain's index ${observation.fairness.toFixed(2)}): one client did ${count(observation.mostTransactions)} ` +
        `of its ${count(observation.transactions)} transactions (${percent(observation.mostTransactions / observation.transactions)}), the least served ${count(observation.leastTransactions)}; ` +
        `no client starved, but the cell's fairness and turnaround (that trial's p50 ${(observation.p50Ns / 1000).toFixed(1)} µs) mix that launch with its others`
      );
    }
    case 'pace-changed':
      return (
        `trial ${observation.trial} was set aside: the host's wake-up round trip read ${observation.beforeUs.toFixed(1)} µs before it and ${observation.afterUs.toFixed(1)} µs after, ` +
        `more than ${PACE_CHANGED_BEYOND}× apart (the host changed pace during it, or one reading was a misreading), so no pace stands for it; its errors still count, and the cell's figures come from its other trials`
      );
    case 'wandering-trial':
      return (
        `trial ${observation.trial}'s measured windows trended ${percentOf(observation.trend)} across the phase while their mean stayed ${signedPercent(observation.levelShift)} from the steady state the warm-up found` +
        `${observation.phases > 1 ? ` (the last of ${observation.phases} measured phases; each earlier one drifted and was run again after more warm-up)` : ''}: ` +
        `the throughput wandered around its steady state, so the trial's figure is the steady state's, and how far trials differ is in the cell's interval`
      );
    case 'outlying-trial': {
      const tps = (v: number) => Math.round(v).toLocaleString('en-US');
      const slower = observation.clientCostRatio > 1;
      return (
        `trial ${observation.trial} read ${tps(observation.throughputTps)} tx/s against ${observation.othersTps.map(tps).join(', ')} for the cell's other trials, ` +
        `and its clients spent ${observation.clientCostRatio.toFixed(2)}× the CPU per transaction they spent in those: the host ran ${slower ? 'slower' : 'faster'} during that trial ` +
        `(the clients do the same work against every server); without it the cell's trials vary as the run's other cells do, and its interval includes it`
      );
    }
    case 'open-loop':
      return `open loop: each client sent ${observation.ratePerClientTps} transactions a second on a fixed schedule; turnaround counts from each scheduled start`;
  }
}
