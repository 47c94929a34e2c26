import { quantileSorted } from "d3-array";

/** Mean, 95th percentile and maximum of a sample (all 0 for an empty one). */
export interface Spread {
  readonly mean: number;
  readonly p95: number;
  readonly max: number;
}

export function spread(values: ArrayLike<number>): Spread {
  if (values.length === 0) return { mean: 0, p95: 0, max: 0 };
  // A typed copy sorts numerically in place, at 8 bytes a value.
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    mean: sum / sorted.length,
    // d3 reads any array-like; its types ask for an Array.
    p95: quantileSorted(sorted as unknown as number[], 0.95) ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** A growing list of numbers kept in a Float64Array (8 bytes each, no boxing). */
export class Samples {
  private values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  /** The values pushed, as a view (no copy). */
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}
