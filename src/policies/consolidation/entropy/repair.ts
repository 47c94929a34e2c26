import { within, withSlack } from "../capacity.js";
import type { Assignment, Configuration, VmDemand } from "../configuration.js";
import { NodeBudget } from "./node-budget.js";

export interface RepairResult {
  readonly assignment: Assignment;
  /** Bytes of RAM the moves migrate. */
  readonly migrationCost: number;
  readonly nodes: number;
  /** Whether every host ends within its cores (false when the evicted VMs found no room). */
  readonly viable: boolean;
}

/**
 * Entropy's repair objective (the one VMPlaceS studies): leave a viable configuration alone, and
 * fix an overloaded one with the cheapest moves. On each overloaded host, the VMs to move are the
 * set of least memory whose CPU demand covers the excess (a minimum-cost cover, exact by branch
 * and bound within the node budget, the best found otherwise); each evicted VM, largest CPU first,
 * then goes to the host it fills best (least CPU left after it, ties to the lower id) among those
 * not overloaded that have room for its CPU and memory. A VM with nowhere to go stays.
 */
export function repair(configuration: Configuration, nodeBudget: number): RepairResult {
  const { hosts, vms } = configuration;
  const budget = new NodeBudget(nodeBudget);
  const cpu = new Map(hosts.map((host) => [host.id, 0]));
  const memory = new Map(hosts.map((host) => [host.id, 0]));
  for (const vm of vms) {
    if (vm.host === undefined) continue;
    cpu.set(vm.host, (cpu.get(vm.host) ?? 0) + vm.cpu);
    memory.set(vm.host, (memory.get(vm.host) ?? 0) + vm.memory);
  }
  const target: (number | undefined)[] = vms.map((vm) => vm.host);
  const overloaded = hosts.filter((host) => !within(cpu.get(host.id) ?? 0, host.cpu));
  const evicted: VmDemand[] = [];
  for (const host of overloaded) {
    const movable = vms.filter((vm) => vm.host === host.id && !vm.pinned);
    evicted.push(...cheapestCover(movable, (cpu.get(host.id) ?? 0) - host.cpu, budget));
  }
  const receivers = hosts.filter((host) => !overloaded.includes(host));
  let cost = 0;
  let viable = true;
  for (const vm of evicted.sort((a, b) => b.cpu - a.cpu || b.memory - a.memory || a.id - b.id)) {
    let best: { id: number; left: number } | undefined;
    for (const host of receivers) {
      budget.spend();
      const left = withSlack(host.cpu) - (cpu.get(host.id) ?? 0) - vm.cpu;
      const roomy = within((memory.get(host.id) ?? 0) + vm.memory, host.memory);
      if (left >= 0 && roomy && (best === undefined || left < best.left)) {
        best = { id: host.id, left };
      }
    }
    if (best === undefined || vm.host === undefined) {
      viable = false;
      continue;
    }
    cpu.set(vm.host, (cpu.get(vm.host) ?? 0) - vm.cpu);
    memory.set(vm.host, (memory.get(vm.host) ?? 0) - vm.memory);
    cpu.set(best.id, (cpu.get(best.id) ?? 0) + vm.cpu);
    memory.set(best.id, (memory.get(best.id) ?? 0) + vm.memory);
    target[vm.id] = best.id;
    cost += vm.memory;
  }
  return { assignment: target, migrationCost: cost, nodes: budget.nodes, viable };
}

/**
 * The VMs of least total memory whose CPU demand adds up to at least `excess`: depth-first
 * branch and bound over the VMs in increasing memory per core (the order of the fractional
 * relaxation, which gives the bound), taking each VM before leaving it. Falls back to the greedy
 * first solution (the order's prefix) when the budget runs out before any is found.
 */
export function cheapestCover(
  vms: readonly VmDemand[],
  excess: number,
  budget: NodeBudget,
): VmDemand[] {
  const order = vms
    .filter((vm) => vm.cpu > 0)
    .sort((a, b) => a.memory / a.cpu - b.memory / b.cpu || a.id - b.id);
  let best: VmDemand[] = greedyPrefix(order, excess);
  let bestCost = best.reduce((sum, vm) => sum + vm.memory, 0);
  const chosen: VmDemand[] = [];
  const search = (from: number, covered: number, cost: number): void => {
    if (!budget.spend()) return;
    if (covered >= excess) {
      if (cost < bestCost) {
        bestCost = cost;
        best = [...chosen];
      }
      return;
    }
    // Fractional relaxation: the rest of the excess at the cheapest memory per core left.
    const next = order[from];
    if (next === undefined) return;
    if (cost + ((excess - covered) * next.memory) / next.cpu >= bestCost) return;
    chosen.push(next);
    search(from + 1, covered + next.cpu, cost + next.memory);
    chosen.pop();
    search(from + 1, covered, cost);
  };
  search(0, 0, 0);
  return best;
}

/** Takes VMs in order until their CPU covers `excess` (all of them if it never does). */
function greedyPrefix(order: readonly VmDemand[], excess: number): VmDemand[] {
  const taken: VmDemand[] = [];
  let covered = 0;
  for (const vm of order) {
    if (covered >= excess) break;
    taken.push(vm);
    covered += vm.cpu;
  }
  return taken;
}
