// iocp: one I/O completion port and a fixed pool of `options.knobs.threads` worker
// threads blocked in GetQueuedCompletionStatus. Each connected instance is
// associated with the port once, with its constant session id as completion key,
// and any worker that dequeues its completion continues the session: the session
// machine says what comes next and the worker issues it (overlapped ReadFile or
// WriteFile, whose completion goes back to the port even when it finishes at once).
//
// Connection set-up stays off the port: a listening thread waits for the free
// instance's overlapped ConnectNamedPipe on an event, and only after it connects
// is the instance associated with the port and its first ReadFile issued. Stop
// cancels every pending operation (through a CancelGuard: a worker may be closing
// that very handle), waits for the sessions to end, then posts one empty
// completion per worker so each leaves GetQueuedCompletionStatus. A thread that
// fails is reported at once; stop waits for every thread before closing the port,
// the stop event and the descriptor they use, then reports the first failure.

import { parentPort } from 'node:worker_threads';
import type { RunningServer, ServerOptions } from '../types';
import { Next, NextIo, SessionTable } from '../session';
import * as k32 from './kernel32';
import { Win32Error, check, checkHandle } from './errors';
import { HandleArray, OutParams, OverlappedTable, addressOf } from './memory';
import { CancelGuard } from './cancel-guard';
import { claimPipe, listenForClient, PipeSpec, releasePipe } from './named-pipe';
import { attachSessions, firstMessage, createThreadContext, joinThread, requestStop, spawnThread, stopRequested, ThreadContext } from '../threads';

interface PortThread extends ThreadContext {
  pipe: PipeSpec;
  /** The server's first instance (claimPipe): the first one the listener waits on. */
  firstPipe: number;
  port: number;
  stopEvent: number;
  /** OVERLAPPEDs indexed by session id, shared by every thread at one address. */
  overlapped: SharedArrayBuffer;
  /** CancelGuard slots, by session id. */
  guard: SharedArrayBuffer;
}

const STOP_POLL_MS = 10;

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const { pipe, first } = claimPipe(options.address, true);
  const port = checkHandle('CreateIoCompletionPort', k32.CreateIoCompletionPort(k32.INVALID_HANDLE_VALUE, 0, 0, options.knobs.threads));
  const stopEvent = checkHandle('CreateEventW', k32.CreateEventW(null, 1, 0, null));
  const context: PortThread = {
    ...createThreadContext(sessions, options),
    pipe,
    firstPipe: first,
    port,
    stopEvent,
    overlapped: new OverlappedTable(sessions.maxSessions).buffer,
    guard: new CancelGuard(sessions.maxSessions).buffer,
  };
  const guard = new CancelGuard(context.guard);
  const failures: Error[] = [];
  const joined = (thread: Promise<void>, name: string): Promise<void> =>
    thread.catch((error: Error) => {
      failures.push(error);
      process.stderr.write(`iocp: the ${name} thread failed: ${error.message}\n`);
    });
  const workers: Promise<void>[] = [];
  for (let i = 0; i < options.knobs.threads; i++) workers.push(joined(joinThread(spawnThread(module, serveCompletions, context)), `pool ${i}`));
  const listenerThread = spawnThread(module, listenForClients, context);
  const listener = joined(joinThread(listenerThread), 'listening');
  // The first instance exists before start() resolves.
  await firstMessage(listenerThread);
  return {
    async stop() {
      requestStop(context);
      k32.SetEvent(stopEvent);
      await listener;
      // Workers close sessions instead of issuing more I/O once stop is requested;
      // cancel again until every session has ended (one may have been issued meanwhile).
      for (;;) {
        let live = 0;
        for (let id = 0; id < sessions.maxSessions; id++) {
          if (sessions.state(id) === 0) continue;
          live++;
          guard.cancel(id, sessions);
        }
        if (live === 0) break;
        await new Promise((resolve) => setTimeout(resolve, STOP_POLL_MS));
      }
      for (let i = 0; i < workers.length; i++) check('PostQueuedCompletionStatus', k32.PostQueuedCompletionStatus(port, 0, 0, null));
      await Promise.all(workers);
      k32.CloseHandle(port);
      k32.CloseHandle(stopEvent);
      releasePipe(pipe);
      if (failures.length > 0) throw failures[0];
    },
  };
}

