// The building blocks of the benchmarks against native code (bench-compare,
// bench-clients): compile a C file of ../shared/reference with the machine's C
// compiler, start a server and wait for its "ready" line, stop it.

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../contract/usage';
import { SHARED_DIR } from '../paths';

export const REFERENCE_DIR = path.join(SHARED_DIR, 'reference');
const READY_TIMEOUT_MS = 10000;

/** A benchmark that could not run (a server that did not start, a client that failed): exit 1. */
export class BenchError extends Error {}

/** `cc -O2 -o DIR/NAME SOURCE`; no compiler or no source is a usage problem (exit 2), a failed build a BenchError. */
export function buildC(source: string, dir: string): string {
  if (!fs.existsSync(source)) throw new UsageError(`C source not found: ${source}`);
  const binary = path.join(dir, path.basename(source, '.c'));
  const built = spawnSync('cc', ['-O2', '-o', binary, source], { encoding: 'utf8' });
  if (built.error) {
    const code = (built.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError('no C compiler: `cc` is not on PATH (install gcc or clang); this benchmark compiles the native reference');
    throw new BenchError(`cc failed to run: ${built.error.message}`);
  }
  if (built.status !== 0) throw new BenchError(`cc -O2 ${source} failed (exit ${built.status}):\n${built.stderr.trim()}`);
  return binary;
}

/** Starts a server (`command ...args`) and resolves once it printed a line starting with "ready". */
export function startServer(what: string, command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new BenchError(`${what} ${reason}${output ? `: ${output.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready/m.test(output)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
    child.once('error', (error) => fail(`failed to start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before it was ready`));
  });
}

/** SIGTERM, then SIGKILL after 2 s; resolves when it exited. */
export function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
}
