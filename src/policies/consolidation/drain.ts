import { withSlack, within } from "./capacity.js";
import type { Assignment, Configuration, VmDemand } from "./configuration.js";
import { currentAssignment } from "./entropy/assignment-metrics.js";
import { packingLowerBound } from "./entropy/lower-bounds.js";
import {
  type PackingProblem,
  buildPackingProblem,
  fractionOf,
  hostScales,
  sizeOf,
} from "./entropy/packing-problem.js";

/**
 * The drain heuristic, a baseline that any consolidation search should beat (issue 19): keep the
 * K hosts holding the most memory now, drain the others, each drained VM (largest first) onto
 * the kept host it fills best; the smallest K that works. Keeping the hosts that hold the most
 * memory moves the fewest bytes that any placement on K hosts can (the VMs that stay are on at
 * most K of their hosts), so when it works it is the cheapest plan to K hosts; what it misses is
 * hosts: filling best-first is first-fit's packing, not the fewest hosts.
 *
 * Hosts with pinned VMs are kept whatever K (their VMs cannot move); a kept host whose VMs ask
 * for more CPU than its cores sheds its smallest VMs until they fit, and they are placed again
 * with the drained ones (back on their host if it is still the one they fill best). Off hosts
 * hold nothing: kept last, after the empty hosts that are on.
 */
export interface DrainResult {
  readonly assignment: Assignment;
  /** Hosts kept (the assignment's active hosts when it works). */
  readonly keptHosts: number;
  /** Every VM not pinned placed, every kept host within its capacity. */
  readonly viable: boolean;
  /** Hosts examined for a VM, over every K tried. */
  readonly nodes: number;
}

/** `problem`: the configuration's packing problem, if the caller has it (for the lower bound). */
export function drain(
  configuration: Configuration,
  problem: PackingProblem = buildPackingProblem(configuration),
): DrainResult {
  const keep = keepOrder(configuration);
  const order = drainOrder(configuration);
  const forced = keep.forced;
  let nodes = 0;
  const attempt = (kept: number): Assignment | undefined => {
    const result = drainTo(configuration, keep.hosts, order, kept);
    nodes += result.nodes;
    return result.assignment;
  };
  const hosts = configuration.hosts.length;
  const anyFree = configuration.vms.some((vm) => !vm.pinned);
  const lowest = Math.max(forced, Math.min(hosts, anyFree ? packingLowerBound(problem) : 0));
  // The smallest K that works, by bisection: the larger K, the more room (not strictly
  // monotone, but the bisection keeps the best K it saw work).
  let best: { kept: number; assignment: Assignment } | undefined;
  const all = attempt(hosts);
  if (all === undefined) {
    return { assignment: currentAssignment(configuration), keptHosts: hosts, viable: false, nodes };
  }
  best = { kept: hosts, assignment: all };
  let low = lowest;
  let high = hosts - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const assignment = attempt(middle);
    if (assignment === undefined) low = middle + 1;
    else {
      best = { kept: middle, assignment };
      high = middle - 1;
    }
  }
  return { assignment: best.assignment, keptHosts: best.kept, viable: true, nodes };
}

/**
 * The hosts in the order they are kept (indices into `configuration.hosts`): those with pinned
 * VMs first (`forced` of them), then by decreasing memory held, hosts on before hosts off, then
 * by decreasing memory and CPU capacity, then id.
 */
export function keepOrder(configuration: Configuration): { hosts: number[]; forced: number } {
  const { hosts, vms } = configuration;
  const index = new Map(hosts.map((host, i) => [host.id, i]));
  const held = new Float64Array(hosts.length);
  const pinned = new Uint8Array(hosts.length);
  for (const vm of vms) {
    const at = index.get(vm.host ?? -1);
    if (at === undefined) continue;
    held[at] = (held[at] as number) + vm.memory;
    if (vm.pinned) pinned[at] = 1;
  }
  const order = hosts
    .map((_, i) => i)
    .sort((a, b) => {
      const ha = hosts[a] as (typeof hosts)[number];
      const hb = hosts[b] as (typeof hosts)[number];
      return (
        (pinned[b] as number) - (pinned[a] as number) ||
        (held[b] as number) - (held[a] as number) ||
        Number(ha.off === true) - Number(hb.off === true) ||
        hb.memory - ha.memory ||
        hb.cpu - ha.cpu ||
        ha.id - hb.id
      );
    });
  return { hosts: order, forced: pinned.reduce((sum, p) => sum + p, 0) };
}

