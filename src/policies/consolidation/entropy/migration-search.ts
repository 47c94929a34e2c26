import type { Assignment, Configuration, VmDemand } from "../configuration.js";
import { currentAssignment } from "./assignment-metrics.js";
import type { NodeBudget } from "./node-budget.js";
import { fractionOf } from "./packing-problem.js";
import { HostLoads } from "./vm-moves.js";

/** Hosts tried for a VM besides its own, the tightest fits first. */
const ALTERNATIVES = 3;

/**
 * Branch and bound over where each free VM goes, restricted to `hosts` (indices into
 * configuration.hosts; they must include every host with pinned VMs), each host's CPU capped by
 * `cpuLimit`: the assignment that migrates the fewest bytes, if one beats `costToBeat`.
 *
 * VMs are decided by decreasing size, max(cpu / largest cores, memory / largest memory), as in
 * first-fit decreasing: the hard ones to place first, or the last ones strand (ties by memory,
 * the expensive decisions first, then id). A VM
 * first stays on its host if that host is in the set and has room (free), then tries the
 * ALTERNATIVES other hosts of the set that it fits tightest (least room left, cpu and memory as
 * fractions; ties by index), each costing its memory if it runs somewhere now. Prunes: cost so far
 * plus the memory of the VMs still to decide whose host is not in the set (they must move) reaches
 * the best; or the CPU or memory still to place exceeds the room left. The first descent is
 * "stay if possible, else best fit". Depth-first with an explicit stack (10,000 VMs would be too
 * deep for recursion); one node per host examined.
 */
