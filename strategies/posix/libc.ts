// libc through koffi: the one module that binds the C library. Constants are named
// as in the Linux headers; failures become OsError carrying errno and its name,
// read right after the failing call. Expected outcomes (EAGAIN, EINTR) are left to
// callers, which test the raw return value on their hot paths.

import koffi from '../koffi';
import { SOCKADDR_UN_BYTES, SUN_PATH_MAX } from './sockaddr';

const libc = koffi.load('libc.so.6');

export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SHUT_RDWR = 2;
export const SOMAXCONN = 4096;
export const MSG_NOSIGNAL = 0x4000;

export const POLLIN = 0x1;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;

export const EPOLLIN = 0x1;
export const EPOLLOUT = 0x4;
export const EPOLLERR = 0x8;
export const EPOLLHUP = 0x10;
export const EPOLLRDHUP = 0x2000;
export const EPOLLONESHOT = 1 << 30;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
export const EPOLL_CLOEXEC = 0o2000000;
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;

export const EVENTFD_VALUE_BYTES = 8; // an eventfd is read and written as one uint64

export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const MAP_SHARED = 0x01;
export const MAP_POPULATE = 0x8000;

export const SYS_io_uring_setup = 425;
export const SYS_io_uring_enter = 426;

export const errno = koffi.os.errno;
export const EINTR = errno.EINTR;
export const EAGAIN = errno.EAGAIN;


// `struct pollfd` and `struct epoll_event` are read from raw buffers at a fixed
// stride: koffi's struct decoding costs microseconds per call (KOFFI-NOTES).
export const POLLFD_BYTES = 8;
export const EPOLL_EVENT_BYTES = 12; // packed on x86-64: events@0, data@4

type Pointer = number | bigint | Uint8Array | Buffer | Int32Array;

export const socket = libc.func('int socket(int domain, int type, int protocol)') as (domain: number, type: number, protocol: number) => number;
export const bind = libc.func('int bind(int fd, void *addr, uint32_t len)') as (fd: number, addr: Pointer, len: number) => number;
export const listen = libc.func('int listen(int fd, int backlog)') as (fd: number, backlog: number) => number;
export const accept4 = libc.func('int accept4(int fd, void *addr, void *len, int flags)') as (fd: number, addr: null, len: null, flags: number) => number;
export const connect = libc.func('int connect(int fd, void *addr, uint32_t len)') as (fd: number, addr: Pointer, len: number) => number;
export const read = libc.func('intptr_t read(int fd, void *buf, size_t count)') as (fd: number, buf: Pointer, count: number) => number;
export const write = libc.func('intptr_t write(int fd, void *buf, size_t count)') as (fd: number, buf: Pointer, count: number) => number;
export const close = libc.func('int close(int fd)') as (fd: number) => number;
export const shutdown = libc.func('int shutdown(int fd, int how)') as (fd: number, how: number) => number;
export const poll = libc.func('int poll(void *fds, uint64_t nfds, int timeout)') as (fds: Pointer, nfds: number, timeoutMs: number) => number;
export const epoll_create1 = libc.func('int epoll_create1(int flags)') as (flags: number) => number;
export const epoll_ctl = libc.func('int epoll_ctl(int epfd, int op, int fd, void *event)') as (epfd: number, op: number, fd: number, event: Pointer | null) => number;
export const epoll_wait = libc.func('int epoll_wait(int epfd, void *events, int maxevents, int timeout)') as (epfd: number, events: Pointer, maxEvents: number, timeoutMs: number) => number;
export const eventfd = libc.func('int eventfd(unsigned int initval, int flags)') as (initval: number, flags: number) => number;
export const mmap = libc.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)') as (addr: null, length: number, prot: number, flags: number, fd: number, offset: number) => bigint;
export const eventfd_write = libc.func('int eventfd_write(int fd, uint64_t value)') as (fd: number, value: number) => number;
/** clock_getcpuclockid returns the error number itself (0 on success), not -1 and errno. */
export const clock_getcpuclockid = libc.func('int clock_getcpuclockid(int pid, void *clockId)') as (pid: number, clockId: Pointer) => number;
/** struct timespec on x86-64: tv_sec@0, tv_nsec@8 (two int64). */
export const TIMESPEC_BYTES = 16;
export const clock_gettime = libc.func('int clock_gettime(int clockId, void *timespec)') as (clockId: number, timespec: Pointer) => number;
export const sysconf = libc.func('long sysconf(int name)') as (name: number) => number;
export const munmap = libc.func('int munmap(void *addr, size_t length)') as (addr: Pointer, length: number) => number;
// Fixed-arity aliases of syscall(2) for io_uring: cheaper than a variadic call (KOFFI-NOTES).
export const io_uring_setup = libc.func('long syscall(long number, uint32_t entries, void *params)') as (nr: number, entries: number, params: Pointer) => number;
export const io_uring_enter = libc.func(
  'long syscall(long number, int fd, uint32_t toSubmit, uint32_t minComplete, uint32_t flags, void *sig, size_t sigSize)',
) as (nr: number, fd: number, toSubmit: number, minComplete: number, flags: number, sig: null, sigSize: number) => number;

export function lastErrno(): number {
  return koffi.errno();
}

const errnoNames = new Map<number, string>(Object.entries(errno).map(([name, code]) => [code, name]));

export function errnoName(code: number): string {
  return errnoNames.get(code) ?? `errno ${code}`;
}

/** A failed libc call: which call, errno and its name. */
export class OsError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly call: string;

  constructor(call: string, code: number, detail?: string) {
    super(`${call}${detail ? ` (${detail})` : ''} failed: ${errnoName(code)} (${code})`);
    this.name = 'OsError';
    this.call = call;
    this.code = code;
    this.codeName = errnoName(code);
  }
}

/** Throws OsError when a libc call returned -1; returns the result otherwise. */
export function check(call: string, result: number, detail?: string): number {
  if (result < 0) throw new OsError(call, lastErrno(), detail);
  return result;
}

/** Encodes a Unix socket path as sockaddr_un; throws RangeError when it cannot fit. */
export function sockaddrUn(path: string): Buffer {
  const encoded = Buffer.from(path, 'utf8');
  if (encoded.length > SUN_PATH_MAX) {
    throw new RangeError(`socket path is ${encoded.length} bytes; Unix sockets allow at most ${SUN_PATH_MAX}: ${path}`);
  }
  const address = Buffer.alloc(SOCKADDR_UN_BYTES);
  address.writeUInt16LE(AF_UNIX, 0);
  encoded.copy(address, 2);
  return address;
}

/** The fixed address of memory the OS may use after a call returns (SharedArrayBuffer-backed). */
export function addressOf(bytes: Uint8Array): number {
  return Number(koffi.address(bytes));
}
