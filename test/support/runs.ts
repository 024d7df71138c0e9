// `pipebench run` from tests: short trials (the measurement's timing is not what
// these tests check), results read through the schema's own strict reader.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunResults } from '../../harness/schema/results';
import type { Cell, MeasuredTrial, RunResults } from '../../harness/schema/results';
import { Finished, pipebench, Spawned, tempDir } from './spawned';

/** 2 measuring windows of 50 ms, and a warm-up that settles at once (0.99: any two windows agree); no idle probe. */
export const QUICK = ['--idle-probe-ms', '0', '--client-warmup-ms', '0', '--precision', '0', '--window-ms', '50', '--measure-windows', '2', '--warmup-min-ms', '0', '--steady-windows', '2', '--steady-tolerance', '0.99'];

export function tempOut(tag: string): string {
  return path.join(tempDir(tag), 'out');
}

export function readResults(out: string): RunResults {
  return readRunResults(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')), '');
}

export interface Ran {
  spawned: Spawned;
  finished: Finished;
  results: RunResults;
}

/** Runs `pipebench run QUICK... args --out <fresh folder>` to its end (one trial per cell unless args say --repeat). */
export async function quickRun(args: string[], tag = 'run'): Promise<Ran & { out: string }> {
  const out = tempOut(tag);
  const spawned = pipebench(['run', ...QUICK, ...(args.includes('--repeat') ? [] : ['--repeat', '1']), ...args, '--out', out]);
  const finished = await spawned.finished;
  if (!fs.existsSync(path.join(out, 'results.json'))) throw new Error(`no results.json (exit ${finished.code}): ${finished.stderr}`);
  return { spawned, finished, results: readResults(out), out };
}

/** The cell's measured trial `index` (0-based); throws with the reason when it failed. */
export function measured(cell: Cell, index = 0): MeasuredTrial {
  const trial = cell.trials[index];
  if (!trial) throw new Error(`${cell.strategy} x ${cell.clients} has no trial ${index}`);
  if (trial.outcome !== 'measured') throw new Error(`${cell.strategy} x ${cell.clients} trial ${trial.trial} failed: ${trial.reason}`);
  return trial;
}
