// Seeded random numbers for tests, written here so no test draws its data with
// the code it checks: a 32-bit LCG (Numerical Recipes constants) and Box-Muller.

export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
}

export function normal(random: () => number, mean: number, sd: number): number {
  const u = random();
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
