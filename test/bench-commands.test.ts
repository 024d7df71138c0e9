// The bench commands are commands of the one CLI: their flags are checked like
// `run`'s (one line, exit 2), and the ones that compile the C reference say so
// and stop (exit 2) when there is no C compiler.

import { killAll, pipebench } from './support/spawned';
import { tempOut } from './support/runs';

afterEach(killAll);

async function rejects(args: string[], env: NodeJS.ProcessEnv | undefined, message: RegExp): Promise<void> {
  const run = await pipebench(args, env ? { env } : {}).finished;
  const lines = run.stderr.trim().split('\n');
  expect({ code: run.code, lines: lines.length, line: lines[0] }).toEqual({ code: 2, lines: 1, line: expect.stringMatching(message) });
}

// No `cc` on PATH (node itself is started by its full path).
const NO_COMPILER = { ...process.env, PATH: '/nonexistent' };

it.each<[string[], NodeJS.ProcessEnv | undefined, RegExp]>([
  [['bench-clients'], NO_COMPILER, /^pipebench: no C compiler: `cc` is not on PATH/],
  [['bench-compare', '--strategy', 'node-net', '--clients', '1'], NO_COMPILER, /^pipebench: no C compiler: `cc` is not on PATH/],
  [['bench-clients', '--rounds', '0'], undefined, /^pipebench: --rounds must be an integer from 1/],
  [['bench-clients', '--clients', '0'], undefined, /client counts must be from 1 to 256/],
  [['bench-clients', '--strategy', 'fastest'], undefined, /unknown strategy "fastest"/],
  [['bench-stability', '--runs', '1'], undefined, /^pipebench: --runs must be an integer from 2/],
  [['bench-compare', '--frobnicate'], undefined, /Unknown argument/],
])('%j', async (args, env, message) => {
  await rejects([...args, '--out', tempOut('bench')], env, message);
});