/**
 * The VMs not pinned, largest first: size is the larger of the shares of the largest host's CPU
 * and memory they take (as first-fit decreasing sorts), then CPU, memory, id.
 */
export function drainOrder(configuration: Configuration): VmDemand[] {
  const scales = hostScales(configuration.hosts);
  return configuration.vms
    .filter((vm) => !vm.pinned)
    .map((vm) => ({ vm, size: sizeOf(vm, scales) }))
    .sort(
      (a, b) =>
        b.size - a.size || b.vm.cpu - a.vm.cpu || b.vm.memory - a.vm.memory || a.vm.id - b.vm.id,
    )
    .map(({ vm }) => vm);
}

/**
 * Drains every host but the first `kept` of `keep`: undefined if some VM finds no room. `order`
 * is every VM not pinned, largest first.
 */
export function drainTo(
  configuration: Configuration,
  keep: readonly number[],
  order: readonly VmDemand[],
  kept: number,
): { assignment: Assignment | undefined; nodes: number } {
  const { hosts, vms } = configuration;
  const index = new Map(hosts.map((host, i) => [host.id, i]));
  const isKept = new Uint8Array(hosts.length);
  for (let k = 0; k < kept; k++) isKept[keep[k] as number] = 1;
  const cpu = new Float64Array(hosts.length);
  const memory = new Float64Array(hosts.length);
  const target = currentAssignment(configuration);
  const staying: VmDemand[][] = hosts.map(() => []);
  for (const vm of vms) {
    const at = index.get(vm.host ?? -1);
    if (at === undefined || isKept[at] === 0) continue;
    cpu[at] = (cpu[at] as number) + vm.cpu;
    memory[at] = (memory[at] as number) + vm.memory;
    if (!vm.pinned) (staying[at] as VmDemand[]).push(vm);
  }
  // A kept host over its cores sheds its smallest VMs (by CPU, then memory, id) until it fits.
  const leaving = new Set<VmDemand>();
  for (let k = 0; k < kept; k++) {
    const h = keep[k] as number;
    const host = hosts[h] as (typeof hosts)[number];
    const smallest = (staying[h] as VmDemand[]).sort(
      (a, b) => a.cpu - b.cpu || a.memory - b.memory || a.id - b.id,
    );
    for (const vm of smallest) {
      if (within(cpu[h] as number, host.cpu) && within(memory[h] as number, host.memory)) break;
      cpu[h] = (cpu[h] as number) - vm.cpu;
      memory[h] = (memory[h] as number) - vm.memory;
      leaving.add(vm);
    }
  }
  let nodes = 0;
  for (const vm of order) {
    const home = index.get(vm.host ?? -1);
    if (home !== undefined && isKept[home] === 1 && !leaving.has(vm)) continue;
    let chosen = -1;
    let fill = -Infinity;
    for (let k = 0; k < kept; k++) {
      nodes++;
      const h = keep[k] as number;
      const host = hosts[h] as (typeof hosts)[number];
      const cpuAfter = (cpu[h] as number) + vm.cpu;
      const memoryAfter = (memory[h] as number) + vm.memory;
      if (cpuAfter > withSlack(host.cpu) || memoryAfter > withSlack(host.memory)) continue;
      const after = fractionOf(cpuAfter, host.cpu) + fractionOf(memoryAfter, host.memory);
      if (after > fill) {
        fill = after;
        chosen = h;
      }
    }
    if (chosen < 0) return { assignment: undefined, nodes };
    cpu[chosen] = (cpu[chosen] as number) + vm.cpu;
    memory[chosen] = (memory[chosen] as number) + vm.memory;
    target[vm.id] = (hosts[chosen] as (typeof hosts)[number]).id;
  }
  return { assignment: target, nodes };
}
