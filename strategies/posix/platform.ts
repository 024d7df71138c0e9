// The POSIX side of strategies/platform.ts: Unix sockets, libc through koffi, /proc.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Platform } from '../types';
import { AddressInUse, answers, isPipeName } from '../address';
import { SUN_PATH_MAX } from './sockaddr';

export const posix: Platform = {
  name: 'posix',
  strategies: {
    sequential: { mechanism: 'one client at a time: accept, blocking read/write (libc via koffi)', load: () => require('./sequential') },
    'thread-per-client': { mechanism: 'a worker thread per client, blocking read/write (libc via koffi)', load: () => require('./thread-per-client') },
    overlapped: { mechanism: 'one thread, non-blocking sockets, poll() over every client (libc via koffi)', load: () => require('./overlapped') },
    'completion-routines': { mechanism: 'one thread, io_uring RECV/SEND completions dispatched to handlers (raw syscalls via koffi)', load: () => require('./completion-routines') },
    iocp: { mechanism: 'a fixed pool of threads on one epoll, EPOLLONESHOT per client (libc via koffi)', load: () => require('./iocp') },
    'node-net': { mechanism: "Node's net server (libuv over epoll)", load: () => require('../node-net') },
  },

  uniqueAddress(tag) {
    return path.join(os.tmpdir(), `pipebench-${process.pid}-${randomBytes(4).toString('hex')}-${tag}.sock`);
  },

  addressProblem(address) {
    if (isPipeName(address)) return `"${address}" is a Windows pipe name; on ${process.platform} give a Unix socket path`;
    if (Buffer.byteLength(address) > SUN_PATH_MAX) return `socket path "${address}" is longer than the ${SUN_PATH_MAX} bytes Unix sockets allow`;
    return null;
  },

  /** A leftover socket file that nobody listens on (a crashed run) is removed; any other file is refused. */
  async claimAddress(address) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(address);
    } catch {
      return;
    }
    if (!stat.isSocket()) throw new AddressInUse(`${address} exists and is not a socket`);
    if (await answers(address)) throw new AddressInUse(`a server already listens on ${address}`);
    fs.unlinkSync(address);
  },

  releaseAddress(address) {
    fs.rmSync(address, { force: true });
  },

  connect(address, options) {
    const { connectSocket, SocketTransport } = require('./socket-transport') as typeof import('./socket-transport');
    const { uringProblem, UringTransport } = require('./uring-transport') as typeof import('./uring-transport');
    const fd = connectSocket(address, options);
    return uringProblem() === null ? new UringTransport(fd) : new SocketTransport(fd);
  },

  clientTransport() {
    const problem = (require('./uring-transport') as typeof import('./uring-transport')).uringProblem();
    return problem === null
      ? 'io_uring: one io_uring_enter a transaction (the request\'s SEND linked to the answer\'s RECV), read() for what arrives later'
      : `read/write, two or three system calls a transaction (io_uring unavailable: ${problem})`;
  },

  openProcess(pid) {
    return (require('./process-stats') as typeof import('./process-stats')).openProcess(pid);
  },

  label() {
    return `${os.type()} ${os.release()}`;
  },

  wineVersion() {
    return null;
  },
};
