// The record store of PROTOCOL.md in one SharedArrayBuffer, so every thread of a
// server process sees the same records. One futex-style mutex (Atomics) guards it:
// single-threaded strategies pay an uncontended compare-and-swap, pooled ones contend.

export const DEFAULT_STORE_CAPACITY = 1_048_576;

import type { ServerKnobs } from './server-options';

// Header, in int32 slots.
const LOCK = 0;
const COUNT = 1;
const FREE_TOP = 2; // ids on the free stack
const NEXT_FRESH = 3; // lowest id never handed out
const CAPACITY = 4;
const HEADER_INTS = 8;
// Per record: a, b, live.
const RECORD_INTS = 3;

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;
const SPINS_BEFORE_WAIT = 64;

/** storeLatencyUs: blocks this long inside the lock on every transaction, like a slow disk-backed database. */
export type StoreOptions = Pick<ServerKnobs, 'storeLatencyUs'>;

export class RecordStore {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  private readonly ints: Int32Array;
  private readonly recordsAt: number;
  private readonly freeAt: number;
  private readonly latencyMs: number;
  private readonly sleeper: Int32Array;

  static create(capacity = DEFAULT_STORE_CAPACITY, options: StoreOptions = { storeLatencyUs: 0 }): RecordStore {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 0x7fffffff / (RECORD_INTS + 1)) {
      throw new RangeError(`store capacity must be an integer from 1 to ${Math.floor(0x7fffffff / 4)}, got ${capacity}`);
    }
    const buffer = new SharedArrayBuffer((HEADER_INTS + capacity * (RECORD_INTS + 1)) * 4);
    new Int32Array(buffer)[CAPACITY] = capacity;
    return new RecordStore(buffer, options);
  }

  /** Attaches to a store created elsewhere (another worker thread of the same server). */
  constructor(buffer: SharedArrayBuffer, options: StoreOptions = { storeLatencyUs: 0 }) {
    this.buffer = buffer;
    this.ints = new Int32Array(buffer);
    this.capacity = this.ints[CAPACITY];
    this.recordsAt = HEADER_INTS;
    this.freeAt = HEADER_INTS + this.capacity * RECORD_INTS;
    this.latencyMs = options.storeLatencyUs / 1000;
    this.sleeper = new Int32Array(new SharedArrayBuffer(4));
  }

  /** Adds a record; returns its id, or -1 when the store is full. */
  add(a: number, b: number): number {
    this.lock();
    try {
      this.simulateLatency();
      const ints = this.ints;
      let id: number;
      if (ints[FREE_TOP] > 0) {
        id = ints[this.freeAt + --ints[FREE_TOP]];
      } else if (ints[NEXT_FRESH] < this.capacity) {
        id = ints[NEXT_FRESH]++;
      } else {
        return -1;
      }
      const at = this.recordsAt + id * RECORD_INTS;
      ints[at] = a;
      ints[at + 1] = b;
      ints[at + 2] = 1;
      ints[COUNT]++;
      return id;
    } finally {
      this.unlock();
    }
  }

  /**
   * Copies record `id` into `out` at `offset` (a, then b, little-endian) and, when
   * `remove` is set, deletes it in the same critical section. False when no live record has that id.
   */
  read(id: number, remove: boolean, out: DataView, offset: number): boolean {
    this.lock();
    try {
      this.simulateLatency();
      if (id < 0 || id >= this.capacity) return false;
      const ints = this.ints;
      const at = this.recordsAt + id * RECORD_INTS;
      if (ints[at + 2] !== 1) return false;
      out.setInt32(offset, ints[at], true);
      out.setInt32(offset + 4, ints[at + 1], true);
      if (remove) {
        ints[at + 2] = 0;
        ints[this.freeAt + ints[FREE_TOP]++] = id;
        ints[COUNT]--;
      }
      return true;
    } finally {
      this.unlock();
    }
  }

  count(): number {
    this.lock();
    try {
      this.simulateLatency();
      return this.ints[COUNT];
    } finally {
      this.unlock();
    }
  }

  private simulateLatency(): void {
    if (this.latencyMs > 0) Atomics.wait(this.sleeper, 0, 0, this.latencyMs);
  }

  // Drepper's three-state mutex ("Futexes Are Tricky"), with a short spin first.
  private lock(): void {
    const ints = this.ints;
    let state = Atomics.compareExchange(ints, LOCK, UNLOCKED, LOCKED);
    if (state === UNLOCKED) return;
    for (let i = 0; i < SPINS_BEFORE_WAIT; i++) {
      if (Atomics.load(ints, LOCK) === UNLOCKED) {
        state = Atomics.compareExchange(ints, LOCK, UNLOCKED, LOCKED);
        if (state === UNLOCKED) return;
      }
    }
    if (state !== CONTENDED) state = Atomics.exchange(ints, LOCK, CONTENDED);
    while (state !== UNLOCKED) {
      Atomics.wait(ints, LOCK, CONTENDED);
      state = Atomics.exchange(ints, LOCK, CONTENDED);
    }
  }

  private unlock(): void {
    if (Atomics.sub(this.ints, LOCK, 1) !== LOCKED) {
      Atomics.store(this.ints, LOCK, UNLOCKED);
      Atomics.notify(this.ints, LOCK, 1);
    }
  }
}
