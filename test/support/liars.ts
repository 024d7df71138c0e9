// `pipebench run --external` against test/support/lying-server.ts in one of its modes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { address, spawnTracked, SUPPORT, waitFor } from './spawned';
import { quickRun } from './runs';

const LIAR = path.join(SUPPORT, 'lying-server.js');

/** Starts the lying server in `mode` and runs 2 clients of a 90-transaction script against it. */
export async function runAgainstLiar(mode: string, extra: string[] = []) {
  const at = address('liar');
  const liar = spawnTracked(process.execPath, [LIAR, mode, at]);
  await waitFor(() => liar.stdout().includes(`ready ${at}`), 30000, () => `the lying server did not start: ${liar.stderr()}`, liar.finished);
  return quickRun(['--external', at, '--label', `liar-${mode}`, '--clients', '2', '--transactions', '90', ...extra], 'liar');
}

/** The run's summary.md, which names every problem. */
export function summaryOf(out: string): string {
  return fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
}
