// Summaries of repeated timings, shared by the benchmarks.

/** The value at quantile `q` (0–1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export const median = (values: readonly number[]) => quantile(values, 0.5);
export const best = (values: readonly number[]) => Math.min(...values);
