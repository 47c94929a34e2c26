/**
 * Which VM leaves an overloaded host first (Beloglazov & Buyya, CCPE 2012, section 7): MMT, the
 * one that migrates fastest (the least RAM, ties to the lower id); RS, one drawn at random; MC,
 * the one whose utilisation history correlates most with the other VMs' of the host (the largest
 * R^2 of its regression on theirs), MMT when the histories are too short for a regression.
 */
export type SelectionMethod = "mmt" | "rs" | "mc";

export interface Candidate {
  readonly id: number;
  readonly memory: number;
  /** Recent CPU demands, oldest first (the same length for every candidate of a host). */
  readonly history: readonly number[];
}

export function selectVm(
  method: SelectionMethod,
  candidates: readonly Candidate[],
  random: () => number,
): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  switch (method) {
    case "mmt":
      return minimumMigrationTime(candidates);
    case "rs":
      return candidates[Math.floor(random() * candidates.length)];
    case "mc":
      return maximumCorrelation(candidates) ?? minimumMigrationTime(candidates);
  }
}

function minimumMigrationTime(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const vm of candidates) {
    if (
      best === undefined ||
      vm.memory < best.memory ||
      (vm.memory === best.memory && vm.id < best.id)
    ) {
      best = vm;
    }
  }
  return best;
}

function maximumCorrelation(candidates: readonly Candidate[]): Candidate | undefined {
  if (candidates.length < 2) return undefined;
  const n = Math.min(...candidates.map((c) => c.history.length));
  // A regression on m - 1 others with an intercept needs more samples than coefficients.
  if (n <= candidates.length) return undefined;
  const series = candidates.map((c) => c.history.slice(c.history.length - n));
  let best: Candidate | undefined;
  let bestR2 = -Infinity;
  candidates.forEach((vm, i) => {
    const others = series.filter((_, j) => j !== i);
    const r2 = rSquared(series[i] ?? [], others);
    if (r2 !== undefined && (r2 > bestR2 || (r2 === bestR2 && vm.id < (best?.id ?? Infinity)))) {
      best = vm;
      bestR2 = r2;
    }
  });
  return best;
}

/** R^2 of the least squares fit of y on the regressors (with an intercept); undefined if singular. */
export function rSquared(
  y: readonly number[],
  regressors: readonly (readonly number[])[],
): number | undefined {
  const n = y.length;
  const k = regressors.length + 1;
  // Normal equations (X'X) beta = X'y, X = [1, regressors...].
  const column = (j: number, t: number): number => (j === 0 ? 1 : (regressors[j - 1]?.[t] ?? 0));
  const a: number[][] = Array.from({ length: k }, (_, r) =>
    Array.from({ length: k + 1 }, (_, c) => {
      let sum = 0;
      for (let t = 0; t < n; t++) sum += column(r, t) * (c < k ? column(c, t) : (y[t] ?? 0));
      return sum;
    }),
  );
  const beta = solve(a, k);
  if (beta === undefined) return undefined;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  let residual = 0;
  let total = 0;
  for (let t = 0; t < n; t++) {
    let fitted = 0;
    for (let j = 0; j < k; j++) fitted += (beta[j] ?? 0) * column(j, t);
    residual += ((y[t] ?? 0) - fitted) ** 2;
    total += ((y[t] ?? 0) - mean) ** 2;
  }
  return total > 0 ? 1 - residual / total : undefined;
}

/** Gauss-Jordan elimination with partial pivoting of an augmented k x (k+1) system. */
function solve(a: number[][], k: number): number[] | undefined {
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) {
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    }
    const top = a[pivot];
    if (top === undefined || Math.abs(top[col] ?? 0) < 1e-12) return undefined;
    [a[col], a[pivot]] = [top, a[col] as number[]];
    const row = a[col] as number[];
    const lead = row[col] as number;
    for (let c = col; c <= k; c++) row[c] = (row[c] as number) / lead;
    for (let r = 0; r < k; r++) {
      const other = a[r] as number[];
      if (r === col) continue;
      const factor = other[col] as number;
      if (factor === 0) continue;
      for (let c = col; c <= k; c++) other[c] = (other[c] as number) - factor * (row[c] as number);
    }
  }
  return a.map((row) => row[k] as number);
}
