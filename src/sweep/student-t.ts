/**
 * Two-sided 95% quantiles of Student's t distribution, t(0.975, df), from the standard tables
 * (e.g. NIST/SEMATECH e-Handbook, table 1.4.2.2.7.3): exact to the 3 decimals printed for df <= 30;
 * between 30 and 120 and beyond, interpolated linearly in 1/df, which the tables recommend and
 * which is within 0.001 of the exact value.
 */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];
const FAR: readonly [number, number][] = [
  [30, 2.042],
  [40, 2.021],
  [60, 2.0],
  [120, 1.98],
  [Infinity, 1.96],
];

export function studentT975(df: number): number {
  if (!(df >= 1 && Number.isInteger(df))) throw new RangeError(`expected df >= 1, got ${df}`);
  if (df <= 30) return T975[df - 1] as number;
  for (let i = 1; i < FAR.length; i++) {
    const [highDf, highT] = FAR[i] as [number, number];
    if (df > highDf) continue;
    const [lowDf, lowT] = FAR[i - 1] as [number, number];
    const x = (1 / lowDf - 1 / df) / (1 / lowDf - 1 / highDf);
    return lowT + (highT - lowT) * x;
  }
  return 1.96;
}
