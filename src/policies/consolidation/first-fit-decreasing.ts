import { within } from "./capacity.js";
import type { Configuration, VmDemand } from "./configuration.js";

/** CPU and memory in use on each host of a configuration, indexed like `configuration.hosts`. */
export interface HostUsage {
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
}

/** What `target` puts on each host of the configuration (VMs sent to no host count nowhere). */
export function usageOf(
  configuration: Configuration,
  target: readonly (number | undefined)[],
): HostUsage {
  const index = new Map(configuration.hosts.map((host, i) => [host.id, i]));
  const usage: HostUsage = {
    cpu: new Float64Array(configuration.hosts.length),
    memory: new Float64Array(configuration.hosts.length),
  };
  for (const vm of configuration.vms) {
    const at = index.get(target[vm.id] ?? -1);
    if (at === undefined) continue;
    usage.cpu[at] = (usage.cpu[at] ?? 0) + vm.cpu;
    usage.memory[at] = (usage.memory[at] ?? 0) + vm.memory;
  }
  return usage;
}

/**
 * The sort key of the FFD baselines: decreasing CPU demand, then decreasing memory, then id (the
 * VMPlaceS baselines sort by CPU, the resource that overloads hosts).
 */
export function byDecreasingDemand(a: VmDemand, b: VmDemand): number {
  return b.cpu - a.cpu || b.memory - a.memory || a.id - b.id;
}

/**
 * First-fit decreasing of `vms` into `target` (modified in place): each VM, in decreasing demand,
 * goes to the first host in id order whose CPU and memory still take it, skipping `avoid(vm, host)`;
 * a VM that fits nowhere keeps its current host if its memory still fits there, else goes to the
 * first host with the memory (CPU may be overcommitted, memory never). `usage` must describe `target` without these VMs
 * and is kept up to date.
 */
export function placeFirstFitDecreasing(
  configuration: Configuration,
  vms: readonly VmDemand[],
  target: (number | undefined)[],
  usage: HostUsage,
  avoid: (vm: VmDemand, host: number) => boolean = () => false,
): void {
  const hosts = configuration.hosts;
  for (const vm of [...vms].sort(byDecreasingDemand)) {
    const at = hosts.findIndex(
      (host, i) =>
        !avoid(vm, host.id) &&
        within((usage.cpu[i] ?? 0) + vm.cpu, host.cpu) &&
        within((usage.memory[i] ?? 0) + vm.memory, host.memory),
    );
    const chosen = at >= 0 ? at : memoryFallback(configuration, vm, usage);
    target[vm.id] = hosts[chosen]?.id ?? vm.host;
    if (chosen < 0) continue;
    usage.cpu[chosen] = (usage.cpu[chosen] ?? 0) + vm.cpu;
    usage.memory[chosen] = (usage.memory[chosen] ?? 0) + vm.memory;
  }
}

/** Hosts (indices into `configuration.hosts`) whose CPU demand exceeds their cores. */
export function overloadedHosts(configuration: Configuration, usage: HostUsage): number[] {
  return configuration.hosts.flatMap((host, i) => (within(usage.cpu[i] ?? 0, host.cpu) ? [] : [i]));
}

function memoryFallback(configuration: Configuration, vm: VmDemand, usage: HostUsage): number {
  const fitsMemory = (i: number): boolean =>
    within((usage.memory[i] ?? 0) + vm.memory, configuration.hosts[i]?.memory ?? 0);
  const current = configuration.hosts.findIndex((host) => host.id === vm.host);
  if (current >= 0 && fitsMemory(current)) return current;
  return configuration.hosts.findIndex((_, i) => fitsMemory(i));
}
