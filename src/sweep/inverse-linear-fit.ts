/**
 * Where a checkpoint sweep has its minimum: the cost of checkpoints falls as 1 / tau and the work
 * lost grows as tau (Young's first-order model), so the least-squares fit of
 * y = a / tau + b tau + c places the minimum of a noisy, flat-bottomed sweep at sqrt(a / b).
 */
export function fittedMinimum(periods: readonly number[], values: readonly number[]): number {
  const [a, b] = fitInverseLinear(periods, values);
  return Math.sqrt(a / b);
}

/** Least squares of y = a / x + b x + c; returns [a, b, c] (normal equations, 3 x 3). */
export function fitInverseLinear(
  xs: readonly number[],
  ys: readonly number[],
): [number, number, number] {
  const rows = xs.map((x) => [1 / x, x, 1]);
  const normal = [0, 1, 2].map((i) =>
    [0, 1, 2].map((j) => rows.reduce((sum, row) => sum + (row[i] ?? 0) * (row[j] ?? 0), 0)),
  );
  const rhs = [0, 1, 2].map((i) =>
    rows.reduce((sum, row, k) => sum + (row[i] ?? 0) * (ys[k] ?? 0), 0),
  );
  const [p, q, r] = solve3(normal, rhs);
  return [p, q, r];
}

/** Gaussian elimination with partial pivoting on a 3 x 3 system. */
function solve3(matrix: number[][], rhs: number[]): [number, number, number] {
  const a = matrix.map((row, i) => [...row, rhs[i] ?? 0]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let row = col + 1; row < 3; row++) {
      if (Math.abs(a[row]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = row;
    }
    [a[col], a[pivot]] = [a[pivot] ?? [], a[col] ?? []];
    const top = a[col] ?? [];
    for (let row = col + 1; row < 3; row++) {
      const current = a[row] ?? [];
      const factor = (current[col] ?? 0) / (top[col] ?? 1);
      for (let k = col; k < 4; k++) current[k] = (current[k] ?? 0) - factor * (top[k] ?? 0);
    }
  }
  const x = [0, 0, 0];
  for (let row = 2; row >= 0; row--) {
    const current = a[row] ?? [];
    let sum = current[3] ?? 0;
    for (let k = row + 1; k < 3; k++) sum -= (current[k] ?? 0) * (x[k] ?? 0);
    x[row] = sum / (current[row] ?? 1);
  }
  return [x[0] ?? 0, x[1] ?? 0, x[2] ?? 0];
}
