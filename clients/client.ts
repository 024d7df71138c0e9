// One client process: `pipebench client` on its own, or a client the harness
// started. Under the harness it connects, says so, waits for "go" (so every client
// starts at once), runs its script and sends back one report; on its own it
// returns the same report for printing.

import { ConnectionLost, Transport } from './transport';
import { platform } from '../strategies/platform';
import { encodeHistogram, newHistogram } from './histogram';
import { runWorkload, sayBye, WorkloadSpec, WorkloadTally } from './workloads';
import type { ClientReport } from '../harness/messages';

export interface ClientOptions {
  address: string;
  clientIndex: number;
  connectTimeoutMs: number;
  workload: WorkloadSpec;
}

/** How a client started by the harness talks to it; null for `pipebench client` on its own. */
export interface ClientLink {
  connected(): Promise<void>;
  /** Resolves on "go"; rejects when the harness went away first. */
  go: Promise<void>;
  report(report: ClientReport): Promise<void>;
}

export async function runClient(options: ClientOptions, link: ClientLink | null): Promise<ClientReport> {
  const spec = options.workload;
  const go = link ? link.go : Promise.resolve();
  go.catch(() => undefined); // awaited below; this only keeps an early rejection from counting as unhandled
  const histogram = newHistogram();
  let tally: WorkloadTally = { transactions: 0, errors: { unexpectedStatus: 0, mismatches: 0 } };
  let fatal: string | null = null;
  let transport: Transport | undefined;
  const rate = spec.ratePerClientTps;
  const sent = rate === null ? null : newHistogram();
  const warmupTransactions = spec.warmupTransactions;
  let startNs = process.hrtime.bigint();
  let endNs = startNs;
  let cpuAtStart = process.cpuUsage();
  let cpuAtEnd = cpuAtStart;
  try {
    transport = platform.connect(options.address, { timeoutMs: options.connectTimeoutMs });
    if (link) await link.connected();
    await go;
    // Warm-up after "go", not before: a sequential server serves one client at a
    // time, so a warm-up before the barrier would wait for clients that wait for "go".
    if (warmupTransactions > 0) warmUp(transport, options.clientIndex, warmupTransactions);
    cpuAtStart = process.cpuUsage();
    startNs = process.hrtime.bigint();
    runWorkload(transport, spec, options.clientIndex, histogram, (t) => (tally = t), sent && { intervalMs: 1000 / rate!, sent });
    endNs = process.hrtime.bigint();
    cpuAtEnd = process.cpuUsage();
    fatal = sayBye(transport);
  } catch (error) {
    endNs = process.hrtime.bigint();
    cpuAtEnd = process.cpuUsage();
    fatal = error instanceof ConnectionLost ? error.message : `${(error as Error).message}`;
  } finally {
    transport?.close();
  }
  const cpu = process.cpuUsage();
  const report: ClientReport = {
    clientIndex: options.clientIndex,
    pid: process.pid,
    transactions: tally.transactions,
    errors: tally.errors,
    fatal,
    startNs: startNs.toString(),
    endNs: endNs.toString(),
    histogram: encodeHistogram(histogram),
    sentHistogram: sent && encodeHistogram(sent),
    warmupTransactions,
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    scriptCpuUserUs: cpuAtEnd.user - cpuAtStart.user,
    scriptCpuSystemUs: cpuAtEnd.system - cpuAtStart.system,
  };
  await link?.report(report);
  return report;
}

/** Untimed transactions cycles (ADD, RETRIEVE, DELETE), checked like the script's: a wrong answer here is fatal. */
function warmUp(transport: Transport, clientIndex: number, transactions: number): void {
  let tally: WorkloadTally | undefined;
  const spec: WorkloadSpec = { workload: 'transactions', transactions, batches: 0, batchSize: 0, warmupTransactions: 0, ratePerClientTps: null };
  runWorkload(transport, spec, clientIndex, newHistogram(), (t) => (tally = t));
  const errors = tally!.errors.unexpectedStatus + tally!.errors.mismatches;
  if (errors > 0) throw new Error(`warm-up: ${errors} of ${tally!.transactions} transactions answered wrongly`);
}
