// `pipebench run`: validated options in, results on disk, a summary on stdout,
// and the exit code: 0 when every cell was measured without errors.

import { runBenchmark } from '../run/run';
import { processTrialRunner } from '../run/cell';
import { cellVerdict, runExitCode } from '../measure/verdict';
import type { RunResults } from '../schema/results';
import type { RunOptions } from '../options';
import { RunOutput } from '../output';
import { summaryTable } from '../summary';
import { loadResults } from '../schema/results-file';
import { writeReport } from '../../reports/report';

export async function runCommand(options: RunOptions, { report = true } = {}): Promise<number> {
  const output = new RunOutput(options.outDir);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const servers = options.strategies.length + (options.external ? 1 : 0);
  progress(
    `pipebench: ${servers} servers x clients ${options.clients.join(',')} x ${options.repeat} trial(s), ${options.measurement.mode === 'both' ? 'steady state, then scripts' : options.measurement.mode}, ${options.workload.workload} workload; results in ${output.dir}`,
  );
  // An interrupted or crashed run exits from elsewhere: render what results.json holds by then.
  const reportOnExit = () => renderRunReport(output, progress);
  if (report) process.once('exit', reportOnExit);
  const results = await runBenchmark(options, processTrialRunner(options, output, progress), output, { line: progress });
  process.off('exit', reportOnExit);
  process.stdout.write(`${summaryTable(results)}\n`);
  let exitCode = runExitCode(results);
  if (report && !renderRunReport(output, progress)) exitCode = 1;
  progress(`results: ${output.resultsPath}`);
  if (exitCode !== 0) progress(`pipebench: ${problemsLine(results)}`);
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

function problemsLine(results: RunResults): string {
  const verdicts = results.cells.map(cellVerdict);
  const failed = verdicts.filter((v) => v.failed).length;
  const withProblems = verdicts.filter((v) => !v.failed && v.problemCount > 0).length;
  return `${failed} cell(s) failed and ${withProblems} cell(s) had errors or failed trials`;
}
