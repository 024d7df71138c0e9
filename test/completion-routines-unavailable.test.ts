// Without io_uring, completion-routines refuses to start: one line naming the
// errno on stderr, a non-zero exit, no "ready", no socket file, no fallback.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempSocketPath } from './support/posix-server';

const CLI = path.join(__dirname, '..', '..', 'bin', 'pipebench.js');
const PRELOAD = path.join(__dirname, 'support', 'io-uring-enosys.js');
const describeLinux = process.platform === 'linux' ? describe : describe.skip;

describeLinux('completion-routines without io_uring', () => {
  test('fails to start with one line naming ENOSYS', async () => {
    const address = tempSocketPath('no-uring');
    const child = spawn(process.execPath, ['--require', PRELOAD, CLI, 'serve', '--strategy', 'completion-routines', '--address', address], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toBe('pipebench: completion-routines cannot start: io_uring_setup failed: ENOSYS (38)\n');
    expect(stdout).not.toContain('ready');
    expect(fs.existsSync(address)).toBe(false);
  });
});
