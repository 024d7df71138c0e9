// Turns raw CLI values into validated options. Every problem is a UsageError
// with one line that says what was wrong and what is accepted.

import * as os from 'node:os';
import { availableStrategies, strategy } from '../strategies/catalog';
import { addressProblem } from '../strategies/platform';
import { DEFAULT_STORE_CAPACITY } from '../strategies/store';
import { WAIT_ORDERS, type StrategyName, type WaitOrder } from '../strategies/types';
import type { WorkloadName } from '../clients/report';
import { UsageError } from './usage';

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

export function integerOption(flag: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be ${range}, got ${String(value)}`);
  }
  return n;
}

export function workloadOption(value: unknown): WorkloadName {
  if (value === 'transactions' || value === 'batch') return value;
  throw new UsageError(`--workload must be "transactions" or "batch", got ${String(value)}`);
}

export function waitOrderOption(value: unknown): WaitOrder {
  if ((WAIT_ORDERS as readonly unknown[]).includes(value)) return value as WaitOrder;
  throw new UsageError(`--wait-order must be ${WAIT_ORDERS.map((order) => `"${order}"`).join(' or ')}, got ${String(value)}`);
}

export function addressOption(flag: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flag} needs an address`);
  const problem = addressProblem(value);
  if (problem) throw new UsageError(`--${flag}: ${problem}`);
  return value;
}

export const defaults = {
  threads: os.availableParallelism(),
  capacity: DEFAULT_STORE_CAPACITY,
  transactions: 1000,
  batches: 10,
  batchSize: 1000,
  warmup: 100,
};
