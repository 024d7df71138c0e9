// io_uring without liburing (whose helpers are inline, out of an FFI's reach): the
// two raw syscalls, the rings mapped once and read through typed arrays. One
// thread owns a ring: it prepares SQEs, then submits them and waits for
// completions in the same io_uring_enter call.

import koffi from '../koffi';
import * as libc from './libc';

export const IORING_OP_ASYNC_CANCEL = 14;
export const IORING_OP_ACCEPT = 13;
export const IORING_OP_READ = 22;
export const IORING_OP_SEND = 26;
export const IORING_OP_RECV = 27;

const IORING_SETUP_CQSIZE = 1 << 3;
const IORING_SETUP_CLAMP = 1 << 4;
/** Only the creating thread submits, and completions are processed when it asks for them (Linux 6.1). */
export const IORING_SETUP_SINGLE_ISSUER = 1 << 12;
export const IORING_SETUP_DEFER_TASKRUN = 1 << 13;
const IORING_FEAT_SINGLE_MMAP = 1 << 0;
/** Linux 5.7: a socket operation that cannot complete at once waits on a poll, not on a kernel worker thread. */
export const IORING_FEAT_FAST_POLL = 1 << 5;
const IOSQE_IO_LINK = 1 << 2;
const IORING_ENTER_GETEVENTS = 1 << 0;
const IORING_OFF_SQES = 0x10000000;

const PARAMS_BYTES = 120;
const SQE_BYTES = 64;
const CQE_BYTES = 16;
const SQE_INTS = SQE_BYTES / 4;
const CQE_INTS = CQE_BYTES / 4;
// io_uring_params fields (bytes); sq_off at 40, cq_off at 80.
const P_SQ_ENTRIES = 0;
const P_CQ_ENTRIES = 4;
const P_FLAGS = 8;
const P_FEATURES = 20;
const SQ_OFF = 40;
const CQ_OFF = 80;

/** Called once per completion: the two halves of its user_data and its result (bytes, a new fd, or -errno). */
export type CompletionHandler = (dataLow: number, dataHigh: number, result: number) => void;

export class IoUring {
  readonly fd: number;
  private readonly ringAddress: bigint;
  private readonly ringBytes: number;
  private readonly sqesAddress: bigint;
  private readonly sqesBytes: number;
  private readonly ring: Int32Array; // the SQ and CQ rings (SINGLE_MMAP), indexed in 4-byte units
  private readonly sqes: Int32Array;
  private readonly sqTail: number;
  private readonly sqMask: number;
  private readonly sqEntries: number;
  private readonly cqHead: number;
  private readonly cqTail: number;
  private readonly cqMask: number;
  private readonly cqes: number;
  private tail = 0; // SQ tail as prepared, published on enter
  private head = 0; // CQ head as consumed
  private pending = 0; // SQEs prepared but not yet submitted
  /** IORING_FEAT_* the kernel offers. */
  readonly features: number;

  /**
   * Throws OsError naming the errno when the kernel refuses (ENOSYS: too old, EPERM:
   * disabled or seccomp, EINVAL: a setup flag it does not know).
   */
  constructor(entries: number, completionEntries: number, setupFlags = 0) {
    const params = new Uint8Array(new SharedArrayBuffer(PARAMS_BYTES));
    const p = new DataView(params.buffer);
    p.setUint32(P_CQ_ENTRIES, completionEntries, true);
    p.setUint32(P_FLAGS, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | setupFlags, true);
    this.fd = libc.check('io_uring_setup', libc.io_uring_setup(libc.SYS_io_uring_setup, entries, params));
    this.features = p.getUint32(P_FEATURES, true);
    try {
      if ((p.getUint32(P_FEATURES, true) & IORING_FEAT_SINGLE_MMAP) === 0) {
        throw new Error('io_uring lacks IORING_FEAT_SINGLE_MMAP (Linux 5.4 or later is needed)');
      }
      const sqEntries = p.getUint32(P_SQ_ENTRIES, true);
      const cqEntries = p.getUint32(P_CQ_ENTRIES, true);
      const sqArray = p.getUint32(SQ_OFF + 24, true);
      const cqesAt = p.getUint32(CQ_OFF + 20, true);
      this.ringBytes = Math.max(sqArray + sqEntries * 4, cqesAt + cqEntries * CQE_BYTES);
      this.ringAddress = this.map(this.ringBytes, 0);
      this.sqesBytes = sqEntries * SQE_BYTES;
      try {
        this.sqesAddress = this.map(this.sqesBytes, IORING_OFF_SQES);
      } catch (error) {
        libc.munmap(this.ringAddress, this.ringBytes);
        throw error;
      }
      this.ring = new Int32Array(koffi.view(this.ringAddress, this.ringBytes));
      this.sqes = new Int32Array(koffi.view(this.sqesAddress, this.sqesBytes));
      this.sqEntries = sqEntries;
      this.sqTail = p.getUint32(SQ_OFF + 4, true) / 4;
      this.sqMask = this.ring[p.getUint32(SQ_OFF + 8, true) / 4];
      this.cqHead = p.getUint32(CQ_OFF, true) / 4;
      this.cqTail = p.getUint32(CQ_OFF + 4, true) / 4;
      this.cqMask = this.ring[p.getUint32(CQ_OFF + 8, true) / 4];
      this.cqes = cqesAt / 4;
      // SQE i always sits in SQ array slot i, so the indirection is written once.
      for (let i = 0; i < sqEntries; i++) this.ring[sqArray / 4 + i] = i;
      this.tail = this.ring[this.sqTail];
      this.head = this.ring[this.cqHead];
    } catch (error) {
      libc.close(this.fd);
      throw error;
    }
  }

