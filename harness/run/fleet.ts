// The client processes of one trial: started together, held at a barrier until
// every one is connected, then told the phases (go, measure, script or stop) as
// moments on the shared clock. Their warm-up progress arrives per window and is
// summed here; their reports are collected, and a client that dies is recorded
// with the reason, never waited for.

import type { ClientOptions } from '../../clients/client';
import { ClientMessage, clientMessageSchema, ClientReport, ToClientMessage } from '../../contract/messages';
import { Child, describeExit, forkChild, Log } from '../processes/processes';

export class ClientFleet {
  readonly reports = new Map<number, ClientReport>();
  /** Why a client ended without a report. */
  readonly fatalities = new Map<number, string>();
  private readonly children: Child<ClientMessage>[] = [];
  /** progress[client][window]: transactions that ended in that warm-up window. */
  private readonly progress: number[][];
  private connected = 0;
  private done = new Set<number>();
  private changed = () => {};

  constructor(
    readonly count: number,
    options: (index: number) => ClientOptions,
    log: (index: number) => Log,
  ) {
    this.progress = Array.from({ length: count }, () => []);
    for (let index = 0; index < count; index++) {
      const child = forkChild({ role: 'client', options: options(index) }, log(index), clientMessageSchema);
      this.children.push(child);
      child.onMessage((message) => {
        if (message.type === 'connected') this.connected++;
        else if (message.type === 'done') this.done.add(index);
        else if (message.type === 'progress') this.progress[index].splice(message.fromWindow, message.counts.length, ...message.counts);
        else this.reports.set(index, message.report);
        this.changed();
      });
      void child.exited.then((exit) => {
        if (!this.reports.has(index)) this.fatalities.set(index, `client ${describeExit(exit)} without a report`);
        this.changed();
      });
    }
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
    return this.until(() => this.children.every((_, index) => this.reports.has(index) || this.fatalities.has(index)));
  }

  get connectedCount(): number {
    return this.connected;
  }

  /** Clients done or dead. */
  get goneCount(): number {
    return new Set([...this.done, ...this.fatalities.keys()]).size;
  }

  broadcast(message: ToClientMessage): void {
    for (const child of this.children) if (child.process.connected) child.process.send(message);
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

  /** Warm-up windows every live client has reported (0 when none is live). */
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
