import { within } from "../capacity.js";
import type { Assignment, Configuration } from "../configuration.js";

/** What an assignment costs and whether it is allowed, measured on the configuration it is for. */

/** Every VM where it is now: target[vm.id] = vm.host. */
export function currentAssignment(configuration: Configuration): (number | undefined)[] {
  const target: (number | undefined)[] = new Array<number | undefined>(configuration.vms.length);
  for (const vm of configuration.vms) target[vm.id] = vm.host;
  return target;
}

/**
 * Bytes of memory migrated: a VM that runs on a host now and is sent to another host costs its
 * memory; staying is free, and so is starting a VM that runs nowhere yet.
 */
export function migrationCost(configuration: Configuration, target: Assignment): number {
  let cost = 0;
  for (const vm of configuration.vms) if (migrates(vm.host, target[vm.id])) cost += vm.memory;
  return cost;
}

/** Number of VMs that migrate (see `migrationCost`). */
export function migrationCount(configuration: Configuration, target: Assignment): number {
  return configuration.vms.filter((vm) => migrates(vm.host, target[vm.id])).length;
}

function migrates(from: number | undefined, to: number | undefined): boolean {
  return from !== undefined && to !== undefined && from !== to;
}

/** CPU and memory the assignment puts on each host, summed in VM id order. */
export function hostLoads(
  configuration: Configuration,
  target: Assignment,
): { cpu: Float64Array; memory: Float64Array } {
  const index = new Map(configuration.hosts.map((host, i) => [host.id, i]));
  const cpu = new Float64Array(configuration.hosts.length);
  const memory = new Float64Array(configuration.hosts.length);
  const byId = [...configuration.vms].sort((a, b) => a.id - b.id);
  for (const vm of byId) {
    const at = index.get(target[vm.id] ?? -1);
    if (at === undefined) continue;
    cpu[at] = (cpu[at] ?? 0) + vm.cpu;
    memory[at] = (memory[at] ?? 0) + vm.memory;
  }
  return { cpu, memory };
}

/**
 * Viable (DESIGN.md, Entropy 1): on every host, the CPU and the memory of the VMs assigned to it
 * are at most its capacity (up to CAPACITY_SLACK); and every VM that is not pinned is assigned to one of the hosts.
 */
export function isViable(configuration: Configuration, target: Assignment): boolean {
  const known = new Set(configuration.hosts.map((host) => host.id));
  if (configuration.vms.some((vm) => !vm.pinned && !known.has(target[vm.id] ?? -1))) return false;
  const { cpu, memory } = hostLoads(configuration, target);
  return configuration.hosts.every(
    (host, i) => within(cpu[i] ?? 0, host.cpu) && within(memory[i] ?? 0, host.memory),
  );
}

/** Hosts that the assignment gives at least one VM. */
export function activeHostCount(configuration: Configuration, target: Assignment): number {
  const known = new Set(configuration.hosts.map((host) => host.id));
  const active = new Set<number>();
  for (const vm of configuration.vms) {
    const host = target[vm.id];
    if (host !== undefined && known.has(host)) active.add(host);
  }
  return active.size;
}

/** The largest CPU load ratio (sum of CPU demand / cores) over the hosts; 0 with no host. */
export function maxCpuLoad(configuration: Configuration, target: Assignment): number {
  const { cpu } = hostLoads(configuration, target);
  return configuration.hosts.reduce(
    (max, host, i) => Math.max(max, cpuRatio(cpu[i] ?? 0, host.cpu)),
    0,
  );
}

/** load / cores, with an idle host of no cores at 0 and a loaded one at infinity. */
export function cpuRatio(load: number, cores: number): number {
  if (cores > 0) return load / cores;
  return load > 0 ? Infinity : 0;
}
