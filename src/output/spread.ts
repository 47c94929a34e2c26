import { quantileSorted } from "d3-array";

/** Mean, 95th percentile and maximum of a sample (all 0 for an empty one). */
export interface Spread {
  readonly mean: number;
  readonly p95: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { mean: 0, p95: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    mean: sum / sorted.length,
    p95: quantileSorted(sorted, 0.95) ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}
