// jest's globalSetup (jest.config.js): says once, for the whole run, which Win32
// suites are skipped because this Linux machine has no Wine set up, and why. The
// suites themselves skip silently (test/support/spawned.ts windowsHost); under
// CI=true they fail instead, and this stays quiet.

import * as path from 'node:path';
import { WINE_SUITES, windowsHostProblem } from './spawned';

interface GlobalConfig {
  testPathPattern?: string;
}
interface ProjectConfig {
  testMatch?: string[];
}

export default function globalSetup(config: GlobalConfig, project: ProjectConfig = {}): void {
  if (process.env.CI === 'true') return;
  const problem = windowsHostProblem();
  if (problem === null) return;
  // Only when the run includes one of them (`npx jest dist/test/store.test.js` does not,
  // nor does the mutation run, whose testMatch names its files).
  const pattern = new RegExp(config.testPathPattern ?? '', 'i');
  const matched = (name: string) => (project.testMatch ?? ['**/*.test.js']).some((glob) => glob === '**/*.test.js' || glob.includes(name));
  const suites = [...WINE_SUITES, 'wine-run'].filter((name) => matched(name) && pattern.test(path.join(__dirname, '..', `${name}.test.js`)));
  if (suites.length === 0) return;
  const named = suites.map((name) => (name === 'wine-run' ? 'the --wine run' : name));
  const list = named.length > 1 ? `${named.slice(0, -1).join(', ')}, and ${named[named.length - 1]}` : named[0];
  process.stdout.write(`pipebench tests: skipping the Win32 suites under Wine (${list}): ${problem}\n`);
}
