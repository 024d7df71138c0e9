// The Windows side of strategies/platform.ts: named pipes, kernel32 through koffi.

import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import koffi from '../koffi';
import type { Platform } from '../types';
import { isPipeName } from '../address';

export const win32: Platform = {
  name: 'win32',
  strategies: {
    sequential: { mechanism: 'one pipe instance, one client at a time: blocking ConnectNamedPipe, ReadFile/WriteFile (kernel32 via koffi)', load: () => require('./sequential') },
    'thread-per-client': { mechanism: 'a worker thread per client, blocking ReadFile/WriteFile on its own instance (kernel32 via koffi)', load: () => require('./thread-per-client') },
    overlapped: { mechanism: 'one thread per 63 instances: overlapped I/O, one event per instance, WaitForMultipleObjects (kernel32 via koffi)', load: () => require('./overlapped') },
    'completion-routines': { mechanism: 'one thread: ReadFileEx/WriteFileEx completion routines run during alertable waits (kernel32 via koffi)', load: () => require('./completion-routines') },
    iocp: { mechanism: 'one I/O completion port, a fixed pool of threads in GetQueuedCompletionStatus (kernel32 via koffi)', load: () => require('./iocp') },
    'node-net': { mechanism: "Node's net server on a named pipe (libuv over IOCP)", load: () => require('../node-net') },
  },

  uniqueAddress(tag) {
    return `\\\\.\\pipe\\pipebench-${process.pid}-${randomBytes(4).toString('hex')}-${tag}`;
  },

  addressProblem(address) {
    // isPipeName also takes \\?\pipe\NAME (a pipe name on any OS), which CreateFileW opens but WaitNamedPipeW,
    // where a client waits for a busy server, rejects at once: such a client would never wait.
    if (/^\\\\\?\\pipe\\/i.test(address)) return `"${address}": a client cannot wait for a busy pipe named \\\\?\\pipe\\ (WaitNamedPipeW takes \\\\.\\pipe\\NAME only); give \\\\.\\pipe\\NAME`;
    return isPipeName(address) ? null : `"${address}" is not a named pipe name (expected \\\\.\\pipe\\NAME)`;
  },

  // Nothing to check first: a strategy takes the name atomically with its first
  // instance (win32/named-pipe.ts claimPipe), which refuses a name anybody holds.
  async claimAddress() {},

  releaseAddress() {
    // A pipe name disappears with its last instance.
  },

  connect(address, options) {
    return (require('./pipe-transport') as typeof import('./pipe-transport')).connect(address, options);
  },

  clientTransport() {
    return 'WriteFile then ReadFile on the pipe, blocking: two or three calls a transaction';
  },

  openProcess(pid) {
    return (require('./process-stats') as typeof import('./process-stats')).openProcess(pid);
  },

  label() {
    const wine = this.wineVersion();
    return wine ? `Windows under Wine ${wine}` : `${os.type()} ${os.release()}`;
  },

  wineVersion() {
    if (wineVersionCache === undefined) {
      try {
        // ntdll exports wine_get_version only under Wine.
        wineVersionCache = String(koffi.load('ntdll.dll').func('const char *wine_get_version()')());
      } catch {
        wineVersionCache = null;
      }
    }
    return wineVersionCache;
  },
};
let wineVersionCache: string | null | undefined;
