// Bad input fails at once: one clear line on stderr, exit code 2, nothing left running.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { platform } from '../strategies/platform';
import { address, killAll, onlyOn, pipebench, startServer, tempDir } from './support/spawned';
import { tempOut } from './support/runs';

afterEach(killAll);

async function rejects(args: string[], message: RegExp): Promise<void> {
  const run = await pipebench(args).finished;
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^pipebench: /);
  expect(lines[0]).toMatch(message);
}

describe('pipebench run rejects bad input with exit code 2', () => {
  const out = () => tempOut('cli');
  it.each<[string[], RegExp]>([
    [['run', '--strategy', 'fastest'], /unknown strategy "fastest"/],
    [['run', '--strategy', 'sequential,nope'], /unknown strategy "nope"/],
    [['run', '--clients', '0'], /client counts must be from 1 to 256/],
    [['run', '--clients', '257'], /client counts must be from 1 to 256/],
    [['run', '--clients', '5-1'], /runs backwards/],
    [['run', '--clients', 'many'], /not a list/],
    [['run', '--transactions', '0'], /--transactions must be an integer of at least 1/],
    [['run', '--transactions', '1.5'], /--transactions must be/],
    [['run', '--workload', 'bulk'], /--workload must be "transactions" or "batch"/],
    [['run', '--threads', '0'], /--threads must be an integer from 1/],
    [['run', '--label', 'x'], /--label names an --external server/],
    [['run', '--frobnicate'], /Unknown argument/],
    [['run', '--precision', '100'], /--precision must be a percentage above 0 and below 100 \(5 is ±5%\), or 0, got 100/],
    [['run', '--precision', 'tight'], /--precision must be a percentage/],
    [['run', '--max-time', 'soon'], /--max-time must be a duration from 1s to 7 days \(90s, 4m, 1h, 1m30s or seconds\), got soon/],
    [['run', '--max-time', '0.5'], /--max-time must be a duration/],
    // An address this platform cannot serve: a socket path too long for sun_path, or anything but a pipe name on Windows.
    platform.name === 'posix'
      ? [['run', '--external', path.join(os.tmpdir(), 'x'.repeat(120))], /longer than the 107 bytes/]
      : [['run', '--external', path.join(os.tmpdir(), 'x.sock')], /is not a named pipe name/],
  ])('%j', async (args, message) => {
    await rejects([...args, '--out', out()], message);
  });

  it('an output folder that cannot be written', async () => {
    const file = path.join(tempDir('cli'), 'a-file');
    fs.writeFileSync(file, '');
    await rejects(['run', '--strategy', 'node-net', '--clients', '1', '--out', path.join(file, 'sub')], /output folder .* cannot be written/);
  });
});

describe('pipebench serve', () => {
  it('refuses an address another server listens on', async () => {
    const server = await startServer('node-net');
    await rejects(['serve', '--strategy', 'sequential', '--address', server.address], /address in use/);
  });

  onlyOn('posix', 'addresses are files on POSIX only (pipe names on Windows)').it('refuses a path that exists and is not a socket', async () => {
    const file = path.join(tempDir('cli'), 'plain');
    fs.writeFileSync(file, 'keep me');
    await rejects(['serve', '--strategy', 'sequential', '--address', file], /exists and is not a socket/);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('takes --wait-order fair or lowest-first only', async () => {
    await rejects(['serve', '--strategy', 'overlapped', '--address', address('x'), '--wait-order', 'random'], /--wait-order must be "fair" or "lowest-first", got random/);
  });

  it('needs a strategy and an address', async () => {
    await rejects(['serve', '--address', address('x')], /Missing required argument: strategy/);
    await rejects(['serve', '--strategy', 'all', '--address', address('x')], /takes one strategy/);
  });
});
