// The one module that decides the platform: which backend folder serves, which
// client transport connects, what an address looks like, and whether we run under Wine.

import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export type Backend = 'posix' | 'win32';

export const backend: Backend = process.platform === 'win32' ? 'win32' : 'posix';

/** True when this Windows process runs under Wine (ntdll exports wine_get_version). */
export function isWine(): boolean {
  if (backend !== 'win32') return false;
  if (wineCache === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const koffi = (require('./koffi') as typeof import('./koffi')).default;
      const ntdll = koffi.load('ntdll.dll');
      const wineGetVersion = ntdll.func('const char *wine_get_version()');
      wineCache = String(wineGetVersion());
    } catch {
      wineCache = null;
    }
  }
  return wineCache !== null;
}
let wineCache: string | null | undefined;

export function wineVersion(): string | null {
  return isWine() ? (wineCache as string) : null;
}

/** A fresh address no other run on this machine uses: a socket path or a pipe name. */
export function uniqueAddress(tag: string): string {
  const unique = `pipebench-${process.pid}-${randomBytes(4).toString('hex')}-${tag}`;
  return backend === 'win32' ? `\\\\.\\pipe\\${unique}` : path.join(os.tmpdir(), `${unique}.sock`);
}

export function isPipeName(address: string): boolean {
  return /^\\\\[.?]\\pipe\\./i.test(address);
}

/** Why an address cannot be used on this platform, or null when it can. */
export function addressProblem(address: string): string | null {
  if (backend === 'win32') {
    return isPipeName(address) ? null : `"${address}" is not a named pipe name (expected \\\\.\\pipe\\NAME)`;
  }
  if (isPipeName(address)) return `"${address}" is a Windows pipe name; on ${process.platform} give a Unix socket path`;
  if (Buffer.byteLength(address) > 107) return `socket path "${address}" is longer than the 107 bytes Unix sockets allow`;
  return null;
}

export function platformLabel(): string {
  const wine = wineVersion();
  return wine ? `Windows under Wine ${wine}` : `${os.type()} ${os.release()}`;
}
