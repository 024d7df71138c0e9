// Memory the OS reads or writes after a call has returned (OVERLAPPEDs, handle
// arrays, out-parameters): SharedArrayBuffer-backed, so it never moves and every
// thread of the process sees it at the same address.

import koffi from '../koffi';

/** OVERLAPPED: Internal@0, InternalHigh@8, Offset@16, OffsetHigh@20, hEvent@24. */
export const OVERLAPPED_BYTES = 32;

/** The fixed address of memory the OS may use after a call returns (SharedArrayBuffer-backed). */
export function addressOf(bytes: Uint8Array | BigInt64Array | Uint32Array): number {
  return Number(koffi.address(bytes));
}

/**
 * One thread's out-parameters (DWORD counts, completion keys, OVERLAPPED
 * pointers) at a fixed address, so a call passes Numbers and allocates nothing.
 */
export class OutParams {
  private readonly words: BigInt64Array;
  private readonly dwords: Uint32Array;
  /** Address of a DWORD. */
  readonly dword: number;
  /** Address of a 64-bit slot (ULONG_PTR completion key). */
  readonly key: number;
  /** Address of a 64-bit slot (LPOVERLAPPED). */
  readonly pointer: number;

  constructor() {
    const buffer = new SharedArrayBuffer(24);
    this.words = new BigInt64Array(buffer);
    this.dwords = new Uint32Array(buffer);
    this.dword = addressOf(this.dwords);
    this.key = this.dword + 8;
    this.pointer = this.dword + 16;
  }

  get dwordValue(): number {
    return this.dwords[0];
  }
  get keyValue(): number {
    return Number(this.words[1]);
  }
  get pointerValue(): number {
    return Number(this.words[2]);
  }
}

/**
 * OVERLAPPED structures, one per pipe instance, in a SharedArrayBuffer: they never
 * move, every thread of the server sees them at the same address, and the
 * instance index of a completed OVERLAPPED is (address - base) / 32.
 */
export class OverlappedTable {
  readonly buffer: SharedArrayBuffer;
  readonly base: number;
  readonly count: number;
  private readonly words: BigInt64Array;

  constructor(countOrBuffer: number | SharedArrayBuffer) {
    this.buffer = typeof countOrBuffer === 'number' ? new SharedArrayBuffer(countOrBuffer * OVERLAPPED_BYTES) : countOrBuffer;
    this.words = new BigInt64Array(this.buffer);
    this.base = addressOf(this.words);
    this.count = this.buffer.byteLength / OVERLAPPED_BYTES;
  }

  address(index: number): number {
    return this.base + index * OVERLAPPED_BYTES;
  }

  /** The instance an OVERLAPPED address belongs to, or -1 when it is none of ours. */
  indexOf(address: number): number {
    const offset = address - this.base;
    return offset >= 0 && offset < this.count * OVERLAPPED_BYTES && offset % OVERLAPPED_BYTES === 0 ? offset / OVERLAPPED_BYTES : -1;
  }

  /** Clears Internal/InternalHigh/Offset before the next operation, keeping hEvent. */
  reset(index: number): number {
    const at = index * 4;
    this.words[at] = 0n;
    this.words[at + 1] = 0n;
    this.words[at + 2] = 0n;
    return this.base + index * OVERLAPPED_BYTES;
  }

  setEvent(index: number, event: number): void {
    this.words[index * 4 + 3] = BigInt(event);
  }
}

/** An array of HANDLEs at a fixed address, for WaitForMultipleObjects(Ex). */
export class HandleArray {
  private readonly handles: BigInt64Array;
  readonly address: number;

  constructor(length: number) {
    this.handles = new BigInt64Array(new SharedArrayBuffer(Math.max(1, length) * 8));
    this.address = addressOf(this.handles);
  }

  set(index: number, handle: number): void {
    this.handles[index] = BigInt(handle);
  }
}
