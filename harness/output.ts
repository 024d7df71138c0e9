// The one module that writes files: the run's folder, results.json (replaced
// atomically after every cell, so a crash loses nothing), and child process logs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../contract/usage';
import type { RunResults } from './schema/results';

export class RunOutput {
  readonly dir: string;

  /** Creates `dir` and proves it writable now, before any cell runs. */
  constructor(dir: string) {
    this.dir = path.resolve(dir);
    try {
      makeDirectory(path.join(this.dir, 'logs'));
      const probe = path.join(this.dir, `.write-test-${process.pid}`);
      fs.writeFileSync(probe, '');
      fs.unlinkSync(probe);
    } catch (error) {
      throw new UsageError(`output folder ${this.dir} cannot be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  get resultsPath(): string {
    return path.join(this.dir, 'results.json');
  }

  writeResults(results: RunResults): void {
    writeAtomically(this.resultsPath, JSON.stringify(results, null, 1) + '\n');
  }

  writeFile(name: string, contents: string | Buffer): string {
    const target = path.join(this.dir, name);
    writeAtomically(target, contents);
    return target;
  }

  /** A log file for child processes' stdout and stderr (a file, not a pipe: Wine's node.exe needs that). */
  openLog(name: string): { fd: number; path: string } {
    const logPath = path.join(this.dir, 'logs', name);
    return { fd: fs.openSync(logPath, 'a'), path: logPath };
  }
}

/** Writes files into `dir` (created if needed), each atomically; returns their paths. */
export function writeFilesTo(dir: string, files: Array<{ name: string; contents: string | Buffer }>): string[] {
  const target = path.resolve(dir);
  try {
    makeDirectory(target);
  } catch (error) {
    throw new UsageError(`output folder ${target} cannot be created: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return files.map((file) => {
    const filePath = path.join(target, file.name);
    writeAtomically(filePath, file.contents);
    return filePath;
  });
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns for a path
 * under /proc (it retries ENOENT forever), so each missing level is made on its
 * own and the first refusal is the answer.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; !fs.existsSync(at); at = path.dirname(at)) {
    missing.push(at);
    if (path.dirname(at) === at) break;
  }
  for (const level of missing.reverse()) fs.mkdirSync(level);
}

function writeAtomically(target: string, contents: string | Buffer): void {
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, target);
}

/** The last `lines` lines of a log file, for failure reports. */
export function tail(logPath: string, lines = 20): string[] {
  try {
    const text = fs.readFileSync(logPath, 'utf8');
    return text.split(/\r?\n/).filter((line) => line.trim() !== '').slice(-lines);
  } catch {
    return [];
  }
}