export function leastMigrations(
  configuration: Configuration,
  hosts: readonly number[],
  cpuLimit: Float64Array,
  budget: NodeBudget,
  costToBeat: number,
): Assignment | undefined {
  const loads = new HostLoads(configuration, cpuLimit);
  const inSet = new Uint8Array(configuration.hosts.length);
  for (const h of hosts) inSet[h] = 1;
  for (const vm of configuration.vms) {
    const at = loads.index.get(vm.host ?? -1);
    if (vm.pinned && at !== undefined) loads.add(vm, at);
  }
  const cpuScale = configuration.hosts.reduce((max, h) => Math.max(max, h.cpu), 0);
  const memoryScale = configuration.hosts.reduce((max, h) => Math.max(max, h.memory), 0);
  const size = (vm: VmDemand): number =>
    Math.max(fractionOf(vm.cpu, cpuScale), fractionOf(vm.memory, memoryScale));
  const order = configuration.vms
    .filter((vm) => !vm.pinned)
    .sort((a, b) => size(b) - size(a) || b.memory - a.memory || a.id - b.id);
  const n = order.length;
  const home = Int32Array.from(order, (vm) => {
    const at = loads.index.get(vm.host ?? -1);
    return at !== undefined && inSet[at] === 1 ? at : -1;
  });
  // Suffix sums: memory that must move, and demand still to place, from each depth on.
  const mustMove = new Float64Array(n + 1);
  const cpuLeft = new Float64Array(n + 1);
  const memoryLeft = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    const vm = order[i];
    if (vm === undefined) continue;
    const moves = vm.host !== undefined && home[i] === -1;
    mustMove[i] = (mustMove[i + 1] ?? 0) + (moves ? vm.memory : 0);
    cpuLeft[i] = (cpuLeft[i + 1] ?? 0) + vm.cpu;
    memoryLeft[i] = (memoryLeft[i + 1] ?? 0) + vm.memory;
  }
  let roomCpu = 0;
  let roomMemory = 0;
  for (const h of hosts) {
    roomCpu += (cpuLimit[h] ?? 0) - (loads.cpu[h] ?? 0);
    roomMemory += (configuration.hosts[h]?.memory ?? 0) - (loads.memory[h] ?? 0);
  }

  const width = 1 + ALTERNATIVES;
  const options = new Int32Array(n * width);
  const optionCount = new Int32Array(n);
  const nextOption = new Int32Array(n);
  const listedOthers = new Uint8Array(n);
  const placed = new Int32Array(n).fill(-1);
  const placedCost = new Float64Array(n);
  let cost = 0;
  let best = costToBeat;
  let bestTarget: (number | undefined)[] | undefined;
  let depth = 0;
  let fresh = true;
  while (depth >= 0) {
    if (fresh) {
      fresh = false;
      if (depth === n) {
        if (cost < best) {
          best = cost;
          bestTarget = currentAssignment(configuration);
          order.forEach((vm, i) => {
            if (bestTarget) bestTarget[vm.id] = configuration.hosts[placed[i] ?? -1]?.id;
          });
        }
        depth--;
        continue;
      }
      optionCount[depth] = 0;
      nextOption[depth] = 0;
      const hopeless =
        cost + (mustMove[depth] ?? 0) >= best ||
        (cpuLeft[depth] ?? 0) > roomCpu ||
        (memoryLeft[depth] ?? 0) > roomMemory;
      listedOthers[depth] = hopeless ? 1 : 0;
      const own = home[depth] ?? -1;
      const vmHere = order[depth];
      if (!hopeless && vmHere !== undefined && own >= 0 && loads.fits(vmHere, own)) {
        options[depth * width] = own;
        optionCount[depth] = 1;
      }
    }
    const vm = order[depth];
    const was = placed[depth] ?? -1;
    if (vm !== undefined && was >= 0) {
      loads.remove(vm, was);
      roomCpu += vm.cpu;
      roomMemory += vm.memory;
      cost -= placedCost[depth] ?? 0;
      placed[depth] = -1;
    }
    const k = nextOption[depth] ?? 0;
    // Other hosts are listed only once staying has been tried: most VMs stay, and skip the scan.
    if (vm !== undefined && k >= (optionCount[depth] ?? 0) && listedOthers[depth] === 0) {
      listedOthers[depth] = 1;
      if (!listOthers(depth)) break;
    }
    if (vm === undefined || k >= (optionCount[depth] ?? 0)) {
      depth--;
      continue;
    }
    nextOption[depth] = k + 1;
    const host = options[depth * width + k] ?? 0;
    const price =
      vm.host !== undefined && configuration.hosts[host]?.id !== vm.host ? vm.memory : 0;
    loads.add(vm, host);
    roomCpu -= vm.cpu;
    roomMemory -= vm.memory;
    cost += price;
    placed[depth] = host;
    placedCost[depth] = price;
    depth++;
    fresh = true;
  }
  return bestTarget;

  /** Adds the other hosts to the options of the VM at `at`; false when out of budget. */
  function listOthers(at: number): boolean {
    const vm = order[at];
    if (vm === undefined) return true;
    let count = optionCount[at] ?? 0;
    const own = home[at] ?? -1;
    // The tightest fits among the other hosts: insertion into a short sorted list.
    const chosen: { host: number; room: number }[] = [];
    for (const h of hosts) {
      if (!budget.spend()) return false;
      if (h === own || !loads.fits(vm, h)) continue;
      const room =
        ((cpuLimit[h] ?? 0) - (loads.cpu[h] ?? 0) - vm.cpu) / Math.max(cpuLimit[h] ?? 0, 1e-300) +
        ((configuration.hosts[h]?.memory ?? 0) - (loads.memory[h] ?? 0) - vm.memory) /
          Math.max(configuration.hosts[h]?.memory ?? 0, 1e-300);
      let i = chosen.length;
      while (
        i > 0 &&
        ((chosen[i - 1]?.room ?? 0) > room ||
          ((chosen[i - 1]?.room ?? 0) === room && (chosen[i - 1]?.host ?? 0) > h))
      )
        i--;
      if (i < ALTERNATIVES) {
        chosen.splice(i, 0, { host: h, room });
        if (chosen.length > ALTERNATIVES) chosen.pop();
      }
    }
    for (const { host } of chosen) options[at * width + count++] = host;
    optionCount[at] = count;
    return true;
  }
}
