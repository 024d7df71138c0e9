// Another process's threads, memory, CPU and context switches, read from outside.
// CPU: the process's CPU clock (clock_getcpuclockid + clock_gettime), the
// scheduler's runtime in nanoseconds summed over every thread the process ever
// had, exited ones included. /proc/<pid>/stat's utime and stime come from the same
// runtime but in 10 ms ticks (a true 2.50 µs/tx over a 600 ms phase reads 0.93,
// 1.85 or 2.78), so they only split the clock's total between user and system.
// Summing /proc/<pid>/task/*/schedstat would be nanoseconds too, but loses the
// threads that ended (thread-per-client's). A running thread's share is brought up
// to date at each tick and context switch, so a read lags by at most one
// scheduler tick of a thread running at that moment: no quantisation.
// Context switches are summed over the live threads' status files (the kernel
// keeps those per thread), so a thread that ended takes its count with it.

import * as fs from 'node:fs';
import type { ProcessCost, ProcessLoad, ProcessReader } from '../types';
import * as libc from './libc';
import { splitCpu, timespecUs } from '../cpu-time';

const SC_CLK_TCK = 2;
let ticksPerSecond = 0;

export function openProcess(pid: number): ProcessReader {
  ticksPerSecond ||= libc.sysconf(SC_CLK_TCK);
  const statusPath = `/proc/${pid}/status`;
  const statPath = `/proc/${pid}/stat`;
  const tasksPath = `/proc/${pid}/task`;
  const ioPath = `/proc/${pid}/io`;
  const clockId = new Int32Array(1);
  const failed = libc.clock_getcpuclockid(pid, clockId);
  if (failed !== 0) throw new libc.OsError('clock_getcpuclockid', failed, `pid ${pid}`);
  const timespec = Buffer.alloc(libc.TIMESPEC_BYTES);
  return {
    how: `${statusPath} (Threads, VmHWM), CPU from the process CPU clock (clock_getcpuclockid, ns) split between user and system as ${statPath}'s 1/${ticksPerSecond} s ticks divide it, voluntary and involuntary context switches summed over ${tasksPath}/*/status`,
    load(): ProcessLoad {
      const status = parseStatus(readProc(statusPath));
      return { threads: status.threads, peakRssKb: Math.max(status.hwmKb, status.rssKb) };
    },
    cost(): ProcessCost {
      libc.check('clock_gettime', libc.clock_gettime(clockId[0], timespec), `CPU clock of pid ${pid}`);
      const totalUs = timespecUs(timespec.readBigInt64LE(0), timespec.readBigInt64LE(8));
      const [userTicks, systemTicks] = parseStatTimes(readProc(statPath));
      let voluntary = 0;
      let involuntary = 0;
      for (const task of readTasks(tasksPath)) {
        let text: string;
        try {
          text = fs.readFileSync(`${tasksPath}/${task}/status`, 'utf8');
        } catch {
          continue; // the thread ended between the listing and the read
        }
        const switches = parseContextSwitches(text);
        voluntary += switches.voluntary;
        involuntary += switches.involuntary;
      }
      return {
        ...splitCpu(totalUs, userTicks, systemTicks),
        voluntaryContextSwitches: voluntary,
        involuntaryContextSwitches: involuntary,
      };
    },
    bytesWritten(): number {
      return parseWrittenBytes(readProc(ioPath));
    },
    close() {},
  };
}

/** wchar of /proc/<pid>/io: what the process passed to write(2) and its kin (not to send(2) or io_uring). */
export function parseWrittenBytes(text: string): number {
  const match = /^wchar:\s*(\d+)$/m.exec(text);
  if (!match) throw new Error(`no wchar line in /proc/<pid>/io: ${JSON.stringify(text.slice(0, 60))}`);
  return Number(match[1]);
}

function readProc(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function readTasks(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (error) {
    throw new Error(`${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Threads, VmHWM and VmRSS of a /proc/<pid>/status text. */
export function parseStatus(text: string): { threads: number; hwmKb: number; rssKb: number } {
  return { threads: statusField(text, 'Threads'), hwmKb: statusField(text, 'VmHWM'), rssKb: statusField(text, 'VmRSS') };
}

/** voluntary_ctxt_switches and nonvoluntary_ctxt_switches of one thread's status text. */
export function parseContextSwitches(text: string): { voluntary: number; involuntary: number } {
  return { voluntary: statusField(text, 'voluntary_ctxt_switches'), involuntary: statusField(text, 'nonvoluntary_ctxt_switches') };
}

function statusField(text: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
  if (!match) throw new Error(`/proc status has no ${name} line`);
  return Number(match[1]);
}

/**
 * utime and stime (fields 14 and 15) of a /proc/<pid>/stat line. The command
 * name (field 2) is in parentheses and may hold spaces or parentheses itself, so
 * fields are counted from the last ')'.
 */
export function parseStatTimes(text: string): [userTicks: number, systemTicks: number] {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('/proc stat line has no command name');
  const fields = text.slice(close + 2).split(' '); // fields[0] is field 3 (state)
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isInteger(user) || !Number.isInteger(system)) throw new Error(`/proc stat line has no utime/stime: ${text.slice(0, 80)}`);
  return [user, system];
}
