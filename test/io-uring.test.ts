// The raw io_uring wrapper: a read completes into fixed memory with its user_data,
// and a refused setup names the errno.

import type * as IoUringModule from '../strategies/posix/io-uring';
import type * as Libc from '../strategies/posix/libc';
import { onlyOn } from './support/spawned';

const EFD_SEMAPHORE = 1;
const linux = onlyOn('linux', 'io_uring and eventfd are Linux kernel interfaces (libc through koffi)');
// Loaded only where they exist: libc.so.6 is not there to bind elsewhere.
const { IORING_OP_READ, IoUring } = (linux.runs ? require('../strategies/posix/io-uring') : {}) as typeof IoUringModule;
const libc = (linux.runs ? require('../strategies/posix/libc') : {}) as typeof Libc;

linux.describe('IoUring', () => {
  test('a READ of an eventfd completes into a fixed buffer with its user_data', () => {
    const ring = new IoUring(8, 16);
    const fd = libc.check('eventfd', libc.eventfd(0, libc.EFD_CLOEXEC));
    try {
      const value = new Uint8Array(new SharedArrayBuffer(8));
      ring.prepare(IORING_OP_READ, fd, libc.addressOf(value), 8, 0, 1234, 7);
      libc.check('eventfd_write', libc.eventfd_write(fd, 42));
      ring.submitAndWait(1);
      const seen: number[][] = [];
      ring.drain((low, high, result) => seen.push([low, high, result]));
      expect(seen).toEqual([[1234, 7, 8]]);
      expect(new DataView(value.buffer).getBigUint64(0, true)).toBe(42n);
    } finally {
      libc.close(fd);
      ring.close();
    }
  });

  test('more operations than submission entries are all submitted', () => {
    const ring = new IoUring(4, 64);
    const fd = libc.check('eventfd', libc.eventfd(0, libc.EFD_CLOEXEC | EFD_SEMAPHORE));
    try {
      libc.check('eventfd_write', libc.eventfd_write(fd, 10)); // ten reads of 1 each
      const values = new Uint8Array(new SharedArrayBuffer(10 * 8));
      for (let i = 0; i < 10; i++) ring.prepare(IORING_OP_READ, fd, libc.addressOf(values) + 8 * i, 8, 0, i, 0);
      const seen: number[] = [];
      while (seen.length < 10) {
        ring.submitAndWait(1);
        ring.drain((low, _high, result) => {
          expect(result).toBe(8);
          seen.push(low);
        });
      }
      expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(Array.from(new BigUint64Array(values.buffer))).toEqual(Array(10).fill(1n));
    } finally {
      libc.close(fd);
      ring.close();
    }
  });

  test('a refused setup throws OsError naming the errno', () => {
    expect(() => new IoUring(0, 0)).toThrow(/io_uring_setup failed: EINVAL \(22\)/);
  });
});
