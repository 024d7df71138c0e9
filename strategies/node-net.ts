// node-net: Node's own `net` server (libuv: epoll on Linux, IOCP on Windows), the
// baseline a TypeScript developer would write first. Chunks arrive however the
// stream splits them; each is fed to the session machine step by step.

import * as net from 'node:net';
import type { RunningServer, ServerOptions } from './types';
import { Next, NextIo, SessionTable } from './session';

export async function start(options: ServerOptions, sessions: SessionTable): Promise<RunningServer> {
  const open = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    const id = sessions.open(-1);
    if (id < 0) {
      socket.destroy(); // every session slot is taken
      return;
    }
    open.add(socket);
    let next: NextIo = Next.READ;
    let released = false;
    const finish = () => {
      next = Next.CLOSE;
      if (released) return;
      released = true;
      sessions.release(id);
      open.delete(socket);
    };
    socket.on('data', (chunk: Buffer) => {
      if (released) return;
      let consumed = 0;
      while (next === Next.READ && consumed < chunk.length) {
        const length = Math.min(sessions.ioLength(id), chunk.length - consumed);
        sessions.bytes.set(chunk.subarray(consumed, consumed + length), sessions.ioOffset(id));
        consumed += length;
        next = sessions.complete(id, length);
        while (next === Next.WRITE) {
          const at = sessions.ioOffset(id);
          const step = sessions.ioLength(id);
          socket.write(Buffer.from(sessions.bytes.subarray(at, at + step))); // socket.write keeps its buffer
          next = sessions.complete(id, step);
        }
      }
      if (next === Next.CLOSE) {
        finish();
        socket.end();
      }
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
