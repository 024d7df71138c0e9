// Preloaded (node --require) into a `pipebench serve` child to make io_uring_setup
// fail with ENOSYS in every thread, as on a kernel built without io_uring.
import koffi from '../../strategies/koffi';
import * as libc from '../../strategies/posix/libc';

const ENOSYS = 38;
(libc as { io_uring_setup: typeof libc.io_uring_setup }).io_uring_setup = () => {
  koffi.errno(ENOSYS);
  return -1;
};
