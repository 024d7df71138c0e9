// The options of `pipebench run` as one object, and the parsers of the flags that
// are not plain knobs (strategy lists, client counts, addresses): each problem a
// UsageError of one line. The knobs themselves are declared in knobs.ts.

import { availableStrategies, strategy } from '../strategies/catalog';
import { platform } from '../strategies/platform';
import type { ServerKnobs, StrategyName } from '../strategies/types';
import type { WorkloadSpec } from '../clients/workloads';
import { UsageError } from '../contract/usage';
import type { MeasureSettings, RunSettings, Timeouts } from '../contract/knobs';

/** A server somebody else started, measured like a strategy. */
export interface ExternalServer {
  address: string;
  label: string;
  /** Its process, to read its CPU and threads from outside like ours; null: its cost is not measured. */
  pid: number | null;
}

/** Everything `pipebench run` does, checked. */
export interface RunOptions extends RunSettings {
  strategies: StrategyName[];
  clients: number[];
  external: ExternalServer | null;
  server: ServerKnobs;
  workload: WorkloadSpec;
  measurement: MeasureSettings;
  timeouts: Timeouts;
  /** The command as typed, to reproduce the run. */
  commandLine: string;
  outDir: string;
}

export const MAX_CLIENTS = 256;
export const DEFAULT_CLIENTS = [1, 5, 10, 20];

export function parseClientCounts(text: string): number[] {
  const counts = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > to) throw new UsageError(`--clients range "${part}" runs backwards`);
      for (let n = from; n <= to; n++) counts.add(checkClientCount(n, part));
    } else if (/^\d+$/.test(part)) {
      counts.add(checkClientCount(Number(part), part));
    } else {
      throw new UsageError(`--clients "${text}" is not a list (1,5,10,20) or a range (1-20) of client counts`);
    }
  }
  return [...counts].sort((a, b) => a - b);
}

function checkClientCount(n: number, text: string): number {
  if (n < 1 || n > MAX_CLIENTS) throw new UsageError(`--clients ${text}: client counts must be from 1 to ${MAX_CLIENTS}`);
  return n;
}

export function parseStrategies(text: string): StrategyName[] {
  if (text.trim() === 'all') return availableStrategies();
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--strategy needs a name, a comma list, or "all"');
  for (const name of names) {
    try {
      strategy(name);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return [...new Set(names)] as StrategyName[];
}

export function parseStrategy(text: string): StrategyName {
  const names = parseStrategies(text);
  if (names.length !== 1 || text.trim() === 'all') throw new UsageError(`--strategy takes one strategy here, got "${text}"`);
  return names[0];
}

export function addressOption(flagName: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flagName} needs an address`);
  const problem = platform.addressProblem(value);
  if (problem) throw new UsageError(`--${flagName}: ${problem}`);
  return value;
}
