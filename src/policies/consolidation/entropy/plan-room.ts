import { within } from "../capacity.js";
import type { HostCapacity, VmDemand } from "../configuration.js";

/** CPU (cores) and memory (bytes) held on a host. */
export interface Load {
  cpu: number;
  memory: number;
}

/** Whether `vm` fits on `host` on top of `load`, for CPU and for memory. */
export function fits(load: Load, vm: VmDemand, host: HostCapacity): boolean {
  return within(load.cpu + vm.cpu, host.cpu) && within(load.memory + vm.memory, host.memory);
}

/** The first resource `load` exceeds on `host`, or undefined when it fits. */
export function overflow(load: Load, host: HostCapacity): string | undefined {
  if (!within(load.cpu, host.cpu)) return `${load.cpu} cores of ${host.cpu}`;
  if (!within(load.memory, host.memory)) return `${load.memory} B of memory of ${host.memory}`;
  return undefined;
}

/** What every host holds when the VMs are where `placement` says (placement[vm.id]). */
export function loadsOf(
  hosts: readonly HostCapacity[],
  vms: readonly VmDemand[],
  placement: readonly (number | undefined)[],
): Map<number, Load> {
  const loads = new Map(hosts.map((host) => [host.id, { cpu: 0, memory: 0 }]));
  for (const vm of vms) {
    const host = placement[vm.id];
    if (host === undefined) continue;
    const load = loads.get(host);
    if (load === undefined) throw new Error(`VM #${vm.id} is placed on unknown host ${host}`);
    load.cpu += vm.cpu;
    load.memory += vm.memory;
  }
  return loads;
}
