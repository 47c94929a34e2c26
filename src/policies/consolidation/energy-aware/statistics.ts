/**
 * The statistics of Beloglazov & Buyya's overload detection (CCPE 2012, section 6), written from
 * the paper's definitions. Inputs are host utilisation histories, oldest first.
 */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median absolute deviation: the median of |x - median(x)|. */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((x) => Math.abs(x - m)));
}

/**
 * Interquartile range Q3 - Q1, the quartiles being the medians of the lower and upper halves
 * (Tukey's hinges; the middle value of an odd count belongs to neither half).
 */
export function iqr(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  const lower = sorted.slice(0, half);
  const upper = sorted.slice(sorted.length - half);
  return median(upper) - median(lower);
}

/** Weighted least squares fit of y = a + b x; undefined if the x's carry no spread. */
export function weightedLine(
  x: readonly number[],
  y: readonly number[],
  w: readonly number[],
): { readonly a: number; readonly b: number } | undefined {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const wi = w[i] ?? 0;
    sw += wi;
    sx += wi * (x[i] ?? 0);
    sy += wi * (y[i] ?? 0);
  }
  if (!(sw > 0)) return undefined;
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const wi = w[i] ?? 0;
    const dx = (x[i] ?? 0) - mx;
    sxx += wi * dx * dx;
    sxy += wi * dx * ((y[i] ?? 0) - my);
  }
  if (!(sxx > 0)) return undefined;
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/** Tukey's tricube: (1 - |u|^3)^3 for |u| < 1, else 0. */
export function tricube(u: number): number {
  const v = Math.abs(u);
  return v < 1 ? (1 - v ** 3) ** 3 : 0;
}

/** Tukey's bisquare: (1 - u^2)^2 for |u| < 1, else 0. */
export function bisquare(u: number): number {
  return Math.abs(u) < 1 ? (1 - u * u) ** 2 : 0;
}

/**
 * Local regression at the newest point (Cleveland's loess, as the paper's LR): the history
 * y_1..y_n at x = 1..n, weights tricube((n - x) / (n - 1)), fitted line a + b x. With `robust`
 * (LRR), one more fit whose weights are multiplied by bisquare(r / (6 median |r|)) of the first
 * fit's residuals r. Undefined if a fit is degenerate.
 */
export function localRegression(
  history: readonly number[],
  robust: boolean,
): { readonly a: number; readonly b: number } | undefined {
  const n = history.length;
  if (n < 3) return undefined;
  const x = history.map((_, i) => i + 1);
  const weights = x.map((xi) => tricube((n - xi) / (n - 1)));
  const fit = weightedLine(x, history, weights);
  if (fit === undefined || !robust) return fit;
  const residuals = history.map((y, i) => y - (fit.a + fit.b * (x[i] ?? 0)));
  const scale = 6 * median(residuals.map(Math.abs));
  // A perfect fit has no outliers to down-weight.
  if (!(scale > 0)) return fit;
  const robustWeights = weights.map((w, i) => w * bisquare((residuals[i] ?? 0) / scale));
  return weightedLine(x, history, robustWeights) ?? fit;
}
