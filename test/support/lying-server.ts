// A protocol server that lies, for tests: it serves PROTOCOL.md correctly except
// for one planted lie, so the tests can check that pipebench's clients catch it.
//
//   node lying-server.js MODE ADDRESS      prints "ready ADDRESS" once listening
//
//   wrong-field   every RETRIEVE answers the record with its second field off by one
//   wrong-status  every DELETE answers NOT_FOUND (and deletes)
//   leftover      every DELETE answers OK and deletes nothing: records pile up
//   short-reply   the 50th request of each connection gets half a status, then the connection closes

import * as fs from 'node:fs';
import * as net from 'node:net';
import { isPipeName } from '../../strategies/address';

const [mode, address] = process.argv.slice(2);
const MODES = ['wrong-field', 'wrong-status', 'leftover', 'short-reply'];
if (!MODES.includes(mode) || !address) {
  process.stderr.write(`usage: lying-server.js ${MODES.join('|')} ADDRESS\n`);
  process.exit(2);
}

const ADD = 1, DELETE = 2, RETRIEVE = 3, COUNT = 4, BYE = 5;
const OK = 0, NOT_FOUND = 1, BAD_COMMAND = 3;
const records = new Map<number, [number, number]>();
let nextId = 0;

function ints(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeInt32LE(v, i * 4));
  return out;
}

const server = net.createServer((socket) => {
  let pending = Buffer.alloc(0);
  let requests = 0;
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
      requests++;
      if (mode === 'short-reply' && requests === 50) {
        socket.end(Buffer.from([0, 0]));
        return;
      }
      switch (command) {
        case ADD: {
          const id = nextId++;
          records.set(id, [a, b]);
          socket.write(ints(OK, id));
          break;
        }
        case RETRIEVE: {
          const record = records.get(a);
          if (!record) socket.write(ints(NOT_FOUND));
          else socket.write(ints(OK, record[0], mode === 'wrong-field' ? record[1] + 1 : record[1]));
          break;
        }
        case DELETE: {
          const record = records.get(a);
          if (!record) {
            socket.write(ints(NOT_FOUND));
            break;
          }
          if (mode !== 'leftover') records.delete(a);
          socket.write(mode === 'wrong-status' ? ints(NOT_FOUND) : ints(OK, record[0], record[1]));
          break;
        }
        case COUNT:
          socket.write(ints(OK, records.size));
          break;
        case BYE:
          socket.end(ints(OK));
          return;
        default:
          socket.end(ints(BAD_COMMAND));
          return;
      }
    }
  });
  socket.on('error', () => socket.destroy());
});

if (!isPipeName(address)) fs.rmSync(address, { force: true }); // a socket file a crashed run left; a pipe name leaves none
server.listen(address, () => process.stdout.write(`ready ${address}\n`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
