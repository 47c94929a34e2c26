/**
 * A bandwidth-sharing problem: links of given capacities, and flows crossing some of them, each
 * with a weight (its share grows in proportion) and an optional bound on its rate. Its solution is
 * the weighted max-min fair allocation: no flow's rate per unit of weight can grow without
 * lowering that of a flow with a smaller or equal one.
 */
export interface SharingProblem {
  /** Capacity of each link, bytes/s, indexed by link. */
  readonly capacity: ArrayLike<number>;
  readonly flows: readonly SharedFlow[];
}

export interface SharedFlow {
  /** Indices into `capacity`; a link appears at most once. */
  readonly route: ArrayLike<number>;
  /** > 0 */
  readonly weight: number;
  /** Upper bound on the rate; Infinity for none. */
  readonly bound: number;
}
