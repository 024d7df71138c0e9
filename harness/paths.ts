// Where pipebench's own files are, from the repository root (this file compiles to
// dist/harness/paths.js): never a path of one machine.

import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The command line, for child processes and benchmarks that run it. */
export const CLI_PATH = path.join(REPO_ROOT, 'bin', 'pipebench.js');
/** shared/ sits beside the repository (it travels with every checkout). */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
