// overlapped: one thread serves many pipe instances. Every instance is opened with
// FILE_FLAG_OVERLAPPED and owns one OVERLAPPED and one manual-reset event; the
// thread waits for any event with WaitForMultipleObjects, reads the outcome with
// GetOverlappedResult, and the session machine decides the next ReadFile or
// WriteFile (or the end of the session, after which the instance connects again).
//
// Wait order: WaitForMultipleObjects reports only the FIRST signalled handle of
// its array. Waiting on [stop, instance 0, 1, ...] every time (waitOrder
// 'lowest-first', the seed's loop) lets low indexes go back to back while high
// ones starve. The default, 'fair', rotates the array: the handles are laid out
// as [0 .. n-1, stop, 0 .. n-1] and each wait takes the n + 1 of them that start
// just after the instance served last, so the search goes round the instances
// and every waiting one gets a turn before any gets a second (one call per
// service, as before).
//
// More than 64 instances: WaitForMultipleObjects takes at most 64 handles, so the
// instances are split into groups of up to 63, each waited by its own thread
// together with the server's stop event (63 + 1 = 64). A group starts with one
// instance and adds one whenever all of its instances are busy; when it holds 63
// and all are busy it asks for the next group, which the main thread starts. One
// thread therefore serves up to 63 clients at once, two up to 126, and so on.

import { parentPort } from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import type { RunningServer, ServerOptions } from '../types';
import { Next, NextIo, SessionTable } from '../session';
import * as k32 from './kernel32';
import { Win32Error, checkHandle } from './errors';
import { HandleArray, OutParams, OverlappedTable, addressOf } from './memory';
import { claimPipe, createInstance, PipeSpec, releasePipe } from './named-pipe';
import { attachSessions, createThreadContext, joinThread, requestStop, spawnThread, ThreadContext } from '../threads';

const GROUP_INSTANCES = k32.MAXIMUM_WAIT_OBJECTS - 1;
const HANDLE_BYTES = 8;

interface GroupThread extends ThreadContext {
  pipe: PipeSpec;
  /** The server's first instance (claimPipe), for the first group; 0 for the others. */
  firstPipe: number;
  stopEvent: number;
  /** Which group this thread is, from 0 in start order. */
  group: number;
  /** Fault injection for the tests: this group throws after serving this many completions (0: never). */
  failAfterServices: number;
}
type GroupMessage = 'listening' | 'full';

/**
 * PIPEBENCH_TEST_FAIL_GROUP=G:N makes group G throw after N completions, as a
 * WAIT_FAILED or an unexpected ConnectNamedPipe code would: the error path the
 * tests check (test/win32-stop.test.ts), which nothing else can reach on demand.
 */
function injectedFault(group: number): number {
  const match = /^(\d+):(\d+)$/.exec(process.env.PIPEBENCH_TEST_FAIL_GROUP ?? '');
  return match && Number(match[1]) === group ? Number(match[2]) : 0;
}

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const { pipe, first } = claimPipe(options.address, true);
  const stopEvent = checkHandle('CreateEventW', k32.CreateEventW(null, 1, 0, null));
  const context: GroupThread = { ...createThreadContext(sessions, options), pipe, firstPipe: 0, stopEvent, group: 0, failAfterServices: 0 };
  // Each group's end, settled: a group that failed has released all it held (serveGroup's finally);
  // the others serve on, and stop() reports the first failure once every group has ended.
  const groups: Promise<void>[] = [];
  const failures: Error[] = [];
  let stopping = false;
  const maxGroups = Math.ceil(options.maxSessions / GROUP_INSTANCES);
  const startGroup = (): Promise<void> =>
    new Promise((resolve) => {
      const group = groups.length;
      const worker: Worker = spawnThread(module, serveGroup, { ...context, firstPipe: group === 0 ? first : 0, group, failAfterServices: injectedFault(group) });
      groups.push(
        joinThread(worker).catch((error: Error) => {
          failures.push(error);
          process.stderr.write(`overlapped: wait group ${group} failed (its clients lost their pipes; the other groups serve on): ${error.message}\n`);
        }),
      );
      worker.on('message', (message: GroupMessage) => {
        if (message === 'listening') resolve();
        else if (!stopping && groups.length < maxGroups) void startGroup();
      });
      worker.once('exit', () => resolve());
    });
  await startGroup(); // the first instance exists before start() resolves
  return {
    async stop() {
      stopping = true;
      requestStop(context);
      k32.SetEvent(stopEvent);
      // Every group waits on the stop event and creates instances with the descriptor:
      // both are freed only once the last group has ended (groups may still be added meanwhile).
      for (let i = 0; i < groups.length; i++) await groups[i];
      k32.CloseHandle(stopEvent);
      releasePipe(pipe);
      if (failures.length > 0) throw failures[0];
    },
  };
}

const Phase = { CONNECTING: 1, READING: 2, WRITING: 3 } as const;

