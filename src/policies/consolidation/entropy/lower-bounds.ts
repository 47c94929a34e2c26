import type { PackingProblem } from "./packing-problem.js";
import { withSlack } from "../capacity.js";

/**
 * Lower bounds on the number of active hosts. A bound is only ever too low, never too high: the
 * search stops as soon as it meets one, and calls the result optimal.
 */

/** The smallest k with k * capacity >= total (0 for nothing to hold), by exact comparisons. */
export function ceilRatio(total: number, capacity: number): number {
  if (total <= 0) return 0;
  if (capacity <= 0) return Infinity;
  let k = Math.ceil(total / capacity);
  while (k > 0 && (k - 1) * capacity >= total) k--;
  while (k * capacity < total) k++;
  return k;
}

/** Capacities available in groups of equal hosts (capacity, count). */
export interface CapacityGroup {
  readonly capacity: number;
  readonly count: number;
}

/**
 * The smallest k such that `base` plus the k largest capacities reach `demand`: no fewer hosts
 * can hold it. On identical hosts with base 0 this is ceil(demand / capacity). Infinity when even
 * all hosts are too small.
 */
export function capacityCoverBound(
  demand: number,
  base: number,
  groups: readonly CapacityGroup[],
): number {
  let covered = base;
  let k = 0;
  if (covered >= demand) return 0;
  for (const { capacity, count } of [...groups].sort(
    (a, b) => b.capacity - a.capacity || b.count - a.count,
  )) {
    if (capacity <= 0) break;
    const needed = ceilRatio(demand - covered, capacity);
    if (needed <= count) return k + needed;
    covered += capacity * count;
    k += count;
  }
  return Infinity;
}

/**
 * Martello and Toth's L2 bound for one-dimensional bin packing (Martello & Toth 1990, "Lower
 * bounds and reduction procedures for the bin packing problem"). For each threshold K in {0} and
 * the sizes <= C/2: items above C - K each need their own bin (J1); items in (C/2, C - K] each need
 * a bin too (J2) and leave C - size free, which only items of J3 = [K, C/2] can use; what of J3
 * does not fit in that room needs ceil(rest / C) more bins. L2 is the best of these. It is the
 * bound that closes Falkenauer's uniform instances, where the continuous bound ceil(sum / C) is
 * sometimes one short. O(n log n): sizes sorted once, each K answered by binary searches.
 */
export function martelloTothL2(sizes: readonly number[], capacity: number): number {
  const sorted = Float64Array.from(sizes).sort();
  return martelloTothL2Grouped(sorted, new Float64Array(sorted.length).fill(1), capacity);
}

/**
 * `martelloTothL2` of `counts[i]` items of size `sizes[i]`, sizes increasing (counts may be 0).
 */
export function martelloTothL2Grouped(
  sizes: Float64Array,
  counts: Float64Array,
  capacity: number,
): number {
  if (capacity <= 0 || sizes.length === 0) return 0;
  // prefix[i]: items (count) and total size of groups before i.
  const prefixCount = new Float64Array(sizes.length + 1);
  const prefixSum = new Float64Array(sizes.length + 1);
  for (let i = 0; i < sizes.length; i++) {
    const count = counts[i] ?? 0;
    prefixCount[i + 1] = (prefixCount[i] ?? 0) + count;
    prefixSum[i + 1] = (prefixSum[i] ?? 0) + count * (sizes[i] ?? 0);
  }
  const countBetween = (from: number, to: number) =>
    (prefixCount[to] ?? 0) - (prefixCount[from] ?? 0);
  const sumBetween = (from: number, to: number) => (prefixSum[to] ?? 0) - (prefixSum[from] ?? 0);
  const half = capacity / 2;
  const aboveHalf = searchFirst(sizes, (s) => s > half);
  let best = 0;
  let previous = NaN;
  for (let i = -1; i < aboveHalf; i++) {
    if (i >= 0 && (counts[i] ?? 0) === 0) continue;
    const k = i < 0 ? 0 : (sizes[i] ?? 0);
    if (k === previous) continue;
    previous = k;
    const j1Start = searchFirst(sizes, (s) => s > capacity - k);
    const j1 = countBetween(j1Start, sizes.length);
    const j2 = countBetween(aboveHalf, j1Start);
    const j2Sum = sumBetween(aboveHalf, j1Start);
    const j3Start = searchFirst(sizes, (s) => s >= k);
    const j3Sum = sumBetween(j3Start, aboveHalf);
    best = Math.max(best, j1 + j2 + ceilRatio(j3Sum - (j2 * capacity - j2Sum), capacity));
  }
  return best;
}

/** Index of the first element of an increasing array that satisfies a monotone predicate. */
function searchFirst(sorted: Float64Array, predicate: (value: number) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (predicate(sorted[mid] ?? 0)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * Lower bound on active hosts for a packing problem:
 * - hosts with pinned VMs are active; per resource, the free VMs' demand beyond those hosts' room
 *   needs at least `capacityCoverBound` more hosts (the k largest capacities that cover it);
 * - at least one host when there is a free VM and no forced host;
 * - on identical hosts, Martello–Toth L2 per resource, over all VMs (pinned ones treated as free:
 *   a relaxation, so still a lower bound).
 */
export function packingLowerBound(problem: PackingProblem): number {
  const { configuration, types, classes, forced } = problem;
  let demandCpu = 0;
  let demandMemory = 0;
  for (const type of types) {
    demandCpu += type.cpu * type.vms.length;
    demandMemory += type.memory * type.vms.length;
  }
  let roomCpu = 0;
  let roomMemory = 0;
  // Capacities with the slack that the searches and viability allow (see CAPACITY_SLACK): a
  // bound on bins that large is a bound on the packings they accept.
  for (const host of forced) {
    roomCpu += Math.max(0, withSlack(host.capacityCpu) - host.pinnedCpu);
    roomMemory += Math.max(0, withSlack(host.capacityMemory) - host.pinnedMemory);
  }
  const groups = (capacity: (c: { cpu: number; memory: number }) => number): CapacityGroup[] =>
    classes.map((c) => ({ capacity: withSlack(capacity(c)), count: c.hosts.length }));
  const cover =
    forced.length +
    Math.max(
      capacityCoverBound(
        demandCpu,
        roomCpu,
        groups((c) => c.cpu),
      ),
      capacityCoverBound(
        demandMemory,
        roomMemory,
        groups((c) => c.memory),
      ),
    );
  const anyFree = types.length > 0;
  let bound = Math.max(cover, anyFree ? 1 : 0);
  const first = configuration.hosts[0];
  const identical =
    first !== undefined &&
    configuration.hosts.every((h) => h.cpu === first.cpu && h.memory === first.memory);
  if (identical) {
    const onHosts = configuration.vms.filter(
      (vm) => !vm.pinned || problem.hostIndex.has(vm.host ?? -1),
    );
    bound = Math.max(
      bound,
      martelloTothL2(
        onHosts.map((vm) => vm.cpu),
        withSlack(first.cpu),
      ),
      martelloTothL2(
        onHosts.map((vm) => vm.memory),
        withSlack(first.memory),
      ),
    );
  }
  return bound;
}
