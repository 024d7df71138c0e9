// completion-routines: one thread. A free pipe instance waits in an overlapped
// ConnectNamedPipe whose event the thread waits on ALERTABLY
// (WaitForMultipleObjectsEx, bAlertable TRUE, with the stop event). Connected
// instances are driven by ReadFileEx/WriteFileEx: the kernel queues the ONE
// registered completion routine as an APC, which runs on this thread during the
// alertable wait, finds the session from the OVERLAPPED address, asks the session
// machine what comes next and issues it. The wait returns WAIT_IO_COMPLETION after
// running routines; nothing else has to be done then.

import { parentPort } from 'node:worker_threads';
import koffi from '../koffi';
import type { RunningServer, ServerOptions } from '../types';
import { Next, NextIo } from '../session';
import type { SessionTable } from '../session';
import * as k32 from './kernel32';
import { Win32Error, checkHandle } from './errors';
import { HandleArray, OutParams, OverlappedTable, addressOf } from './memory';
import { claimPipe, listenForClient, PipeSpec, releasePipe } from './named-pipe';
import { attachSessions, firstMessage, createThreadContext, joinThread, requestStop, spawnThread, ThreadContext } from '../threads';

interface RoutineThread extends ThreadContext {
  pipe: PipeSpec;
  /** The server's first instance (claimPipe): the first one the listener waits on. */
  firstPipe: number;
  stopEvent: number;
}

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const { pipe, first } = claimPipe(options.address, true);
  const stopEvent = checkHandle('CreateEventW', k32.CreateEventW(null, 1, 0, null));
  const context: RoutineThread = { ...createThreadContext(sessions, options), pipe, firstPipe: first, stopEvent };
  const worker = spawnThread(module, serveWithRoutines, context);
  const thread = joinThread(worker);
  // The first instance exists before start() resolves.
  await firstMessage(worker);
  return {
    async stop() {
      requestStop(context);
      k32.SetEvent(stopEvent);
      try {
        await thread;
      } finally {
        k32.CloseHandle(stopEvent);
        releasePipe(pipe);
      }
    },
  };
}

export function serveWithRoutines(context: RoutineThread): void {
  const sessions = attachSessions(context);
  const tableAddress = addressOf(sessions.bytes);
  const out = new OutParams();
  // One OVERLAPPED per session slot (index = session id) plus one for the listening instance.
  const listenIndex = sessions.maxSessions;
  const overlapped = new OverlappedTable(sessions.maxSessions + 1);
  const connectEvent = checkHandle('CreateEventW', k32.CreateEventW(null, 1, 0, null));
  overlapped.setEvent(listenIndex, connectEvent);
  const waitList = new HandleArray(2);
  waitList.set(0, context.stopEvent);
  waitList.set(1, connectEvent);
  const lastWasWrite = new Uint8Array(sessions.maxSessions);
  let pending = 0; // ReadFileEx/WriteFileEx whose routine has not run yet
  let stopping = false;

  // Starts the step the session machine asked for; a CLOSE (or a failed call) ends the session.
  const issue = (id: number, next: NextIo): void => {
    if (next !== Next.CLOSE && !stopping) {
      const pipe = sessions.handle(id);
      const at = tableAddress + sessions.ioOffset(id);
      const length = sessions.ioLength(id);
      const ov = overlapped.reset(id);
      lastWasWrite[id] = next === Next.WRITE ? 1 : 0;
      const ok = next === Next.READ ? k32.ReadFileEx(pipe, at, length, ov, routinePointer) : k32.WriteFileEx(pipe, at, length, ov, routinePointer);
      if (ok !== 0) {
        pending++;
        return;
      }
    }
    // CloseHandle (not DisconnectNamedPipe) keeps a last reply readable by the client.
    k32.CloseHandle(sessions.handle(id));
    sessions.release(id);
  };

  const routine: k32.CompletionRoutine = (errorCode, bytesTransferred, ovAddress) => {
    pending--;
    const id = overlapped.indexOf(ovAddress);
    issue(id, sessions.complete(id, errorCode === 0 ? bytesTransferred : 0));
  };
  const routinePointer = koffi.register(routine, k32.LPOVERLAPPED_COMPLETION_ROUTINE);

  let listening = 0;
  let firstPipe = context.firstPipe;
  let connectedAtOnce = false;
  // Opens a fresh instance and waits for a client on it; a client already there signals nothing, so say so ourselves.
  const listen = (): void => {
    ({ instance: listening, connectedAtOnce } = listenForClient(context.pipe, firstPipe, () => overlapped.reset(listenIndex)));
    firstPipe = 0;
    if (connectedAtOnce) k32.SetEvent(connectEvent);
  };

  try {
    listen();
    parentPort!.postMessage('listening');
    for (;;) {
      const signalled = k32.WaitForMultipleObjectsEx(2, waitList.address, 0, k32.INFINITE, 1);
      if (signalled === k32.WAIT_IO_COMPLETION) continue; // completion routines ran
      if (signalled === k32.WAIT_OBJECT_0) break; // the stop event
      if (signalled !== k32.WAIT_OBJECT_0 + 1) throw new Win32Error('WaitForMultipleObjectsEx', k32.GetLastError());
      k32.ResetEvent(connectEvent);
      const connected = connectedAtOnce || k32.GetOverlappedResult(listening, overlapped.address(listenIndex), out.dword, 0) !== 0;
      const pipe = listening;
      listen(); // the next client needs a free instance while this one is served
      const id = connected ? sessions.open(pipe) : -1;
      if (id < 0) k32.CloseHandle(pipe); // the client left already, or every session slot is taken
      else issue(id, Next.READ);
    }
  } finally {
    // Stop: cancel every pending operation, then let the routines run (with ERROR_OPERATION_ABORTED)
    // so the OS is done with each OVERLAPPED and buffer before anything is closed.
    stopping = true;
    if (listening !== 0) {
      if (k32.CancelIoEx(listening, null) !== 0) k32.GetOverlappedResult(listening, overlapped.address(listenIndex), out.dword, 1);
      k32.CloseHandle(listening);
    }
    for (let id = 0; id < sessions.maxSessions; id++) {
      if (sessions.state(id) !== 0) k32.CancelIoEx(sessions.handle(id), null);
    }
    while (pending > 0) k32.SleepEx(k32.INFINITE, 1);
    koffi.unregister(routinePointer);
    k32.CloseHandle(connectEvent);
  }
}
