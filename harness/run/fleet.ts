// The client processes of a run, and of one trial. The pool keeps them from trial
// to trial: they are the load generator, not the subject (each trial starts its
// server afresh), and a client process kept warm starts its trial in milliseconds
// with its load loop already optimised, where twenty fresh ones took 3.6 s to
// start and 1-2 s more to warm up (2026-12-04). A client that failed, or whose
// trial failed, is killed and replaced by a fresh one.
//
// A trial's fleet takes the first `count` clients, names the server, holds them at
// a barrier until every one is connected, then tells them the phases (go,
// measure, script or stop) as moments on the shared clock. Their warm-up progress
// arrives per window and is summed here; their reports are collected, and a client
// that dies is recorded with the reason, never waited for.

import type { ChildProcess } from 'node:child_process';
import type { ClientSetup } from '../../clients/client';
import { ClientMessage, clientMessageSchema, ClientReport, ToClientMessage } from '../../contract/messages';
import { Child, describeExit, forkChild, Log } from '../processes/processes';

interface PooledClient {
  child: Child<ClientMessage>;
  gone: boolean;
}

export class ClientPool {
  private readonly members: Array<PooledClient | undefined> = [];
  private started = 0;

  constructor(
    private readonly setup: (index: number) => ClientSetup,
    /** `process`: how many client processes the pool started before this one. */
    private readonly log: (index: number, process: number) => Log,
  ) {}

  /** The first `count` clients; any missing or gone is started afresh. */
  take(count: number): PooledClient[] {
    for (let index = 0; index < count; index++) {
      const member = this.members[index];
      if (member && !member.gone) continue;
      const child = forkChild({ role: 'client', setup: this.setup(index) }, this.log(index, this.started++), clientMessageSchema);
      const fresh: PooledClient = { child, gone: false };
      void child.exited.then(() => (fresh.gone = true));
      this.members[index] = fresh;
    }
    return this.members.slice(0, count) as PooledClient[];
  }

  /** Kills a client: the next trial that needs its index starts a fresh one. */
  discard(member: PooledClient): void {
    member.gone = true;
    member.child.kill();
  }

  /** The processes it keeps for the next trial. */
  processes(): Set<ChildProcess> {
    return new Set(this.members.flatMap((member) => (member && !member.gone ? [member.child.process] : [])));
  }

  /** Kills every client (the run is over). */
  close(): void {
    for (const member of this.members) if (member) this.discard(member);
  }
}

export class ClientFleet {
  readonly reports = new Map<number, ClientReport>();
  /** Why a client ended without a report. */
  readonly fatalities = new Map<number, string>();
  private readonly members: PooledClient[];
  private readonly stopListening: Array<() => void> = [];
  /** progress[client][window]: transactions that ended in that warm-up window (a window sent again replaces its earlier count). */
  private readonly progress: number[][];
  private connected = 0;
  private done = new Set<number>();
  private changed = () => {};
  private ended = false;

  constructor(
    readonly count: number,
    private readonly pool: ClientPool,
    address: string,
  ) {
    this.progress = Array.from({ length: count }, () => []);
    this.members = pool.take(count);
    this.members.forEach(({ child }, index) => {
      this.stopListening.push(
        child.onMessage((message) => {
          if (message.type === 'connected') this.connected++;
          else if (message.type === 'done') this.done.add(index);
          else if (message.type === 'progress') this.progress[index].splice(message.fromWindow, message.counts.length, ...message.counts);
          else this.reports.set(index, message.report);
          this.changed();
        }),
      );
      void child.exited.then((exit) => {
        if (this.ended) return;
        if (!this.reports.has(index)) this.fatalities.set(index, `client ${describeExit(exit)} without a report`);
        this.changed();
      });
      if (child.process.connected) child.process.send({ type: 'trial', address } satisfies ToClientMessage);
    });
  }

  /**
   * The trial is over: clients that reported without a fatal error go back to the
   * pool (when `keep`: the trial itself did not fail); the others are killed.
   */
  end(keep: boolean): void {
    if (this.ended) return;
    this.ended = true;
    for (const stop of this.stopListening) stop();
    this.members.forEach((member, index) => {
      const report = this.reports.get(index);
      if (!(keep && report && report.fatal === null && !member.gone)) this.pool.discard(member);
    });
  }

  /** Resolves when every client is connected or gone. */
  allConnected(): Promise<void> {
    return this.until(() => this.connected + this.fatalities.size >= this.count);
  }

  /** Resolves when every client has said BYE or is gone. */
  allDone(): Promise<void> {
    return this.until(() => this.goneCount >= this.count);
  }

  /**
   * Asks every client for its report; resolves when each has reported (its last
   * message: everything it sent before has arrived) or is gone. A client that has
   * reported is not waited for while it exits: twenty exiting at once took a few
   * hundred milliseconds of every trial; whatever is still running when the trial
   * ends is reaped with the rest.
   */
  collectReports(): Promise<void> {
    this.broadcast({ type: 'report' });
    return this.until(() => this.members.every((_, index) => this.reports.has(index) || this.fatalities.has(index)));
  }

  get connectedCount(): number {
    return this.connected;
  }

  /** Clients done or dead. */
  get goneCount(): number {
    return new Set([...this.done, ...this.fatalities.keys()]).size;
  }

  broadcast(message: ToClientMessage): void {
    for (const { child } of this.members) if (child.process.connected) child.process.send(message);
  }

  /**
   * Warm-up throughput of all clients together, per window, for the windows every
   * live client has reported so far (transactions per second).
   */
  windowThroughputs(windowMs: number): number[] {
    const windows = this.reportedWindows();
    const series: number[] = [];
    for (let w = 0; w < windows; w++) {
      let total = 0;
      for (const counts of this.progress) total += counts[w] ?? 0;
      series.push((total * 1000) / windowMs);
    }
    return series;
  }

  /** Each live client's transactions per warm-up window, for the windows every live client has reported. */
  liveWindowCounts(): number[][] {
    const windows = this.reportedWindows();
    return this.progress.filter((_, index) => this.isLive(index)).map((counts) => counts.slice(0, windows));
  }


  private isLive(index: number): boolean {
    return !this.fatalities.has(index) && !this.done.has(index);
  }

  /** Resolves once every live client has reported `windows` windows (or none is live). */
  windowsReported(windows: number): Promise<void> {
    return this.until(() => this.reportedWindows() >= windows);
  }

  /** Windows every live client has reported (0 when none is live). */
  private reportedWindows(): number {
    const live = this.progress.filter((_, index) => this.isLive(index));
    return live.length === 0 ? 0 : Math.min(...live.map((counts) => counts.length));
  }

  /** Calls `listener` whenever a client connects, reports progress, reports or dies. */
  onChange(listener: () => void): void {
    const previous = this.changed;
    this.changed = () => {
      previous();
      listener();
    };
  }

  private until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      if (condition()) return resolve();
      this.onChange(() => {
        if (condition()) resolve();
      });
    });
  }
}
