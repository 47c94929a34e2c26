/**
 * The one tolerance of the consolidation policies on a host's capacity. CPU demands are fractions
 * of cores whose sums depend on the order of the additions (0.56 + 0.34 + 0.10 is
 * 1.0000000000000002 in binary): without a slack, VMs that fill a host exactly are split onto two
 * hosts by one rounding error. Lower bounds, viability, first-fit and the searches, and the room
 * a plan checks at each step all use it, so a packing the search builds is one the bound counts,
 * viability accepts and a plan can reach.
 */
export const CAPACITY_SLACK = 1e-9;

/** The capacity with the slack: what a host may hold. */
export function withSlack(capacity: number): number {
  return capacity + CAPACITY_SLACK * Math.abs(capacity);
}

/** Whether `used` is within `capacity` (see CAPACITY_SLACK). */
export function within(used: number, capacity: number): boolean {
  return used <= withSlack(capacity);
}
