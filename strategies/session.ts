// The per-client session state machine of PROTOCOL.md, written once and driven by
// every strategy. It knows nothing of sockets or pipes: a strategy asks where the
// next I/O goes (ioOffset/ioLength into `bytes`), performs it however it waits,
// and reports how many bytes moved (complete). The machine executes a transaction
// only when its command and argument are whole, so a torn one changes nothing.
//
// Every session lives in a fixed slot of one SharedArrayBuffer, keyed by a stable
// id, with its small I/O buffer inside the slot: any thread of the server can
// continue any session, and the OS may read or write the buffer at a fixed address.

import { argumentBytes, COMMAND_BYTES, Command, isKnownCommand, resultBytes, Status, STATUS_BYTES } from './protocol';
import { RecordStore } from './store';
import { burnCpu, calibrateBurn } from './cpu-burn';
import type { ServerKnobs } from './server-options';

export const Next = {
  READ: 1,
  WRITE: 2,
  CLOSE: 3,
} as const;
export type NextIo = (typeof Next)[keyof typeof Next];

export const SessionState = {
  FREE: 0,
  READ_COMMAND: 1,
  READ_ARGUMENT: 2,
  WRITE_STATUS: 3,
  WRITE_RESULT: 4,
  CLOSED: 5,
} as const;

export const SLOT_BYTES = 64;
const TABLE_HEADER_BYTES = SLOT_BYTES;
// Int32 fields of a slot.
const F_STATE = 0;
const F_COMMAND = 1;
const F_DONE = 2; // bytes transferred so far in the current step
const F_RESULT_LEN = 3;
const F_CLOSING = 4;
const F_IN_USE = 5;
const F_HANDLE = 6; // the strategy's fd or HANDLE for this session
// Byte offsets of the I/O buffers inside a slot.
const IN = 32; // command, then argument
const OUT = 44; // status, then result

export const DEFAULT_MAX_SESSIONS = 4096;

/** cpuUs: CPU the server burns per transaction, like a complex query. */
export type SessionConfig = Pick<ServerKnobs, 'cpuUs'>;

export interface SharedSessionMemory {
  sessions: SharedArrayBuffer;
  store: SharedArrayBuffer;
}

export class SessionTable {
  readonly buffer: SharedArrayBuffer;
  /** The whole table; ioOffset() indexes into it. Its address never moves. */
  readonly bytes: Uint8Array;
  readonly maxSessions: number;
  readonly store: RecordStore;
  private readonly ints: Int32Array;
  private readonly view: DataView;
  private readonly cpuMs: number;

  static create(store: RecordStore, maxSessions = DEFAULT_MAX_SESSIONS, config: SessionConfig = { cpuUs: 0 }): SessionTable {
    const buffer = new SharedArrayBuffer(TABLE_HEADER_BYTES + maxSessions * SLOT_BYTES);
    new Int32Array(buffer)[0] = maxSessions;
    return new SessionTable(buffer, store, config);
  }

  /** Attaches to a table created elsewhere (another thread of the same server). */
  constructor(buffer: SharedArrayBuffer, store: RecordStore, config: SessionConfig = { cpuUs: 0 }) {
    this.buffer = buffer;
    this.bytes = new Uint8Array(buffer);
    this.ints = new Int32Array(buffer);
    this.view = new DataView(buffer);
    this.maxSessions = this.ints[0];
    this.store = store;
    this.cpuMs = config.cpuUs / 1000;
    if (this.cpuMs > 0) calibrateBurn(); // now, not inside the first transaction
  }

  get shared(): SharedSessionMemory {
    return { sessions: this.buffer, store: this.store.buffer };
  }

  /** Claims a free slot for a new connection and starts it at "read command"; -1 when every slot is taken. */
  open(handle: number): number {
    const ints = this.ints;
    const hint = Atomics.load(ints, 1);
    for (let i = 0; i < this.maxSessions; i++) {
      const id = (hint + i) % this.maxSessions;
      const base = this.fieldBase(id);
      if (Atomics.compareExchange(ints, base + F_IN_USE, 0, 1) === 0) {
        Atomics.store(ints, 1, (id + 1) % this.maxSessions);
        ints[base + F_STATE] = SessionState.READ_COMMAND;
        ints[base + F_COMMAND] = 0;
        ints[base + F_DONE] = 0;
        ints[base + F_RESULT_LEN] = 0;
        ints[base + F_CLOSING] = 0;
        ints[base + F_HANDLE] = handle;
        return id;
      }
    }
    return -1;
  }

  /** Returns the slot for reuse. The strategy closes its own handle. */
  release(id: number): void {
    const base = this.fieldBase(id);
    this.ints[base + F_STATE] = SessionState.FREE;
    Atomics.store(this.ints, base + F_IN_USE, 0);
  }

  handle(id: number): number {
    return this.ints[this.fieldBase(id) + F_HANDLE];
  }

  state(id: number): number {
    return this.ints[this.fieldBase(id) + F_STATE];
  }

