// A worker thread for the store test: many ADD/RETRIEVE/DELETE on the shared store.
import { parentPort, workerData } from 'node:worker_threads';
import { RecordStore } from '../../strategies/store';

const { buffer, worker, rounds, keep } = workerData as { buffer: SharedArrayBuffer; worker: number; rounds: number; keep: number };
const store = new RecordStore(buffer);
const out = new DataView(new ArrayBuffer(8));
let wrong = 0;
let full = 0;
const kept: number[] = [];
for (let i = 0; i < rounds; i++) {
  const id = store.add(worker, i);
  if (id < 0) {
    full++;
    continue;
  }
  if (!store.read(id, false, out, 0) || out.getInt32(0, true) !== worker || out.getInt32(4, true) !== i) wrong++;
  if (i < keep) {
    kept.push(id);
    continue;
  }
  if (!store.read(id, true, out, 0) || out.getInt32(0, true) !== worker || out.getInt32(4, true) !== i) wrong++;
}
parentPort!.postMessage({ wrong, full, kept });
