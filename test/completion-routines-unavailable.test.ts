// Without io_uring, completion-routines refuses to start: one line naming the
// errno on stderr, a non-zero exit, no "ready", no socket file, no fallback.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { address, CLI, exitOf, killAll, onlyOn, spawnTracked, SUPPORT } from './support/spawned';

const PRELOAD = path.join(SUPPORT, 'io-uring-enosys.js');
const linux = onlyOn('linux', "io_uring is Linux's (the preload fakes a kernel without it)");

afterEach(killAll);

linux.describe('completion-routines without io_uring', () => {
  test('fails to start with one line naming ENOSYS', async () => {
    const at = address('no-uring');
    const server = spawnTracked(process.execPath, ['--require', PRELOAD, CLI, 'serve', '--strategy', 'completion-routines', '--address', at]);
    const { code, stdout, stderr } = await exitOf(server, 20000, 'completion-routines without io_uring');
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toBe('pipebench: completion-routines cannot start: io_uring_setup failed: ENOSYS (38)\n');
    expect(stdout).not.toContain('ready');
    expect(fs.existsSync(at)).toBe(false);
  });
});
