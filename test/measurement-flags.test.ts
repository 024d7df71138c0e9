// Bad values of the measurement flags fail at once: one line, exit code 2.

import { address, killAll, pipebench } from './support/spawned';
import { tempOut } from './support/runs';

afterEach(killAll);

const out = () => tempOut('flags');

it.each<[string[], RegExp]>([
  [['run', '--repeat', '0'], /--repeat must be an integer from 1 to 1000, got 0/],
  [['run', '--repeat', '2.5'], /--repeat must be/],
  [['run', '--seed', '-1'], /--seed must be an integer from 0 to 4294967295/],
  [['run', '--rate', '0'], /--rate must be an integer from 1 to 1000000, got 0/],
  [['run', '--rate', 'fast'], /--rate must be an integer/],
  [['run', '--warmup', '5'], /Unknown argument: warmup/],
  [['run', '--mode', 'both,script'], /--mode must be "both" or "steady" or "script"/],
  [['run', '--window-ms', '5'], /--window-ms must be an integer from 10 to 60000/],
  [['run', '--measure-windows', '1'], /--measure-windows must be an integer from 2/],
  [['run', '--steady-tolerance', '1.5'], /--steady-tolerance must be a share between 0 and 1/],
  [['run', '--unstable-half-width', '0'], /--unstable-half-width must be a share between 0 and 1/],
  [['run', '--external-pid', '12'], /--external-pid names the process of an --external server/],
  [['run', '--wait-order', 'random'], /--wait-order must be "fair" or "lowest-first", got random/],
  [['client', '--address', address('nobody'), '--warmup', '-5'], /--warmup must be an integer from 0/],
  [['run', '--idle-probe-ms', 'x'], /--idle-probe-ms must be an integer/],
  [['run', '--cpu-us', '-1'], /--cpu-us must be an integer from 0/],
  [['run', '--store-latency-us', '1.5'], /--store-latency-us must be an integer/],
  [['micro', '--iterations', '0'], /--iterations must be an integer from 1/],
  [['micro', '--strategy', 'fastest'], /unknown strategy "fastest"/],
  [['client', '--address', address('nobody'), '--rate', '0'], /--rate must be an integer from 1/],
])('%j', async (args, message) => {
  const run = await pipebench([...args, ...(args[0] === 'client' ? [] : ['--out', out()])]).finished;
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^pipebench: /);
  expect(lines[0]).toMatch(message);
});
