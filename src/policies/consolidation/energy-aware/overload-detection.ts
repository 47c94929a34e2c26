import { iqr, localRegression, mad } from "./statistics.js";

/**
 * How a host is found overloaded (Beloglazov & Buyya, CCPE 2012): THR, a static utilisation
 * threshold; IQR and MAD, an adaptive one, 1 - s x IQR (or MAD) of the host's history; LR and
 * LRR, the utilisation predicted by (robust) local regression after the longest migration off the
 * host, times a safety parameter s, reaching 1. The adaptive methods fall back to THR at
 * `fallback` while a host has fewer samples than they need (12 for IQR and MAD, 10 for LR).
 */
export type OverloadMethod = "thr" | "iqr" | "mad" | "lr" | "lrr";

export interface OverloadSettings {
  readonly method: OverloadMethod;
  /** THR's threshold (the paper's 0.8). */
  readonly threshold: number;
  /** The safety parameter s (the paper's best: IQR 1.5, MAD 2.5, LR and LRR 1.2). */
  readonly safety: number;
  /** The threshold used while the history is too short. */
  readonly fallback: number;
}

/** The paper's parameters per method. */
export const PAPER_SAFETY: Readonly<Record<OverloadMethod, number>> = {
  thr: 1,
  iqr: 1.5,
  mad: 2.5,
  lr: 1.2,
  lrr: 1.2,
};

/**
 * Whether a host is overloaded given its utilisation history (demand over capacity, possibly
 * above 1; oldest first, the last sample being now). `migrationPeriods`: the longest migration
 * off the host, in decision periods (LR and LRR predict that far ahead).
 */
export function isOverloaded(
  settings: OverloadSettings,
  history: readonly number[],
  migrationPeriods: number,
): boolean {
  const { method, safety, fallback } = settings;
  const now = history[history.length - 1] ?? 0;
  switch (method) {
    case "thr":
      return now > settings.threshold;
    case "iqr":
    case "mad": {
      if (history.length < 12) return now > fallback;
      const spread = method === "iqr" ? iqr(history) : mad(history);
      return now > 1 - safety * spread;
    }
    case "lr":
    case "lrr": {
      const recent = history.slice(-10);
      const fit = recent.length < 10 ? undefined : localRegression(recent, method === "lrr");
      if (fit === undefined) return now > fallback;
      const predicted = fit.a + fit.b * (recent.length + migrationPeriods);
      return safety * predicted >= 1;
    }
  }
}
