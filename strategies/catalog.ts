// Strategies by name: which ones this platform serves, and with which OS
// mechanism. Modules load lazily, so one platform never loads the other's bindings.

import { platform } from './platform';
import { STRATEGY_NAMES, StrategyDescriptor, StrategyName } from './types';

export function availableStrategies(): StrategyName[] {
  return STRATEGY_NAMES.filter((name) => platform.strategies[name] !== undefined);
}

export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/** The strategy by name on this platform; throws with the reason when it cannot be had. */
export function strategy(name: string): StrategyDescriptor {
  if (!isStrategyName(name)) {
    throw new Error(`unknown strategy "${name}" (strategies: ${STRATEGY_NAMES.join(', ')})`);
  }
  const entry = platform.strategies[name];
  if (!entry) {
    throw new Error(`strategy "${name}" is not available on ${process.platform} (available here: ${availableStrategies().join(', ')})`);
  }
  return { name, mechanism: entry.mechanism, load: entry.load };
}
