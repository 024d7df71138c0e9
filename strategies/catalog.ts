// Which strategies this platform serves, and with which OS mechanism. Modules load
// lazily, so one platform never loads the other's bindings.

import { backend } from './platform';
import { STRATEGY_NAMES, StrategyDescriptor, StrategyModule, StrategyName } from './types';

type Entry = { mechanism: string; module: string };

const posix: Partial<Record<StrategyName, Entry>> = {
  sequential: { mechanism: 'one client at a time: accept, blocking read/write (libc via koffi)', module: './posix/sequential' },
  'thread-per-client': { mechanism: 'a worker thread per client, blocking read/write (libc via koffi)', module: './posix/thread-per-client' },
  overlapped: { mechanism: 'one thread, non-blocking sockets, poll() over every client (libc via koffi)', module: './posix/overlapped' },
  'completion-routines': { mechanism: 'one thread, io_uring RECV/SEND completions dispatched to handlers (raw syscalls via koffi)', module: './posix/completion-routines' },
  iocp: { mechanism: 'a fixed pool of threads on one epoll, EPOLLONESHOT per client (libc via koffi)', module: './posix/iocp' },
  'node-net': { mechanism: "Node's net server (libuv over epoll)", module: './node-net' },
};

const win32: Partial<Record<StrategyName, Entry>> = {
  sequential: { mechanism: 'one pipe instance, one client at a time: blocking ConnectNamedPipe, ReadFile/WriteFile (kernel32 via koffi)', module: './win32/sequential' },
  'thread-per-client': { mechanism: 'a worker thread per client, blocking ReadFile/WriteFile on its own instance (kernel32 via koffi)', module: './win32/thread-per-client' },
  overlapped: { mechanism: 'one thread per 63 instances: overlapped I/O, one event per instance, WaitForMultipleObjects (kernel32 via koffi)', module: './win32/overlapped' },
  'completion-routines': { mechanism: 'one thread: ReadFileEx/WriteFileEx completion routines run during alertable waits (kernel32 via koffi)', module: './win32/completion-routines' },
  iocp: { mechanism: 'one I/O completion port, a fixed pool of threads in GetQueuedCompletionStatus (kernel32 via koffi)', module: './win32/iocp' },
  'node-net': { mechanism: "Node's net server on a named pipe (libuv over IOCP)", module: './node-net' },
};

const entries = backend === 'win32' ? win32 : posix;

export function availableStrategies(): StrategyName[] {
  return STRATEGY_NAMES.filter((name) => entries[name] !== undefined);
}

export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/** The strategy by name on this platform; throws with the reason when it cannot be had. */
export function strategy(name: string): StrategyDescriptor {
  if (!isStrategyName(name)) {
    throw new Error(`unknown strategy "${name}" (strategies: ${STRATEGY_NAMES.join(', ')})`);
  }
  const entry = entries[name];
  if (!entry) {
    throw new Error(`strategy "${name}" is not available on ${process.platform} (available here: ${availableStrategies().join(', ')})`);
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return { name, mechanism: entry.mechanism, load: () => require(entry.module) as StrategyModule };
}
