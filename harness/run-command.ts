// `pipebench run`: validated options in, results on disk, a summary on stdout.

import { RunOptions, runBenchmark } from './driver';
import { RunOutput } from './output';
import { summaryTable } from './summary';

export async function runCommand(options: RunOptions & { outDir: string }): Promise<void> {
  const output = new RunOutput(options.outDir);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  progress(`pipebench: ${options.strategies.length + (options.external ? 1 : 0)} servers x clients ${options.clients.join(',')}, ${options.workload} workload; results in ${output.dir}`);
  const results = await runBenchmark(options, output, progress);
  process.stdout.write(`${summaryTable(results)}\n`);
  const failed = results.cells.filter((cell) => cell.outcome === 'failed').length;
  const withErrors = results.cells.filter(
    (cell) => cell.outcome === 'measured' && cell.errors.unexpectedStatus + cell.errors.mismatches + cell.errors.failedClients > 0,
  ).length;
  progress(`results: ${output.resultsPath}`);
  if (failed + withErrors > 0) {
    progress(`pipebench: ${failed} cell(s) failed and ${withErrors} cell(s) had errors`);
    process.exitCode = 1;
  }
}
