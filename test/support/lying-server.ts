// A protocol server that lies, for tests: it serves PROTOCOL.md correctly except
// for one planted lie, so the tests can check that pipebench's clients catch it.
//
//   node lying-server.js MODE ADDRESS      prints "ready ADDRESS" once listening
//
//   honest                 no lie: the control
//   wrong-field            every RETRIEVE answers the record with its second field off by one
//   retrieve-wrong-first   every RETRIEVE answers the record with its first field off by one
//   retrieve-wrong-status  every RETRIEVE answers NOT_FOUND
//   wrong-status           every DELETE answers NOT_FOUND (and deletes)
//   delete-wrong-field     every DELETE deletes, and answers the record with its second field off by one
//   delete-wrong-first     every DELETE deletes, and answers the record with its first field off by one
//   add-wrong-status       every ADD answers FULL (and adds nothing)
//   add-negative-id        every ADD answers OK with id -1 (and adds nothing)
//   leftover               every DELETE answers OK and deletes nothing: records pile up
//   leak-one               the first DELETE of each connection answers OK and deletes nothing: one record left per client
//   count-drops            the n-th COUNT answers n - 1 fewer records than the store holds (records seem lost)
//   count-wrong-status     COUNT answers NOT_FOUND
//   short-reply            the 50th request of each connection gets half a status, then the connection closes
//   split-answers          no lie, but every answer with a result arrives in two writes: the status, and 2 ms later the result

import * as fs from 'node:fs';
import * as net from 'node:net';
import { isPipeName } from '../../strategies/address';

const [mode, address] = process.argv.slice(2);
const MODES = [
  'honest',
  'wrong-field',
  'retrieve-wrong-first',
  'retrieve-wrong-status',
  'wrong-status',
  'delete-wrong-field',
  'delete-wrong-first',
  'add-wrong-status',
  'add-negative-id',
  'leftover',
  'leak-one',
  'count-drops',
  'count-wrong-status',
  'short-reply',
  'split-answers',
];
if (!MODES.includes(mode) || !address) {
  process.stderr.write(`usage: lying-server.js ${MODES.join('|')} ADDRESS\n`);
  process.exit(2);
}

const ADD = 1, DELETE = 2, RETRIEVE = 3, COUNT = 4, BYE = 5;
const OK = 0, NOT_FOUND = 1, FULL = 2, BAD_COMMAND = 3;
const records = new Map<number, [number, number]>();
let nextId = 0;
let counts = 0; // COUNTs answered so far

function ints(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeInt32LE(v, i * 4));
  return out;
}

const server = net.createServer((socket) => {
  let pending = Buffer.alloc(0);
  let requests = 0;
  let deletes = 0;
  const send = (answer: Buffer) => {
    if (mode !== 'split-answers' || answer.length <= 4) return void socket.write(answer);
    socket.write(answer.subarray(0, 4));
    setTimeout(() => socket.write(answer.subarray(4)), 2);
  };
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
          if (mode === 'add-wrong-status') {
            send(ints(FULL));
            break;
          }
          if (mode === 'add-negative-id') {
            send(ints(OK, -1));
            break;
          }
          const id = nextId++;
          records.set(id, [a, b]);
          send(ints(OK, id));
          break;
        }
        case RETRIEVE: {
          const record = records.get(a);
          if (!record || mode === 'retrieve-wrong-status') send(ints(NOT_FOUND));
          else send(ints(OK, mode === 'retrieve-wrong-first' ? record[0] + 1 : record[0], mode === 'wrong-field' ? record[1] + 1 : record[1]));
          break;
        }
        case DELETE: {
          const record = records.get(a);
          if (!record) {
            send(ints(NOT_FOUND));
            break;
          }
          deletes++;
          if (mode !== 'leftover' && !(mode === 'leak-one' && deletes === 1)) records.delete(a);
          if (mode === 'wrong-status') send(ints(NOT_FOUND));
          else send(ints(OK, mode === 'delete-wrong-first' ? record[0] + 1 : record[0], mode === 'delete-wrong-field' ? record[1] + 1 : record[1]));
          break;
        }
        case COUNT:
          if (mode === 'count-wrong-status') send(ints(NOT_FOUND));
          else if (mode === 'count-drops') send(ints(OK, records.size - counts++));
          else send(ints(OK, records.size));
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
