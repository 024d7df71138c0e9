// The client transport on Linux with io_uring: a transaction is one koffi call
// and one system call. The request's SEND and the answer's first RECV are two
// SQEs written once at connect and linked (IOSQE_IO_LINK: the RECV is issued
// only once the whole request went out); each transaction sets their lengths,
// queues them again and waits for both completions in one io_uring_enter. On a
// 2-vCPU VM where a system call costs microseconds, that halves the client's
// calls (issue 21: read/write took 2 to 2.5 a transaction). What the RECV
// leaves (a result that arrives after its status, a short write) is finished by
// SocketTransport's read and write, so every answer is taken apart the same way.

import { IORING_FEAT_FAST_POLL, IORING_OP_RECV, IORING_OP_SEND, IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_SINGLE_ISSUER, IoUring } from './io-uring';
import * as libc from './libc';
import { SocketTransport } from './socket-transport';

const SEND = 0;
const RECV = 1;
const ECANCELED = libc.errno.ECANCELED;

/** The ring a client thread uses: DEFER_TASKRUN where the kernel has it (6.1), completions then run only when the thread waits for them. */
function clientRing(): IoUring {
  try {
    return new IoUring(2, 2, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
  } catch (error) {
    if ((error as libc.OsError).code !== libc.errno.EINVAL) throw error;
    return new IoUring(2, 2);
  }
}

let problem: string | null | undefined;

/**
 * Null when this machine's clients use io_uring, else why they read and write
 * instead (the kernel is too old, io_uring is disabled or blocked by seccomp).
 * The same on every process of the machine; asked once per process.
 */
export function uringProblem(): string | null {
  if (problem !== undefined) return problem;
  try {
    const ring = clientRing();
    const fastPoll = (ring.features & IORING_FEAT_FAST_POLL) !== 0;
    ring.close();
    problem = fastPoll ? null : 'io_uring lacks IORING_FEAT_FAST_POLL (Linux 5.7)';
  } catch (error) {
    problem = (error as Error).message;
  }
  return problem;
}

export class UringTransport extends SocketTransport {
  private readonly ring: IoUring;
  /** The pair has been submitted once: later transactions queue it again. */
  private queuedBefore = false;
  private sendResult = 0;
  private receiveResult = 0;
  private readonly completed = (which: number, _high: number, result: number): void => {
    if (which === SEND) this.sendResult = result;
    else this.receiveResult = result;
  };

  constructor(fd: number) {
    super(fd);
    this.ring = clientRing();
    this.ring.prepare(IORING_OP_SEND, fd, this.requestAt, 0, libc.MSG_NOSIGNAL, SEND, 0);
    this.ring.linkLast();
    this.ring.prepare(IORING_OP_RECV, fd, this.replyAt, 0, 0, RECV, 0);
  }

  override roundTrip(requestBytes: number, okResultBytes: number): number {
    const ring = this.ring;
    if (this.queuedBefore) ring.requeue(2);
    this.queuedBefore = true;
    ring.setLength(1, requestBytes);
    ring.setLength(0, 4 + okResultBytes);
    // EINTR returns early; the SQEs are submitted at most once (the ring counts what the kernel took).
    do ring.submitAndWait(2 - ring.ready());
    while (ring.ready() < 2);
    ring.drain(this.completed);
    const sent = this.sendResult;
    let got = this.receiveResult;
    if (sent < 0) this.lost('write', -sent);
    if (got === 0 && sent === requestBytes) this.lost('read', 0);
    if (got < 0) {
      // A short SEND breaks the link: the RECV is cancelled and the rest done by hand.
      if (got !== -ECANCELED || sent === requestBytes) this.lost('read', -got);
      got = 0;
    }
    this.finishWriting(sent, requestBytes);
    return this.finishReading(got, okResultBytes);
  }

  override close(): void {
    if (this.fd >= 0) this.ring.close();
    super.close();
  }
}
