// sequential: ONE pipe instance (nMaxInstances 1), one client at a time. Connect,
// serve it to the end with blocking ReadFile/WriteFile, flush, disconnect, connect
// the next. Every other client waits in WaitNamedPipeW: the convoy the other
// strategies exist to avoid.

import type { RunningServer, ServerOptions } from '../types';
import type { SessionTable } from '../session';
import * as k32 from './kernel32';
import { OutParams, addressOf } from './memory';
import { claimPipe, connectBlocking, disconnectAfterFlush, releasePipe, serveBlocking } from './named-pipe';
import { attachSessions, createThreadContext, joinThread, requestStop, spawnThread, stopRequested, ThreadContext } from '../threads';

interface SequentialThread extends ThreadContext {
  pipe: number;
}

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const { pipe: spec, first: pipe } = claimPipe(options.address, false, 1);
  const context: SequentialThread = { ...createThreadContext(sessions, options), pipe };
  // The serving loop blocks in native calls, so it runs off the main thread, which stays free for signals.
  const thread = joinThread(spawnThread(module, serveOneAtATime, context));
  return {
    async stop() {
      requestStop(context);
      // Wakes the thread wherever it blocks: ConnectNamedPipe, ReadFile, WriteFile or FlushFileBuffers
      // (ERROR_OPERATION_ABORTED). Repeated until it has seen the stop flag, in case it was between calls.
      const woken = setInterval(() => k32.CancelIoEx(pipe, null), 20);
      k32.CancelIoEx(pipe, null);
      try {
        await thread;
      } finally {
        clearInterval(woken);
        k32.CloseHandle(pipe);
        releasePipe(spec);
      }
    },
  };
}

export function serveOneAtATime(context: SequentialThread): void {
  const sessions = attachSessions(context);
  const tableAddress = addressOf(sessions.bytes);
  const out = new OutParams();
  const control = new Int32Array(context.control);
  const pipe = context.pipe;
  while (!stopRequested(control)) {
    if (!connectBlocking(pipe)) {
      k32.DisconnectNamedPipe(pipe);
      continue;
    }
    const id = sessions.open(pipe);
    if (id >= 0) {
      serveBlocking(sessions, id, pipe, tableAddress, out);
      sessions.release(id);
    }
    disconnectAfterFlush(pipe);
  }
}
