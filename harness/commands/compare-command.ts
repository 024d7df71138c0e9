// `pipebench compare`: reads both runs, prints the comparison, writes it as
// markdown, and with --fail-on-regression exits 1 on a significant regression whose
// whole interval lies beyond the percentage.

import * as path from 'node:path';
import { compareMarkdown, compareRuns, compareText, regressionsBeyond } from '../measure/compare';
import { hostPaceShift, hostWakeupsUs, paceShiftLine } from '../measure/host-pace';
import { commonPace } from '../measure/pace-adjust';
import { writeFilesTo } from '../output';
import { loadResults, resultsPathOf } from '../schema/results-file';
import { UsageError } from '../../contract/usage';

export function percentOption(flag: string, value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!(n >= 0 && n <= 1000)) throw new UsageError(`--${flag} must be a percentage from 0 to 1000, got ${String(value)}`);
  return n;
}

export function compareCommand(basePath: string, newPath: string, threshold: number, failOnRegressionPercent: number | null, out: string | undefined): number {
  const base = loadResults(basePath);
  const next = loadResults(newPath);
  const rows = compareRuns(base, next, threshold);
  if (rows.length === 0) throw new UsageError(`the two runs share no cell (strategy and client count): nothing to compare`);
  const shift = hostPaceShift(hostWakeupsUs(base), hostWakeupsUs(next));
  const pace = commonPace([base, next]);
  const notes = [
    ...(pace === null ? [] : [`Throughput and p50 compared at one host pace, ${pace.toFixed(1)} µs: each run's, adjusted for the pace, moved there with slopes fitted on both runs' trials together.`]),
    ...(shift ? [paceShiftLine(shift)] : []),
  ];
  process.stdout.write(compareText(rows, threshold, notes));
  const markdownPath = out ? path.resolve(out) : path.join(path.dirname(resultsPathOf(newPath)), 'compare.md');
  writeFilesTo(path.dirname(markdownPath), [{ name: path.basename(markdownPath), contents: compareMarkdown(rows, threshold, resultsPathOf(basePath), resultsPathOf(newPath), notes) }]);
  process.stderr.write(`compare: ${markdownPath}\n`);
  if (failOnRegressionPercent === null) return 0;
  const regressions = regressionsBeyond(rows, failOnRegressionPercent);
  for (const { row, figure, change } of regressions) {
    const bound = figure.worse === 'lower' ? change.high : change.low;
    process.stderr.write(
      `pipebench: regression: ${row.strategy} x ${row.clients} ${figure.name} ${(change.relative * 100).toFixed(1)}%, interval bound ${(bound * 100).toFixed(1)}% (beyond ${failOnRegressionPercent}%)\n`,
    );
  }
  return regressions.length > 0 ? 1 : 0;
}
