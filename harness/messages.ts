// The small typed messages the harness exchanges with its child processes over IPC.

import type { ClientReport } from '../clients/report';

export interface ServerCost {
  cpuUserUs: number;
  cpuSystemUs: number;
  maxRssKb: number;
  voluntaryContextSwitches: number;
  involuntaryContextSwitches: number;
}

export type ServerMessage =
  | { type: 'ready'; address: string; mechanism: string; pid: number; cost: ServerCost }
  | { type: 'stopped'; cost: ServerCost };

export type ToServerMessage = { type: 'stop' };

export type ClientMessage =
  | { type: 'connected' }
  | { type: 'report'; report: ClientReport };

export type ToClientMessage = { type: 'go' };

export function ownCost(): ServerCost {
  const usage = process.resourceUsage();
  return {
    cpuUserUs: usage.userCPUTime,
    cpuSystemUs: usage.systemCPUTime,
    maxRssKb: usage.maxRSS,
    voluntaryContextSwitches: usage.voluntaryContextSwitches,
    involuntaryContextSwitches: usage.involuntaryContextSwitches,
  };
}
