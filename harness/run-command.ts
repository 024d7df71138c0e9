// `pipebench run`: validated options in, results on disk, a summary on stdout,
// and the exit code: 0 when every cell was measured without errors.

import { runBenchmark } from './driver';
import type { RunOptions } from './options';
import { RunOutput } from './output';
import { summaryTable } from './summary';
import { loadResults } from '../reports/load';
import { writeReport } from '../reports/report';

export async function runCommand(options: RunOptions, { report = true } = {}): Promise<number> {
  const output = new RunOutput(options.outDir);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  progress(`pipebench: ${options.strategies.length + (options.external ? 1 : 0)} servers x clients ${options.clients.join(',')}, ${options.workload.workload} workload; results in ${output.dir}`);
  // An interrupted or crashed run exits from elsewhere: render what results.json holds by then.
  const reportOnExit = () => renderRunReport(output, progress);
  if (report) process.once('exit', reportOnExit);
  const results = await runBenchmark(options, output, progress);
  process.off('exit', reportOnExit);
  process.stdout.write(`${summaryTable(results)}\n`);
  let exitCode = 0;
  if (report && !renderRunReport(output, progress)) exitCode = 1;
  const failed = results.cells.filter((cell) => cell.outcome === 'failed').length;
  const withErrors = results.cells.filter(
    (cell) => cell.outcome === 'measured' && cell.errors.unexpectedStatus + cell.errors.mismatches + cell.errors.failedClients > 0,
  ).length;
  progress(`results: ${output.resultsPath}`);
  if (failed + withErrors > 0) {
    progress(`pipebench: ${failed} cell(s) failed and ${withErrors} cell(s) had errors`);
    exitCode = 1;
  }
  return exitCode;
}

/** Renders the report of the results on disk (synchronously: it also runs while the process exits); false when it could not. */
export function renderRunReport(output: RunOutput, progress: (line: string) => void): boolean {
  try {
    const { htmlPath, pngsSkipped } = writeReport(loadResults(output.resultsPath), output.dir);
    progress(`report: ${htmlPath}`);
    if (pngsSkipped) progress(`pipebench: warning: ${pngsSkipped}`);
    return true;
  } catch (error) {
    progress(`pipebench: the report could not be rendered: ${(error as Error).message}`);
    return false;
  }
}
