import type { Assignment, Configuration, VmDemand } from "../configuration.js";
import { within } from "../capacity.js";
import { currentAssignment, isViable } from "./assignment-metrics.js";
import type { NodeBudget } from "./node-budget.js";
import { cheapestCover } from "./repair.js";
import { HostLoads, coresOf } from "./vm-moves.js";

/**
 * A drain fills the other hosts to at most this fraction of their capacity: set on the VMPlaceS
 * setting (BENCHMARKS.md, "Entropy improving on the current placement"), where 0.8 frees 11% of
 * the hosts with a fortieth of the violation time of repacking and 0.85 to 0.9 bring back the
 * thrash (a host drained at the brim is repaired a few decisions later).
 */
export const DEFAULT_DRAIN_FILL = 0.8;

export interface IncrementalResult {
  readonly assignment: Assignment;
  /** Every host within its capacity and every free VM placed. */
  readonly viable: boolean;
}

/**
 * The consolidate objective improving on where the VMs are (Entropy's `search: incremental`): a
 * control loop that repacks the whole cloud at every decision migrates thousands of VMs an hour
 * for a host or two and overloads the hosts it fills to the brim (BENCHMARKS.md, "Consolidation
 * in the VMPlaceS setting"). Instead, in three steps, one node per host examined:
 * 1. repair: on each host whose VMs ask for more than its capacity, the VMs of least memory that
 *    cover the excess leave (`cheapestCover`, as in the repair objective);
 * 2. place the VMs that left and those that run nowhere, largest CPU first (then memory, id): on
 *    the active host (one that holds VMs and is not being repaired) left with the most CPU room,
 *    else on an empty host that is on, else on one that is off (a boot), lowest index first;
 *    a VM with nowhere to go stays where it is;
 * 3. drain: the active hosts with no busy (pinned) VM, least CPU load first (then memory, index),
 *    each emptied when all its VMs fit on the other active hosts within `drainFill` of their CPU
 *    capacity (same rule, largest VM first), not counting the hosts already drained or repaired
 *    in this decision: no VM moves twice, and hosts are freed a few at a time; with placement
 *    constraints, a drain whose moves they would undo is not made.
 * Repairing above the capacity but draining only to `drainFill` of it is a hysteresis: a host
 * filled by a drain has room for its load to rise before it is repaired, so VMs do not go back
 * and forth between a drain and a repair. Filling the host with the most room, not the one it
 * fills best, keeps the active hosts evenly loaded: with a given number of hosts, that is what
 * leaves each the most room to grow. Stops where the budget runs out, with the moves decided so
 * far.
 */
