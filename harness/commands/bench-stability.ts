// `npm run bench:stability`: the default benchmark three times back to back, then
// per cell the spread of throughput and p50 across the runs, whether each cell that
// moved was wider than its precision target, and whether every claim of the reports (who leads
// each figure, or "no significant difference") was the same in every run. A
// benchmark, not a test: it exits non-zero only when a run could not be done.
//
// usage: node dist/harness/bench-stability.js [--runs N] [--out DIR] [more `pipebench run` flags]

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { headline } from '../../reports/headline';
import { runView } from '../../reports/run-view';
import { writeFilesTo } from '../output';
import { loadResults } from '../schema/results-file';
import { cellStability, Claim, claimAgreement, stabilityText } from '../measure/stability';
import { CLI_PATH } from '../paths';


function parse(args: string[]): { runs: number; outDir: string; runFlags: string[] } {
  let runs = 3;
  let outDir = path.join('results', `stability-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const runFlags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Number(args[++i]);
    else if (args[i] === '--out') outDir = args[++i];
    else runFlags.push(args[i]);
  }
  if (!Number.isInteger(runs) || runs < 2) throw new Error(`--runs must be an integer of at least 2, got ${runs}`);
  return { runs, outDir: path.resolve(outDir), runFlags };
}

function runOnce(outDir: string, flags: string[]): Promise<number> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI_PATH, 'run', '--out', outDir, ...flags], { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // A run with errors still measured: exit code 1 is reported in its results, not fatal here.
    child.once('exit', (code, signal) => (code === 0 || code === 1 ? resolve(Date.now() - started) : reject(new Error(`pipebench run ended with ${code ?? signal}`))));
  });
}

export function claimsOf(results: ReturnType<typeof loadResults>): Claim[] {
  // Counts and measurements stated as they are cannot disagree by this test: only claims a significance test decided count.
  return headline(runView(results))
    .claims.filter((claim) => claim.tested)
    .map((claim) => ({ key: claim.figure, verdict: claim.leader ?? 'no significant difference' }));
}

async function main(): Promise<void> {
  const { runs, outDir, runFlags } = parse(process.argv.slice(2));
  const durations: number[] = [];
  const results = [];
  for (let i = 1; i <= runs; i++) {
    const dir = path.join(outDir, `run-${i}`);
    process.stderr.write(`bench:stability: run ${i} of ${runs} -> ${dir}\n`);
    durations.push(await runOnce(dir, runFlags));
    results.push(loadResults(dir));
  }
  const text = stabilityText(cellStability(results), claimAgreement(results.map(claimsOf)), results, durations);
  process.stdout.write(`\n${text}`);
  const [file] = writeFilesTo(outDir, [{ name: 'stability.md', contents: `# pipebench stability: ${runs} runs of \`pipebench run ${runFlags.join(' ')}\`\n\n\`\`\`\n${text}\`\`\`\n` }]);
  process.stderr.write(`bench:stability: ${file}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench:stability: ${error.message}\n`);
  process.exit(1);
});
