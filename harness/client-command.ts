// `pipebench client` on its own: runs one script and prints what it measured.

import { runClient, ClientOptions } from '../clients/client';
import { decodeHistogram } from '../clients/histogram';

export async function clientCommand(options: ClientOptions, json: boolean): Promise<number> {
  const report = await runClient(options, null);
  const failed = report.fatal !== null || report.errors.unexpectedStatus + report.errors.mismatches > 0;
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    const histogram = decodeHistogram(report.histogram);
    const seconds = Number(BigInt(report.endNs) - BigInt(report.startNs)) / 1e9;
    const us = (ns: number) => (ns / 1000).toFixed(1);
    process.stdout.write(
      `client ${report.clientIndex}: ${report.transactions} transactions in ${seconds.toFixed(3)} s ` +
        `(${Math.round(report.transactions / seconds)} tps), mean ${us(histogram.mean)} us, p99 ${us(histogram.getValueAtPercentile(99))} us, ` +
        `${report.errors.unexpectedStatus} unexpected statuses, ${report.errors.mismatches} mismatches` +
        `${report.fatal ? `; stopped: ${report.fatal}` : ''}\n`,
    );
  }
  return failed ? 1 : 0;
}