/** Issues the step the session machine asked for; a CLOSE, a failed call or a stop ends the session. */
function issue(sessions: SessionTable, overlapped: OverlappedTable, guard: CancelGuard, tableAddress: number, control: Int32Array, id: number, next: NextIo): void {
  const pipe = sessions.handle(id);
  if (next !== Next.CLOSE && !stopRequested(control)) {
    const at = tableAddress + sessions.ioOffset(id);
    const length = sessions.ioLength(id);
    const ov = overlapped.reset(id);
    const ok = next === Next.READ ? k32.ReadFile(pipe, at, length, 0, ov) : k32.WriteFile(pipe, at, length, 0, ov);
    if (ok !== 0 || k32.GetLastError() === k32.ERROR_IO_PENDING) return; // either way a completion is queued
  }
  // CloseHandle (not DisconnectNamedPipe) keeps a last reply readable by the client.
  guard.closing(id);
  k32.CloseHandle(pipe);
  sessions.release(id);
}

/** A pool worker: dequeues completions and continues whichever session they belong to. */
export function serveCompletions(context: PortThread): void {
  const sessions = attachSessions(context);
  const tableAddress = addressOf(sessions.bytes);
  const overlapped = new OverlappedTable(context.overlapped);
  const guard = new CancelGuard(context.guard);
  const control = new Int32Array(context.control);
  const out = new OutParams();
  for (;;) {
    const ok = k32.GetQueuedCompletionStatus(context.port, out.dword, out.key, out.pointer, k32.INFINITE) !== 0;
    if (out.pointerValue === 0) {
      if (ok) return; // the empty completion posted at stop
      throw new Win32Error('GetQueuedCompletionStatus', k32.GetLastError());
    }
    const id = out.keyValue;
    issue(sessions, overlapped, guard, tableAddress, control, id, sessions.complete(id, ok ? out.dwordValue : 0));
  }
}

/** Waits for clients off the port; each connected instance joins the port and gets its first read. */
export function listenForClients(context: PortThread): void {
  const sessions = attachSessions(context);
  const tableAddress = addressOf(sessions.bytes);
  const overlapped = new OverlappedTable(context.overlapped);
  const guard = new CancelGuard(context.guard);
  const control = new Int32Array(context.control);
  const out = new OutParams();
  const connectEvent = checkHandle('CreateEventW', k32.CreateEventW(null, 1, 0, null));
  // The listening instance's OVERLAPPED is this thread's own: it never reaches the port.
  const listenOverlapped = new OverlappedTable(1);
  listenOverlapped.setEvent(0, connectEvent);
  const waitList = new HandleArray(2);
  waitList.set(0, context.stopEvent);
  waitList.set(1, connectEvent);
  let listening = 0;
  let firstPipe = context.firstPipe;
  let connectedAtOnce = false;
  const listen = (): void => {
    ({ instance: listening, connectedAtOnce } = listenForClient(context.pipe, firstPipe, () => listenOverlapped.reset(0)));
    firstPipe = 0;
    if (connectedAtOnce) k32.SetEvent(connectEvent);
  };
  try {
    listen();
    parentPort!.postMessage('listening');
    for (;;) {
      const signalled = k32.WaitForMultipleObjects(2, waitList.address, 0, k32.INFINITE);
      if (signalled === k32.WAIT_OBJECT_0) break; // the stop event
      if (signalled !== k32.WAIT_OBJECT_0 + 1) throw new Win32Error('WaitForMultipleObjects', k32.GetLastError());
      k32.ResetEvent(connectEvent);
      const connected = connectedAtOnce || k32.GetOverlappedResult(listening, listenOverlapped.address(0), out.dword, 0) !== 0;
      const pipe = listening;
      listen(); // the next client needs a free instance while this one is served
      const id = connected ? sessions.open(pipe) : -1;
      if (id < 0) {
        k32.CloseHandle(pipe); // the client left already, or every session slot is taken
        continue;
      }
      guard.opened(id);
      if (k32.CreateIoCompletionPort(pipe, context.port, id, 0) === 0) {
        const error = new Win32Error('CreateIoCompletionPort', k32.GetLastError());
        issue(sessions, overlapped, guard, tableAddress, control, id, Next.CLOSE); // no I/O was issued: close it here
        throw error;
      }
      issue(sessions, overlapped, guard, tableAddress, control, id, Next.READ);
    }
  } finally {
    if (listening !== 0) {
      if (k32.CancelIoEx(listening, null) !== 0) k32.GetOverlappedResult(listening, listenOverlapped.address(0), out.dword, 1);
      k32.CloseHandle(listening);
    }
    k32.CloseHandle(connectEvent);
  }
}