export function improveCurrent(
  configuration: Configuration,
  budget: NodeBudget,
  drainFill = DEFAULT_DRAIN_FILL,
  /** Whether the placement constraints let these VMs' moves stand: a drain they refuse is not made. */
  keepsMoves?: (target: Assignment, moved: readonly number[]) => boolean,
): IncrementalResult {
  const { hosts, vms } = configuration;
  const cores = coresOf(configuration);
  const limits = Float64Array.from(cores);
  const loads = new HostLoads(configuration, limits);
  const target = currentAssignment(configuration);
  const onHost: VmDemand[][] = hosts.map(() => []);
  const busy = new Uint8Array(hosts.length);
  const homeless: VmDemand[] = [];
  for (const vm of vms) {
    const at = loads.index.get(vm.host ?? -1);
    if (at === undefined) {
      if (!vm.pinned) homeless.push(vm);
      continue;
    }
    loads.add(vm, at);
    onHost[at]?.push(vm);
    if (vm.pinned) busy[at] = 1;
  }
  // Hosts being repaired, drained, or that received VMs: none takes part in a drain.
  const touched = new Uint8Array(hosts.length);
  const repaired = new Uint8Array(hosts.length);
  const leaving: VmDemand[] = [];
  for (let h = 0; h < hosts.length; h++) {
    if (within(loads.cpu[h] ?? 0, loads.cpuLimit[h] ?? 0)) continue;
    const excess = (loads.cpu[h] ?? 0) - (loads.cpuLimit[h] ?? 0);
    const movable = (onHost[h] ?? []).filter((vm) => !vm.pinned);
    repaired[h] = 1;
    touched[h] = 1;
    for (const vm of cheapestCover(movable, excess, budget)) {
      loads.remove(vm, h);
      leaving.push(vm);
    }
  }
  const roomiest = (vm: VmDemand, excluded: (h: number) => boolean): number => {
    let chosen = -1;
    let room = -Infinity;
    for (let h = 0; h < hosts.length; h++) {
      if (!budget.spend()) return -1;
      if ((loads.count[h] ?? 0) === 0 || excluded(h) || !loads.fits(vm, h)) continue;
      const left = (loads.cpuLimit[h] ?? 0) - (loads.cpu[h] ?? 0) - vm.cpu;
      if (left > room) {
        chosen = h;
        room = left;
      }
    }
    return chosen;
  };
  const firstEmpty = (vm: VmDemand, off: boolean): number => {
    for (let h = 0; h < hosts.length; h++) {
      if (!budget.spend()) return -1;
      const empty = (loads.count[h] ?? 0) === 0 && repaired[h] === 0;
      if (empty && (hosts[h]?.off === true) === off && loads.fits(vm, h)) return h;
    }
    return -1;
  };
  /** Sends the VM to `to` in the target; its load there is already counted. */
  const assign = (vm: VmDemand, to: number): void => {
    touched[to] = 1;
    target[vm.id] = hosts[to]?.id;
  };
  const largestFirst = (a: VmDemand, b: VmDemand): number =>
    b.cpu - a.cpu || b.memory - a.memory || a.id - b.id;
  for (const vm of [...leaving, ...homeless].sort(largestFirst)) {
    let to = roomiest(vm, (h) => repaired[h] === 1);
    if (to < 0) to = firstEmpty(vm, false);
    if (to < 0) to = firstEmpty(vm, true);
    if (to >= 0) {
      loads.add(vm, to);
      assign(vm, to);
    } else {
      // Nowhere to go: it stays (on its host, or nowhere).
      const home = loads.index.get(vm.host ?? -1);
      if (home !== undefined) loads.add(vm, home);
    }
  }
  const drainable = hosts
    .map((_, h) => h)
    .filter((h) => (loads.count[h] ?? 0) > 0 && busy[h] === 0 && touched[h] === 0)
    .sort(
      (a, b) =>
        (loads.cpu[a] ?? 0) - (loads.cpu[b] ?? 0) ||
        (loads.memory[a] ?? 0) - (loads.memory[b] ?? 0) ||
        a - b,
    );
  // From here on, the limit of a host is what a drain may fill it to.
  for (let h = 0; h < hosts.length; h++) limits[h] = (cores[h] ?? 0) * drainFill;
  for (const h of drainable) {
    if (touched[h] === 1 || budget.exhausted) continue;
    // Untouched: no VM left the host or came to it, so its VMs are those it started with.
    const residents = onHost[h] ?? [];
    for (const vm of residents) loads.remove(vm, h);
    touched[h] = 1;
    const placed: [VmDemand, number][] = [];
    for (const vm of residents.sort(largestFirst)) {
      const to = roomiest(vm, (other) => other === h || repaired[other] === 1);
      if (to < 0) break;
      loads.add(vm, to);
      placed.push([vm, to]);
    }
    for (const [vm, to] of placed) target[vm.id] = hosts[to]?.id;
    const kept =
      keepsMoves === undefined ||
      keepsMoves(
        target,
        placed.map(([vm]) => vm.id),
      );
    if (placed.length === residents.length && kept) {
      for (const [vm, to] of placed) assign(vm, to);
    } else {
      for (const [vm] of placed) target[vm.id] = vm.host;
      for (const [vm, to] of placed) loads.remove(vm, to);
      for (const vm of residents) loads.add(vm, h);
    }
  }
  return { assignment: target, viable: isViable(configuration, target) };
}
