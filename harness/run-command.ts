// `pipebench run`: validated options in, results on disk, a summary on stdout.

import { RunOptions, runBenchmark } from './driver';
import type { RunResults } from './results';
import { RunOutput } from './output';
import { summaryTable } from './summary';
import { loadResults } from '../reports/load';
import { writeReport } from '../reports/report';

export async function runCommand(options: RunOptions & { outDir: string }): Promise<void> {
  const output = new RunOutput(options.outDir);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  progress(`pipebench: ${options.strategies.length + (options.external ? 1 : 0)} servers x clients ${options.clients.join(',')}, ${options.workload} workload; results in ${output.dir}`);
  // An interrupted or crashed run exits from elsewhere: render what results.json holds by then.
  const reportOnExit = () => report(() => loadResults(output.resultsPath), output.dir, progress);
  process.once('exit', reportOnExit);
  const results = await runBenchmark(options, output, progress);
  process.off('exit', reportOnExit);
  process.stdout.write(`${summaryTable(results)}\n`);
  if (!report(() => results, output.dir, progress)) process.exitCode = 1;
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

/** Writes the report (synchronously: it also runs while the process exits); false when it could not. */
function report(read: () => RunResults, dir: string, progress: (line: string) => void): boolean {
  try {
    const { htmlPath, pngsSkipped } = writeReport(read(), dir);
    progress(`report: ${htmlPath}`);
    if (pngsSkipped) progress(`pipebench: warning: ${pngsSkipped}`);
    return true;
  } catch (error) {
    progress(`pipebench: the report could not be rendered: ${(error as Error).message}`);
    return false;
  }
}
