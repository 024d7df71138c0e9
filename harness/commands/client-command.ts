// `pipebench client` on its own: untimed warm-up transactions, one timed script,
// BYE; prints what it measured (exit 1 on any wrong answer or a lost connection).

import type { ClientOptions } from '../../clients/client';
import { newHistogram } from '../../clients/histogram';
import { ConnectionLost } from '../../clients/transport';
import { Conversation, runScript, sayBye, workloadOf } from '../../clients/workloads';
import { platform } from '../../strategies/platform';

export interface StandaloneReport {
  clientIndex: number;
  /** Transactions of the script that completed a round trip. */
  transactions: number;
  errors: { unexpectedStatus: number; mismatches: number };
  fatal: string | null;
  durationMs: number;
  meanNs: number;
  p99Ns: number;
}

export function clientCommand(options: ClientOptions, warmupTransactions: number, json: boolean): number {
  const report = runStandalone(options, warmupTransactions);
  const failed = report.fatal !== null || report.errors.unexpectedStatus + report.errors.mismatches > 0;
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    const us = (ns: number) => (ns / 1000).toFixed(1);
    const seconds = report.durationMs / 1000;
    process.stdout.write(
      `client ${report.clientIndex}: ${report.transactions} transactions in ${seconds.toFixed(3)} s ` +
        `(${Math.round(report.transactions / seconds)} tps), mean ${us(report.meanNs)} us, p99 ${us(report.p99Ns)} us, ` +
        `${report.errors.unexpectedStatus} unexpected statuses, ${report.errors.mismatches} mismatches` +
        `${report.fatal ? `; stopped: ${report.fatal}` : ''}\n`,
    );
  }
  return failed ? 1 : 0;
}

function runStandalone(options: ClientOptions, warmupTransactions: number): StandaloneReport {
  const histogram = newHistogram();
  const rate = options.workload.ratePerClientTps;
  let conversation: Conversation | null = null;
  let fatal: string | null = null;
  let scriptTransactions = 0;
  let startedMs = performance.now();
  let endedMs = startedMs;
  const transport = (() => {
    try {
      return platform.connect(options.address, { timeoutMs: options.connectTimeoutMs });
    } catch (error) {
      fatal = (error as Error).message;
      return null;
    }
  })();
  if (transport) {
    try {
      conversation = new Conversation(transport, rate === null ? 0 : 1000 / rate);
      conversation.scheduleFrom(performance.now());
      const warmup = workloadOf({ ...options.workload, workload: 'transactions' }, conversation, options.clientIndex);
      for (let i = 0; i < warmupTransactions; i++) warmup.step();
      warmup.drain();
      const before = conversation.transactions;
      conversation.observer = { ended: (started, _sent, ended) => histogram.recordValue(Math.max(1, Math.round((ended - started) * 1e6))) };
      startedMs = performance.now();
      conversation.scheduleFrom(startedMs);
      runScript(options.workload, conversation, options.clientIndex);
      endedMs = performance.now();
      scriptTransactions = conversation.transactions - before;
      conversation.observer = { ended() {} };
      fatal = sayBye(transport);
    } catch (error) {
      endedMs = performance.now();
      fatal = error instanceof ConnectionLost ? error.message : (error as Error).message;
    } finally {
      transport.close();
    }
  }
  return {
    clientIndex: options.clientIndex,
    transactions: scriptTransactions,
    errors: conversation?.errors ?? { unexpectedStatus: 0, mismatches: 0 },
    fatal,
    durationMs: endedMs - startedMs,
    meanNs: histogram.totalCount ? histogram.mean : 0,
    p99Ns: histogram.getValueAtPercentile(99),
  };
}