/** One group's thread: up to 63 instances, each waited through its event. */
export function serveGroup(context: GroupThread): void {
  const sessions = attachSessions(context);
  const tableAddress = addressOf(sessions.bytes);
  const out = new OutParams();
  const overlapped = new OverlappedTable(GROUP_INSTANCES);
  const ring = new HandleArray(2 * GROUP_INSTANCES + 1); // [events 0 .. n-1, stop event, events 0 .. n-1]
  const pipes: number[] = [];
  const events: number[] = [];
  const phases: number[] = [];
  const sessionIds: number[] = [];
  let askedForGroup = false;
  let firstPipe = context.firstPipe;
  const fair = context.knobs.waitOrder === 'fair';

  const addInstance = (): void => {
    const index = pipes.length;
    const event = checkHandle('CreateEventW', k32.CreateEventW(null, 1, 0, null));
    events.push(event);
    pipes.push(firstPipe || createInstance(context.pipe, true));
    firstPipe = 0;
    phases.push(0);
    sessionIds.push(-1);
    overlapped.setEvent(index, event);
    for (let i = 0; i <= index; i++) {
      ring.set(i, events[i]);
      ring.set(index + 2 + i, events[i]);
    }
    ring.set(index + 1, context.stopEvent);
    connect(index);
  };

  // Starts an overlapped ConnectNamedPipe; a client already there (ERROR_PIPE_CONNECTED) signals nothing, so start its session now.
  const connect = (index: number): void => {
    phases[index] = Phase.CONNECTING;
    if (k32.ConnectNamedPipe(pipes[index], overlapped.reset(index)) !== 0) return begin(index);
    const code = k32.GetLastError();
    if (code === k32.ERROR_IO_PENDING) return;
    if (code === k32.ERROR_PIPE_CONNECTED) return begin(index);
    if (code === k32.ERROR_NO_DATA) return recycle(index, false); // the client came and went
    throw new Win32Error('ConnectNamedPipe', code);
  };

  const begin = (index: number): void => {
    const id = sessions.open(pipes[index]);
    if (id < 0) return recycle(index, false); // every session slot is taken
    sessionIds[index] = id;
    phases[index] = Phase.READING;
    if (!phases.includes(Phase.CONNECTING)) {
      if (pipes.length < GROUP_INSTANCES) addInstance();
      else if (!askedForGroup) {
        askedForGroup = true;
        parentPort!.postMessage('full' satisfies GroupMessage);
      }
    }
    issue(index, Next.READ);
  };

  // The session machine said what comes next: start it, or end the session.
  const issue = (index: number, next: NextIo): void => {
    const id = sessionIds[index];
    if (next !== Next.CLOSE) {
      const at = tableAddress + sessions.ioOffset(id);
      const length = sessions.ioLength(id);
      const ov = overlapped.reset(index);
      phases[index] = next === Next.READ ? Phase.READING : Phase.WRITING;
      // Completing at once still signals the event, so both outcomes are handled by the wait loop.
      const ok = next === Next.READ ? k32.ReadFile(pipes[index], at, length, 0, ov) : k32.WriteFile(pipes[index], at, length, 0, ov);
      if (ok !== 0 || k32.GetLastError() === k32.ERROR_IO_PENDING) return;
    }
    const serverEnded = phases[index] === Phase.WRITING && next === Next.CLOSE;
    sessions.release(id);
    sessionIds[index] = -1;
    recycle(index, serverEnded);
  };

  // A session ended by the server right after its last write closes the instance (keeping the
  // reply readable) for a fresh one; otherwise DisconnectNamedPipe lets the instance connect again.
  const recycle = (index: number, serverEnded: boolean): void => {
    if (serverEnded) {
      const fresh = createInstance(context.pipe, true); // first, so the name never goes away
      k32.CloseHandle(pipes[index]);
      pipes[index] = fresh;
    } else {
      k32.DisconnectNamedPipe(pipes[index]);
    }
    connect(index);
  };

  // The operation on `index` completed: read its outcome and start what comes next.
  const service = (index: number): void => {
    const ok = k32.GetOverlappedResult(pipes[index], overlapped.address(index), out.dword, 0) !== 0;
    k32.ResetEvent(events[index]);
    if (phases[index] === Phase.CONNECTING) {
      if (ok) begin(index);
      else recycle(index, false);
    } else {
      issue(index, sessions.complete(sessionIds[index], ok ? out.dwordValue : 0));
    }
  };

  let services = 0;
  try {
    addInstance();
    parentPort!.postMessage('listening' satisfies GroupMessage);
    let from = 0; // where in the ring the next wait starts: just after the instance served last
    for (;;) {
      const count = pipes.length;
      if (!fair) from = count; // [stop, 0 .. n-1]: the lowest index first
      const signalled = k32.WaitForMultipleObjects(count + 1, ring.address + from * HANDLE_BYTES, 0, k32.INFINITE);
      if (signalled === k32.WAIT_FAILED) throw new Win32Error('WaitForMultipleObjects', k32.GetLastError());
      const position = from + signalled - k32.WAIT_OBJECT_0;
      if (position === count) break; // the stop event
      const index = position < count ? position : position - count - 1;
      if (++services === context.failAfterServices) throw new Error(`injected fault (PIPEBENCH_TEST_FAIL_GROUP): group ${context.group} after ${services} completions`);
      service(index);
      from = index + 1;
    }
  } finally {
    // Stop, or a failure anywhere above: cancel whatever is pending and wait for the OS to let go
    // of each OVERLAPPED (this thread's memory, freed when it exits) before closing anything.
    for (let index = 0; index < pipes.length; index++) {
      if (k32.CancelIoEx(pipes[index], null) !== 0) k32.GetOverlappedResult(pipes[index], overlapped.address(index), out.dword, 1);
      if (sessionIds[index] >= 0) sessions.release(sessionIds[index]);
      k32.CloseHandle(pipes[index]);
    }
    for (const event of events) k32.CloseHandle(event);
  }
}
