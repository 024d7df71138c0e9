// The host's pace: how long a wake-up round trip between two threads of the
// harness takes, measured before each trial while nothing else runs. On the
// project machine (a 2-vCPU VM) it moves in phases of a minute or more, 20 to
// 32 µs (2026-12-04), while a CPU loop's time does not; a C client and server at
// one client moved between 30,000 and 60,000 tx/s with it (correlation -0.84
// over 143 samples). Every 1-client cell follows it, so the run records it beside
// each trial, and compare and bench-stability say when two runs' hosts differed.
//
// One thread (this module's, in a worker) only answers: it sleeps in Atomics.wait
// until its turn, hands the turn back and wakes the measuring thread. The
// measuring thread first computes for PLACE_MS, then times batches of round trips
// and keeps the median batch, so a single preemption does not move the figure.
// Why compute first: Linux wakes a thread on the waker's CPU when the waker has
// been little busy of late. Right after 10-30 ms of work the round trip took
// 11-12 µs (both threads on one CPU); after 100 ms or more, 24-29 µs in the same
// minute, every time (the answering thread woken on the other CPU, as a loaded
// client's and server's are). Without it, 1 reading in 7 fell in the first mode;
// with it, 4 of ~2,400 readings of the stored runs of 2026-12-04/05 still did
// (12.0-15.5 µs, each between readings of 25-29 µs and beside a trial whose
// throughput was that of the slower pace), so a reading far from the one before
// is taken again (settledReading).

import { isMainThread, Worker, workerData } from 'node:worker_threads';

const TURN = 0; // 1: the answering thread's turn, 0: the measuring thread's
const QUIT = 1;
const WARM_ROUND_TRIPS = 50;
const BATCHES = 5;
const ROUND_TRIPS_PER_BATCH = 60;
const PLACE_MS = 100;
// A reading further than this factor (either way) from the one before is taken again. The host's own moves
// between two readings (a trial apart) were within it in 96.9% of 2,702 trials of those runs, so a retake costs
// ~0.1 s in 3% of the gaps; beyond it lay the misreadings, stalls (59-76 µs) and some real changes of phase, which
// the second reading keeps. 1.5 missed a misreading of 12.7 µs in a fast phase (after 18.2, 1.43x).
const RETAKE_BEYOND = 1.25;
// A turn not handed back within this is a broken thread, not a slow host.
const TURN_TIMEOUT_MS = 5_000;

interface GaugeData {
  role: 'host-pace';
  shared: Int32Array;
}

/**
 * A reading, taken again when it lies beyond RETAKE_BEYOND of the one before; the second stands, so a real
 * change of the host's pace is kept while a misreading is not. The first reading of all (previousUs null) has
 * nothing to be checked against and is always taken twice: it opened two runs of 2026-12-05 at 12.7 µs, in the
 * one-CPU mode, where the next readings were 24.6 and 28.6 (the runs' medians 24.4), and with the pace held only
 * far from the run's median (pace-adjust.ts) such a reading is no longer held.
 */
export function settledReading(previousUs: number | null, read: () => number): number {
  const first = read();
  const far = previousUs === null || first > previousUs * RETAKE_BEYOND || first * RETAKE_BEYOND < previousUs;
  return far ? read() : first;
}

export class HostPaceGauge {
  private closed = false;
  private lastUs: number | null = null;

  private constructor(
    private readonly shared: Int32Array,
    private readonly worker: Worker,
  ) {}

  /** Starts the answering thread; resolves once it runs. */
  static start(): Promise<HostPaceGauge> {
    const shared = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const worker = new Worker(__filename, { workerData: { role: 'host-pace', shared } satisfies GaugeData });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('online', () => {
        worker.off('error', reject);
        worker.unref(); // never what keeps the harness alive
        resolve(new HostPaceGauge(shared, worker));
      });
    });
  }

  /** Microseconds per wake-up round trip: the median of its batches (settledReading). */
  measureUs(): number {
    if (this.closed) throw new Error('the host pace gauge is closed');
    this.lastUs = settledReading(this.lastUs, () => this.readOnce());
    return this.lastUs;
  }

  private readOnce(): number {
    computeFor(PLACE_MS);
    this.roundTrips(WARM_ROUND_TRIPS);
    const batchesUs: number[] = [];
    for (let b = 0; b < BATCHES; b++) {
      const startNs = process.hrtime.bigint();
      this.roundTrips(ROUND_TRIPS_PER_BATCH);
      batchesUs.push(Number(process.hrtime.bigint() - startNs) / 1000 / ROUND_TRIPS_PER_BATCH);
    }
    batchesUs.sort((a, b) => a - b);
    return batchesUs[(BATCHES - 1) / 2];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.shared, QUIT, 1);
    Atomics.store(this.shared, TURN, 1);
    Atomics.notify(this.shared, TURN);
    void this.worker.terminate();
  }

  private roundTrips(count: number): void {
    const shared = this.shared;
    for (let i = 0; i < count; i++) {
      Atomics.store(shared, TURN, 1);
      Atomics.notify(shared, TURN);
      while (Atomics.load(shared, TURN) === 1) {
        if (Atomics.wait(shared, TURN, 1, TURN_TIMEOUT_MS) === 'timed-out') throw new Error(`the host pace gauge's thread did not answer within ${TURN_TIMEOUT_MS} ms`);
      }
    }
  }
}

function computeFor(ms: number): void {
  const endNs = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < endNs);
}

function answer(shared: Int32Array): void {
  for (;;) {
    Atomics.wait(shared, TURN, 0);
    if (Atomics.load(shared, QUIT) === 1) return;
    Atomics.store(shared, TURN, 0);
    Atomics.notify(shared, TURN);
  }
}

if (!isMainThread && (workerData as GaugeData | undefined)?.role === 'host-pace') answer((workerData as GaugeData).shared);
