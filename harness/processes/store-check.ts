// Asks a server for COUNT over an ordinary connection: the harness's view of the
// store before and after a cell.

import * as net from 'node:net';
import { Command, requestBuffer, Status } from '../../strategies/protocol';

export function countRecords(address: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    let reply = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`no answer to COUNT within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('connect', () => socket.write(Buffer.concat([requestBuffer(Command.COUNT), requestBuffer(Command.BYE)])));
    socket.on('data', (chunk) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.length < 8) return;
      clearTimeout(timer);
      socket.destroy();
      const status = reply.readInt32LE(0);
      if (status !== Status.OK) reject(new Error(`COUNT answered status ${status}`));
      else resolve(reply.readInt32LE(4));
    });
    socket.once('error', (error) => fail(new Error(`COUNT failed: ${error.message}`)));
    socket.once('close', () => fail(new Error('server closed the connection before answering COUNT')));
  });
}