  /** What the current step needs: READ, WRITE or CLOSE. */
  next(id: number): NextIo {
    const state = this.ints[this.fieldBase(id) + F_STATE];
    if (state === SessionState.READ_COMMAND || state === SessionState.READ_ARGUMENT) return Next.READ;
    if (state === SessionState.WRITE_STATUS || state === SessionState.WRITE_RESULT) return Next.WRITE;
    return Next.CLOSE;
  }

  /** Byte offset in `bytes` where the next read lands or the next write starts. */
  ioOffset(id: number): number {
    const base = this.fieldBase(id);
    const slot = TABLE_HEADER_BYTES + id * SLOT_BYTES;
    const done = this.ints[base + F_DONE];
    switch (this.ints[base + F_STATE]) {
      case SessionState.READ_COMMAND:
        return slot + IN + done;
      case SessionState.READ_ARGUMENT:
        return slot + IN + COMMAND_BYTES + done;
      case SessionState.WRITE_STATUS:
        return slot + OUT + done;
      default:
        return slot + OUT + STATUS_BYTES + done;
    }
  }

  /** Bytes still to move in the current step (0 once closed). */
  ioLength(id: number): number {
    const base = this.fieldBase(id);
    const done = this.ints[base + F_DONE];
    switch (this.ints[base + F_STATE]) {
      case SessionState.READ_COMMAND:
        return COMMAND_BYTES - done;
      case SessionState.READ_ARGUMENT:
        return argumentBytes(this.ints[base + F_COMMAND]) - done;
      case SessionState.WRITE_STATUS:
        return STATUS_BYTES - done;
      case SessionState.WRITE_RESULT:
        return this.ints[base + F_RESULT_LEN] - done;
      default:
        return 0;
    }
  }

  /**
   * Reports that `transferred` bytes of the current step moved (0 or less: end of
   * stream or an error, which ends the session). Executes the transaction when its
   * request is whole. Returns what to do next.
   */
  complete(id: number, transferred: number): NextIo {
    const ints = this.ints;
    const base = this.fieldBase(id);
    const state = ints[base + F_STATE];
    if (transferred <= 0 || state === SessionState.CLOSED || state === SessionState.FREE) {
      ints[base + F_STATE] = SessionState.CLOSED;
      return Next.CLOSE;
    }
    if (transferred < this.ioLength(id)) {
      ints[base + F_DONE] += transferred;
      return state <= SessionState.READ_ARGUMENT ? Next.READ : Next.WRITE;
    }
    ints[base + F_DONE] = 0;
    const slot = TABLE_HEADER_BYTES + id * SLOT_BYTES;
    switch (state) {
      case SessionState.READ_COMMAND: {
        const command = this.view.getInt32(slot + IN, true);
        ints[base + F_COMMAND] = command;
        if (isKnownCommand(command) && argumentBytes(command) > 0) {
          ints[base + F_STATE] = SessionState.READ_ARGUMENT;
          return Next.READ;
        }
        this.execute(base, slot, command);
        return Next.WRITE;
      }
      case SessionState.READ_ARGUMENT:
        this.execute(base, slot, ints[base + F_COMMAND]);
        return Next.WRITE;
      case SessionState.WRITE_STATUS:
        if (ints[base + F_RESULT_LEN] > 0) {
          ints[base + F_STATE] = SessionState.WRITE_RESULT;
          return Next.WRITE;
        }
        return this.afterResponse(base);
      default:
        return this.afterResponse(base);
    }
  }

  private afterResponse(base: number): NextIo {
    if (this.ints[base + F_CLOSING] === 1) {
      this.ints[base + F_STATE] = SessionState.CLOSED;
      return Next.CLOSE;
    }
    this.ints[base + F_STATE] = SessionState.READ_COMMAND;
    return Next.READ;
  }

  private execute(base: number, slot: number, command: number): void {
    const view = this.view;
    const argAt = slot + IN + COMMAND_BYTES;
    const resultAt = slot + OUT + STATUS_BYTES;
    let status: number = Status.OK;
    if (this.cpuMs > 0) burnCpu(this.cpuMs);
    switch (command) {
      case Command.ADD: {
        const id = this.store.add(view.getInt32(argAt, true), view.getInt32(argAt + 4, true));
        if (id < 0) status = Status.FULL;
        else view.setInt32(resultAt, id, true);
        break;
      }
      case Command.DELETE:
      case Command.RETRIEVE:
        if (!this.store.read(view.getInt32(argAt, true), command === Command.DELETE, view, resultAt)) status = Status.NOT_FOUND;
        break;
      case Command.COUNT:
        view.setInt32(resultAt, this.store.count(), true);
        break;
      case Command.BYE:
        this.ints[base + F_CLOSING] = 1;
        break;
      default:
        // The argument's length is unknowable, so the stream cannot be resynchronised.
        status = Status.BAD_COMMAND;
        this.ints[base + F_CLOSING] = 1;
    }
    view.setInt32(slot + OUT, status, true);
    this.ints[base + F_RESULT_LEN] = status === Status.OK ? resultBytes(command) : 0;
    this.ints[base + F_STATE] = SessionState.WRITE_STATUS;
  }

  private fieldBase(id: number): number {
    return (TABLE_HEADER_BYTES + id * SLOT_BYTES) / 4;
  }
}
