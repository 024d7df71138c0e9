// `npm run bench:stability` (`pipebench bench-stability`): the same benchmark
// `runs` times back to back, then per cell the spread of throughput and p50 across
// the runs, whether each cell that moved was wider than its precision target, whether
// `compare --fail-on-regression 10` passes between every pair of runs, and whether every claim of the reports that a significance test decided (who leads
// each figure, or "no significant difference") was the same in every run. A
// benchmark, not a test: it exits non-zero only when a run could not be done.

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { headline } from '../../reports/headline';
import { runView } from '../../reports/run-view';
import { writeFilesTo } from '../output';
import { loadResults } from '../schema/results-file';
import { cellStability, Claim, claimAgreement, pairGates, stabilityText } from '../measure/stability';
import type { RunOptions } from '../options';
import { CLI_PATH } from '../paths';
import { writeRunOptions } from './run-options';

/** The README's CI example, `compare --fail-on-regression 10`, run between every pair of the runs: unchanged code must pass it. */
const GATE_PERCENT = 10;

/** One run in its own process, its options handed over as JSON (never as flags to parse again); resolves to its duration. */
function runOnce(options: RunOptions): Promise<number> {
  const [file] = writeFilesTo(path.dirname(options.outDir), [{ name: `${path.basename(options.outDir)}.options.json`, contents: writeRunOptions(options) }]);
  const started = Date.now();
  const child = spawn(process.execPath, [CLI_PATH, 'run-options', file, '--report'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // A run with errors still measured: exit code 1 is reported in its results, not fatal here.
    child.once('exit', (code, signal) => (code === 0 || code === 1 ? resolve(Date.now() - started) : reject(new Error(`pipebench run ended with ${code ?? signal}`))));
  });
}

export function claimsOf(results: ReturnType<typeof loadResults>): Claim[] {
  // Counts and measurements stated as they are cannot disagree by this test: only claims a significance test decided count.
  return headline(runView(results))
    .claims.flatMap((claim) => (claim.verdict === null ? [] : [{ key: claim.figure, verdict: claim.verdict }]));
}

/** `runs` runs of `options`, each into `outDir`/run-N; writes stability.md there. */
export async function benchStability(options: RunOptions, runs: number, outDir: string): Promise<void> {
  const durations: number[] = [];
  const results = [];
  for (let i = 1; i <= runs; i++) {
    const dir = path.join(outDir, `run-${i}`);
    process.stderr.write(`bench:stability: run ${i} of ${runs} -> ${dir}\n`);
    durations.push(await runOnce({ ...options, outDir: dir }));
    results.push(loadResults(dir));
  }
  const text = stabilityText(cellStability(results), claimAgreement(results.map(claimsOf)), results, durations, pairGates(results, GATE_PERCENT), GATE_PERCENT);
  process.stdout.write(`\n${text}`);
  const [file] = writeFilesTo(outDir, [{ name: 'stability.md', contents: `# pipebench stability: ${runs} runs of \`${options.commandLine}\`\n\n\`\`\`\n${text}\`\`\`\n` }]);
  process.stderr.write(`bench:stability: ${file}\n`);
}
