// Each warning and observation is a typed case with its own words (as hyperfine's
// warnings): the figures a reader needs, formatted as the report prints them.

import { observationText, warningKindTitle, warningText } from '../harness/measure/warnings';
import type { Observation, Warning } from '../harness/schema/results';

it.each<[Warning, string]>([
  [{ kind: 'no-steady-state', trial: 2, warmupMs: 5000.4 }, 'trial 2: no steady state: throughput still trended or scattered after 5000 ms of warm-up (the cap); it was measured anyway'],
  [
    { kind: 'client-bound', clientShare: 0.55, serverShare: 0.41, cores: 2 },
    "the clients saturated the CPUs on their own: they used 55% of the machine's 2 cores in the measured phase, the server 41%, so the clients, not the server, set the pace",
  ],
  // Below 10%, one decimal.
  [
    { kind: 'client-bound', clientShare: 0.93, serverShare: 0.052, cores: 4 },
    "the clients saturated the CPUs on their own: they used 93% of the machine's 4 cores in the measured phase, the server 5.2%, so the clients, not the server, set the pace",
  ],
  [
    { kind: 'client-bound', clientShare: 0.95, serverShare: null, cores: 2 },
    "the clients saturated the CPUs on their own: they used 95% of the machine's 2 cores in the measured phase, the server an unmeasured share, so the clients, not the server, set the pace",
  ],
  [{ kind: 'records-left', records: 3, failedClients: 1 }, '3 record(s) left in the store by 1 failed client(s)'],
  [{ kind: 'trial-failed', trial: 1, reason: 'server exited (1)' }, 'trial 1 failed: server exited (1)'],
  [{ kind: 'late-start', trial: 3, clients: 2, lateMs: 12.345 }, 'trial 3: 2 client(s) heard of the measured phase up to 12.3 ms after it began: its first window undercounts them'],
  [{ kind: 'littles-law', expectedNs: 200_000, measuredNs: 260_500 }, "Little's law: expected mean turnaround 200.0 µs (clients served / throughput), measured 260.5 µs: the clients spent time outside their transactions"],
  [{ kind: 'starved', served: 9, clients: 20 }, '11 of 20 clients got no transaction in the measured phase: the server starved them (fairness and the client timelines show who waited)'],
  [{ kind: 'not-measured', what: 'server CPU', reason: 'no --external-pid' }, 'server CPU not measured: no --external-pid'],
  // Not blamed on the cell alone: on 2026-12-04 two of three such cells were 1-client cells with one trial in the host's fast phase (24k -> 41k tx/s).
  [
    { kind: 'noisy-cell', figure: 'throughput', relativeSd: 0.335, runRelativeSd: 0.098, pValue: 0.0000731, trialValues: null },
    "throughput varied 33.5% between trials (sd over mean), against the run's 9.8% (F test, p = 0.000073, Holm over the cells): more than the run's launch-to-launch noise, and not by one trial whose clients' own CPU per transaction moved against it (the host's doing): something in this cell, or the host during more than one of its trials, moved it",
  ],
  // Its trials, so a launch unlike the others shows (sequential x 5 on 2026-12-04: one at 39,000 tx/s among 23,300-24,200).
  [
    { kind: 'noisy-cell', figure: 'throughput', relativeSd: 0.262, runRelativeSd: 0.071, pValue: 0.00021, trialValues: [24_210.4, 24_190, 23_349.6, 38_999.5] },
    "throughput varied 26.2% between trials (24,210, 24,190, 23,350, 39,000 tx/s; sd over mean), against the run's 7.1% (F test, p = 0.00021, Holm over the cells): more than the run's launch-to-launch noise, and not by one trial whose clients' own CPU per transaction moved against it (the host's doing): something in this cell, or the host during more than one of its trials, moved it",
  ],
])('%j reads "%s"', (warning, text) => {
  expect(warningText(warning)).toBe(text);
});

it.each<[Observation, string]>([
  [
    { kind: 'clients-waiting', served: 1, clients: 20 },
    '1 of 20 clients were served in the measured phase; the others waited for the server to take them (one client at a time is how this server works), so its throughput and turnaround are those of one client, and its fairness shows the wait',
  ],
  [
    { kind: 'clients-waiting', served: 2, clients: 5 },
    '2 of 5 clients were served in the measured phase; the others waited for the server to take them (one client at a time is how this server works), so its throughput and turnaround are those of 2 clients, and its fairness shows the wait',
  ],
  [
    { kind: 'cpus-shared', clientShare: 0.71, serverShare: 0.16, cores: 2 },
    'the clients and the server together kept the 2 cores at least 75% busy in the measured phase (client and server CPU columns), the clients under 75% themselves: with more clients than cores a closed loop always does, so throughput here is that of a shared machine, and a server\'s lower CPU per transaction shows as more throughput only as far as the clients\' own cost allows',
  ],
  // The same words whatever the shares: one line for all such cells.
  [
    { kind: 'cpus-shared', clientShare: 0.4, serverShare: null, cores: 2 },
    'the clients and the server together kept the 2 cores at least 75% busy in the measured phase (client and server CPU columns), the clients under 75% themselves: with more clients than cores a closed loop always does, so throughput here is that of a shared machine, and a server\'s lower CPU per transaction shows as more throughput only as far as the clients\' own cost allows',
  ],
  [
    { kind: 'uneven-trial', trial: 1, fairness: 0.16984706911380829, mostTransactions: 12609, leastTransactions: 474, transactions: 23760, p50Ns: 67_071 },
    "trial 1's measured phase was uneven (Jain's index 0.17): one client did 12,609 of its 23,760 transactions (53%), the least served 474; no client starved, but the cell's fairness and turnaround (that trial's p50 67.1 µs) mix that launch with its others",
  ],
  [{ kind: 'open-loop', ratePerClientTps: 500 }, 'open loop: each client sent 500 transactions a second on a fixed schedule; turnaround counts from each scheduled start'],
])('%j reads "%s"', (observation, text) => {
  expect(observationText(observation)).toBe(text);
});

it.each<[Warning['kind'], string]>([
  ['no-steady-state', 'no steady state'],
  ['client-bound', 'clients saturated the CPUs'],
  ['records-left', 'records left in the store'],
  ['trial-failed', 'trials failed'],
  ['late-start', 'clients late for the measured phase'],
  ['littles-law', "Little's law does not hold"],
  ['starved', 'clients starved'],
  ['not-measured', 'not measured'],
  ['busy-machine', 'machine busy before the run'],
  ['drift', 'drift in the measured windows'],
  ['noisy-cell', 'trials noisier than the machine'],
])('the report groups %s under "%s"', (kind, title) => {
  expect(warningKindTitle(kind)).toBe(title);
});
