// The server, read from outside: peak threads follow the strategy (one thread
// per client shows up), memory is read, and CPU and context switches (where the
// OS counts them: not Windows) are read at the edges of the measured phase,
// through the platform's reader (/proc on Linux, kernel32 on Windows).

import type * as ProcessStats from '../strategies/posix/process-stats';
import { platform } from '../strategies/platform';
import { killAll, onlyOn } from './support/spawned';
import { measured, quickRun } from './support/runs';

afterEach(killAll);

const linux = onlyOn('linux', 'the /proc parsers live in the Linux reader, which binds libc when it loads');

linux.it('parses /proc/<pid>/status and /proc/<pid>/stat', () => {
  const { parseContextSwitches, parseStatTimes, parseStatus } = require('../strategies/posix/process-stats') as typeof ProcessStats;
  const text = 'Name:\tnode\nVmHWM:\t  81234 kB\nVmRSS:\t  80000 kB\nThreads:\t13\nvoluntary_ctxt_switches:\t250\nnonvoluntary_ctxt_switches:\t17\n';
  expect(parseStatus(text)).toEqual({ threads: 13, hwmKb: 81234, rssKb: 80000 });
  expect(parseContextSwitches(text)).toEqual({ voluntary: 250, involuntary: 17 });
  expect(() => parseStatus('Name:\tnode\n')).toThrow(/no Threads line/);
  // A command name with spaces and parentheses: fields count from the last ')'.
  const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 13 0 123 456 789';
  expect(parseStatTimes(stat)).toEqual([1234, 567]);
  expect(() => parseStatTimes('garbage')).toThrow(/no command name/);
});

it('a thread per client shows in peak threads; CPU and context switches are read over the measured phase', async () => {
  const { finished, results } = await quickRun(['--strategy', 'thread-per-client', '--clients', '1,4', '--transactions', '600']);
  expect(finished.code).toBe(0);
  const [one, four] = results.cells.map((cell) => measured(cell));
  // Sampled with the platform's reader: what it says it reads, whatever the pid.
  const reader = platform.openProcess(process.pid);
  const anyPid = (text: string) => text.replace(/\/proc\/\d+/g, '/proc/PID');
  const how = anyPid(reader.how);
  reader.close();
  for (const trial of [one, four]) {
    expect(anyPid(trial.serverLoad!.sampling)).toContain(how);
    expect(trial.serverLoad!.samples).toBeGreaterThanOrEqual(2);
    expect(trial.serverLoad!.peakRssKb).toBeGreaterThan(1000);
    const cost = trial.steady!.serverCost!;
    // Wine 8 has no QueryProcessCycleTime and its GetProcessTimes read 0 over these phases: no measurement, and the results say so.
    if (platform.wineVersion() === null) expect(cost.cpuUserUs + cost.cpuSystemUs).toBeGreaterThan(0);
    else expect(trial.serverLoad!.sampling).toContain('NOT nanoseconds');
    // Linux counts context switches per thread; Windows keeps no per-process count.
    if (platform.name === 'posix') expect(cost.voluntaryContextSwitches).toBeGreaterThan(0);
    else expect(cost.voluntaryContextSwitches).toBeNull();
    expect(trial.steady!.clientCpuUs).toBeGreaterThan(0);
  }
  // Every client is connected (its thread alive) from before "go" to its BYE.
  expect(four.serverLoad!.peakThreads!).toBeGreaterThanOrEqual(one.serverLoad!.peakThreads! + 3);
});

onlyOn('outside-wine', "Wine 8's GetProcessIoCounters counts no writes: 0 bytes after 1,234").it('counts the bytes a process passed to write calls, exactly (bench:clients counts native requests so)', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const reader = platform.openProcess(process.pid);
  const sink = fs.openSync(process.platform === 'win32' ? '\\\\.\\NUL' : '/dev/null', 'w');
  try {
    const before = reader.bytesWritten();
    fs.writeSync(sink, Buffer.alloc(1000));
    fs.writeSync(sink, Buffer.alloc(234));
    expect(reader.bytesWritten() - before).toBe(1234);
  } finally {
    fs.closeSync(sink);
    reader.close();
  }
});

linux.it('reads wchar from /proc/<pid>/io', () => {
  const { parseWrittenBytes } = require('../strategies/posix/process-stats') as typeof ProcessStats;
  expect(parseWrittenBytes('rchar: 16217\nwchar: 987654321\nsyscr: 40\nsyscw: 12\n')).toBe(987654321);
  expect(() => parseWrittenBytes('rchar: 1\n')).toThrow('no wchar line in /proc/<pid>/io');
});
