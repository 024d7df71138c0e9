// Stop cancels a session's blocked I/O from the main thread (CancelIoEx) while the
// thread serving it may be closing its handle. Windows reuses a closed handle's
// value at once, so a CancelIoEx on a value read just before its CloseHandle can
// cancel the I/O of whatever the process opened next under that value (libuv's
// pipes, the harness's IPC channel). One Int32 per session slot, shared by every
// thread of the server, orders the two: the canceller pins an open slot for the
// length of one CancelIoEx; the closer marks it closed, first waiting out a pin.
// Only real Windows can show the race (it needs a handle value reused within one
// call); the stop tests under Wine check what it must not break.

import * as k32 from './kernel32';
import type { SessionTable } from '../session';

const OPEN = 0;
const PINNED = 1;
const CLOSED = 2;

export class CancelGuard {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;

  /** A fresh guard for `sessions` slots, all closed; or another thread's view of `buffer`. */
  constructor(sessionsOrBuffer: number | SharedArrayBuffer) {
    const fresh = typeof sessionsOrBuffer === 'number';
    this.buffer = fresh ? new SharedArrayBuffer(sessionsOrBuffer * 4) : sessionsOrBuffer;
    this.slots = new Int32Array(this.buffer);
    if (fresh) this.slots.fill(CLOSED);
  }

  /** The session's handle is open and its owner has not yet issued I/O on it. */
  opened(id: number): void {
    Atomics.store(this.slots, id, OPEN);
  }

  /** Before CloseHandle: waits while a CancelIoEx holds the slot, then lets no other start. */
  closing(id: number): void {
    for (;;) {
      const was = Atomics.compareExchange(this.slots, id, OPEN, CLOSED);
      if (was !== PINNED) return;
      Atomics.wait(this.slots, id, PINNED);
    }
  }

  /** Stop: cancels the I/O of session `id` unless its owner has closed the handle (read only once pinned). */
  cancel(id: number, sessions: SessionTable): void {
    if (Atomics.compareExchange(this.slots, id, OPEN, PINNED) !== OPEN) return;
    k32.CancelIoEx(sessions.handle(id), null);
    Atomics.store(this.slots, id, OPEN);
    Atomics.notify(this.slots, id);
  }
}
