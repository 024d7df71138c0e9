// A protocol server whose every answer leaves in one write (status and result
// together), and whose DELETE answers NOT_FOUND followed by 8 result bytes that
// NOT_FOUND never has: what a client that reads status and result in one call
// must not swallow.
//
//   node extra-bytes-server.js ADDRESS      prints "ready ADDRESS" once listening

import * as net from 'node:net';

const address = process.argv[2];
const ADD = 1, DELETE = 2, RETRIEVE = 3, BYE = 5;
const OK = 0, NOT_FOUND = 1;

function ints(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeInt32LE(v, i * 4));
  return out;
}

const records = new Map<number, [number, number]>();
const server = net.createServer((socket) => {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 4) return;
      const command = pending.readInt32LE(0);
      const argumentBytes = command === ADD ? 8 : command === DELETE || command === RETRIEVE ? 4 : 0;
      if (pending.length < 4 + argumentBytes) return;
      const a = argumentBytes >= 4 ? pending.readInt32LE(4) : 0;
      const b = argumentBytes === 8 ? pending.readInt32LE(8) : 0;
      pending = pending.subarray(4 + argumentBytes);
      if (command === ADD) {
        records.set(records.size, [a, b]);
        socket.write(ints(OK, records.size - 1));
      } else if (command === RETRIEVE) {
        const [x, y] = records.get(a) ?? [0, 0];
        socket.write(ints(OK, x, y));
      } else if (command === DELETE) socket.write(ints(NOT_FOUND, 0, 0));
      else if (command === BYE) return void socket.end(ints(OK));
    }
  });
  socket.on('error', () => undefined);
});
server.listen(address, () => process.stdout.write(`ready ${address}\n`));
