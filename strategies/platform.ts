// The one module that decides the platform. Everything that differs between
// Windows and POSIX sits behind the Platform interface (types.ts), implemented once under
// strategies/win32/ and once under strategies/posix/: which strategies exist and
// how they wait, what an address is, how a client connects, how another process
// is measured. Nothing else in pipebench asks which OS it runs on.

import type { Platform } from './types';

// eslint-disable-next-line @typescript-eslint/no-var-requires
export const platform: Platform = process.platform === 'win32' ? require('./win32/platform').win32 : require('./posix/platform').posix;
