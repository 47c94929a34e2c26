/**
 * The classic answers to "how often should a job checkpoint?", for failures that strike as a
 * Poisson process of mean time between failures `mtbf`, with a checkpoint costing `cost` seconds.
 */

/** Young's first-order optimum: sqrt(2 C M) (J. W. Young, CACM 17(9), 1974). */
export function youngPeriod(cost: number, mtbf: number): number {
  return Math.sqrt(2 * cost * mtbf);
}

/**
 * Daly's higher-order optimum of the compute time between checkpoints (J. T. Daly, "A higher
 * order estimate of the optimum checkpoint interval for restart dumps", FGCS 22(3), 2006, eq. 37):
 * sqrt(2 C M) [1 + (1/3) sqrt(C / 2M) + (1/9) (C / 2M)] - C when C < 2M, M otherwise.
 */
export function dalyPeriod(cost: number, mtbf: number): number {
  if (cost >= 2 * mtbf) return mtbf;
  const ratio = cost / (2 * mtbf);
  return Math.sqrt(2 * cost * mtbf) * (1 + Math.sqrt(ratio) / 3 + ratio / 9) - cost;
}

export interface CheckpointedJob {
  /** Work of the job, s of failure-free computing. */
  readonly work: number;
  /** Computing between two checkpoints, s. */
  readonly period: number;
  /** Time a checkpoint takes, s (failures may strike during it). */
  readonly cost: number;
  /** Time a recovery takes, s (failures may strike during it). */
  readonly recovery: number;
  /** Time from a failure to the start of the recovery, s (no failure strikes during it). */
  readonly downtime: number;
  readonly mtbf: number;
}

/**
 * Expected completion time of a job cut into chunks of `period` computing, each followed by a
 * checkpoint, under exponential failures: a chunk of length x (its computing and its checkpoint)
 * takes e^(R/M) (M + D) (e^(x/M) - 1) on average (Bougeret, Casanova, Rabie, Robert, Vivien,
 * "Checkpointing strategies for parallel jobs", SC'11, Prop. 1). With D = 0 and W / tau chunks
 * the job takes M e^(R/M) (e^((tau + C)/M) - 1) W / tau. A job that stops checkpointing when it
 * ends (`finalCheckpoint` false, what a simulated vjob does) saves its last chunk's C; a last
 * chunk shorter than `period` holds the rest of the work.
 */
export function expectedCompletion(job: CheckpointedJob, finalCheckpoint = true): number {
  const { work, period, cost, recovery, downtime, mtbf } = job;
  const chunk = (x: number): number =>
    Math.exp(recovery / mtbf) * (mtbf + downtime) * Math.expm1(x / mtbf);
  // Rounding: a work of exactly k periods is k chunks, not k + 1.
  const chunks = Math.ceil(work / period - 1e-9);
  const last = work - (chunks - 1) * period;
  return (chunks - 1) * chunk(period + cost) + chunk(last + (finalCheckpoint ? cost : 0));
}