  /**
   * Queues one operation: `address` is a fixed buffer address (a Number), `offset`
   * the file offset (0 for sockets), `opFlags` the op's flags word (msg_flags,
   * accept_flags, cancel_flags). Submitted by the next submitAndWait().
   */
  prepare(opcode: number, fd: number, address: number, length: number, opFlags: number, dataLow: number, dataHigh: number): void {
    while (this.pending === this.sqEntries) this.enter(0);
    const at = (this.tail & this.sqMask) * SQE_INTS;
    const sqes = this.sqes;
    sqes[at] = opcode; // flags, ioprio: 0
    sqes[at + 1] = fd;
    sqes[at + 2] = 0; // off
    sqes[at + 3] = 0;
    sqes[at + 4] = address % 0x100000000; // addr, little-endian halves
    sqes[at + 5] = Math.floor(address / 0x100000000);
    sqes[at + 6] = length;
    sqes[at + 7] = opFlags;
    sqes[at + 8] = dataLow; // user_data
    sqes[at + 9] = dataHigh;
    sqes.fill(0, at + 10, at + SQE_INTS);
    this.tail = (this.tail + 1) | 0;
    this.pending++;
  }

  /** Queues a cancellation of the operation whose user_data is (targetLow, targetHigh). */
  prepareCancel(targetLow: number, targetHigh: number, dataLow: number, dataHigh: number): void {
    this.prepare(IORING_OP_ASYNC_CANCEL, -1, 0, 0, 0, dataLow, dataHigh);
    const at = (((this.tail - 1) | 0) & this.sqMask) * SQE_INTS;
    this.sqes[at + 4] = targetLow;
    this.sqes[at + 5] = targetHigh;
  }

  /** Links the SQE prepared last to the next one: the next starts only after it completed in full. */
  linkLast(): void {
    this.sqes[(((this.tail - 1) | 0) & this.sqMask) * SQE_INTS] |= IOSQE_IO_LINK << 8;
  }

  /** Sets the length of the SQE prepared `back` places before the last (0: the last), for requeue(). */
  setLength(back: number, length: number): void {
    this.sqes[(((this.tail - 1 - back) | 0) & this.sqMask) * SQE_INTS + 6] = length;
  }

  /**
   * Queues again the last `count` SQEs as they stand (the kernel has read them by
   * the time io_uring_enter returns). Only when `count` is the ring's size do
   * they sit in the slots the new tail points at, so that is the one use allowed.
   */
  requeue(count: number): void {
    if (count !== this.sqEntries || this.pending !== 0) throw new Error(`requeue(${count}) needs a ring of ${count} entries with nothing pending`);
    this.tail = (this.tail + count) | 0;
    this.pending = count;
  }

  /** Completions posted and not yet drained. */
  ready(): number {
    return (Atomics.load(this.ring, this.cqTail) - this.head) | 0;
  }

  /** Submits what was prepared and waits until at least `minComplete` completions are posted (EINTR returns early). */
  submitAndWait(minComplete: number): void {
    this.enter(minComplete);
  }

  /** Hands every posted completion to `handler`, in order, and frees their CQ slots. */
  drain(handler: CompletionHandler): void {
    const ring = this.ring;
    let head = this.head;
    for (let tail = Atomics.load(ring, this.cqTail); head !== tail; tail = Atomics.load(ring, this.cqTail)) {
      while (head !== tail) {
        const at = this.cqes + (head & this.cqMask) * CQE_INTS;
        head = (head + 1) | 0;
        handler(ring[at], ring[at + 1], ring[at + 2]);
      }
      Atomics.store(ring, this.cqHead, head);
    }
    this.head = head;
  }

  /** Unmaps the rings and closes the ring; the kernel cancels whatever is still in flight. */
  close(): void {
    libc.munmap(this.sqesAddress, this.sqesBytes);
    libc.munmap(this.ringAddress, this.ringBytes);
    libc.close(this.fd);
  }

  private enter(minComplete: number): void {
    Atomics.store(this.ring, this.sqTail, this.tail);
    const result = libc.io_uring_enter(libc.SYS_io_uring_enter, this.fd, this.pending, minComplete, minComplete > 0 ? IORING_ENTER_GETEVENTS : 0, null, 0);
    if (result >= 0) {
      this.pending -= result;
      return;
    }
    const code = libc.lastErrno();
    if (code !== libc.EINTR) throw new libc.OsError('io_uring_enter', code);
  }

  private map(bytes: number, offset: number): bigint {
    const address = libc.mmap(null, bytes, libc.PROT_READ | libc.PROT_WRITE, libc.MAP_SHARED | libc.MAP_POPULATE, this.fd, offset);
    if (address === MAP_FAILED) throw new libc.OsError('mmap', libc.lastErrno(), 'io_uring rings');
    return address;
  }
}

const MAP_FAILED = BigInt.asUintN(64, -1n);
