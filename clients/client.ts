// `pipebench client`: one client process. Under the harness it connects, says so,
// waits for "go" (so every client starts at once), runs its script and sends back
// one report; on its own it prints the same report.

import { ConnectionLost, Transport } from './transport';
import { platform } from '../strategies/platform';
import { encodeHistogram, newHistogram } from './histogram';
import { runWorkload, sayBye, WorkloadSpec, WorkloadTally } from './workloads';
import type { ClientReport } from './report';
import type { ClientMessage, ToClientMessage } from '../harness/messages';

export interface ClientOptions extends WorkloadSpec {
  address: string;
  clientIndex: number;
  connectTimeoutMs: number;
}

export async function runClient(options: ClientOptions): Promise<ClientReport> {
  const underHarness = typeof process.send === 'function';
  const go = underHarness ? waitForGo() : Promise.resolve();
  go.catch(() => undefined); // awaited below; this only keeps an early rejection from counting as unhandled
  const histogram = newHistogram();
  let tally: WorkloadTally = { transactions: 0, errors: { unexpectedStatus: 0, mismatches: 0 } };
  let fatal: string | null = null;
  let transport: Transport | undefined;
  const rate = options.ratePerClientTps ?? null;
  const sent = rate === null ? null : newHistogram();
  const warmupTransactions = options.warmupTransactions ?? 0;
  let startNs = process.hrtime.bigint();
  let endNs = startNs;
  let cpuAtStart = process.cpuUsage();
  let cpuAtEnd = cpuAtStart;
  try {
    transport = platform.connect(options.address, { timeoutMs: options.connectTimeoutMs });
    if (underHarness) await send({ type: 'connected' });
    await go;
    // Warm-up after "go", not before: a sequential server serves one client at a
    // time, so a warm-up before the barrier would wait for clients that wait for "go".
    if (warmupTransactions > 0) warmUp(transport, options, warmupTransactions);
    cpuAtStart = process.cpuUsage();
    startNs = process.hrtime.bigint();
    runWorkload(transport, options, options.clientIndex, histogram, (t) => (tally = t), sent && { intervalMs: 1000 / rate!, sent });
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
  if (underHarness) {
    await send({ type: 'report', report });
    process.disconnect();
  }
  return report;
}

/** Untimed transactions cycles (ADD, RETRIEVE, DELETE), checked like the script's: a wrong answer here is fatal. */
function warmUp(transport: Transport, options: ClientOptions, transactions: number): void {
  let tally: WorkloadTally | undefined;
  const spec: WorkloadSpec = { workload: 'transactions', transactions, batches: 0, batchSize: 0 };
  runWorkload(transport, spec, options.clientIndex, newHistogram(), (t) => (tally = t));
  const errors = tally!.errors.unexpectedStatus + tally!.errors.mismatches;
  if (errors > 0) throw new Error(`warm-up: ${errors} of ${tally!.transactions} transactions answered wrongly`);
}

function waitForGo(): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ToClientMessage) => {
      if (message.type !== 'go') return;
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      resolve();
    };
    const onDisconnect = () => reject(new Error('the harness went away before "go"'));
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
  });
}

function send(message: ClientMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())));
}
