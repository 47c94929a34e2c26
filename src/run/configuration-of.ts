import type { Cloud } from "../compute/cloud.js";
import type { Vm } from "../compute/vm.js";
import type {
  Configuration,
  HostCapacity,
  VmDemand,
} from "../policies/consolidation/configuration.js";

/** A configuration and the VMs behind its numbering (vms[i] is the VM of id i). */
export interface ConfigurationSnapshot {
  readonly configuration: Configuration;
  readonly vms: readonly Vm[];
}

/**
 * What a consolidation policy reasons about now: the hosts that are up, and the VMs holding RAM on
 * them, in creation order. A running VM may move (its demand is its load); a VM busy with an
 * operation (booting, migrating, snapshotting...) is pinned where it is. RAM a VM holds on a second
 * host (a migration's destination) is taken off that host's capacity, so every number a policy
 * sees is RAM it may really use.
 */
export function configurationOf(cloud: Cloud): ConfigurationSnapshot {
  const platform = cloud.platform;
  const reserved = new Float64Array(platform.hosts.length);
  const vms: Vm[] = [];
  const demands: VmDemand[] = [];
  for (const vm of cloud.liveVms()) {
    const host = vm.host;
    if (host === undefined || !vm.memoryOn.includes(host) || !cloud.isHostUp(host)) continue;
    for (const other of vm.memoryOn) {
      if (other !== host) reserved[other] = (reserved[other] ?? 0) + vm.spec.memory;
    }
    const movable = vm.state === "running" && cloud.operationOf(vm) === undefined;
    demands.push({
      id: vms.length,
      cpu: vm.state === "running" ? cloud.load(vm) : 0,
      memory: vm.spec.memory,
      host,
      pinned: !movable,
    });
    vms.push(vm);
  }
  const hosts: HostCapacity[] = platform.hosts
    .filter((host) => cloud.isHostUp(host.id))
    .map((host) => ({
      id: host.id,
      cpu: host.cores,
      memory: host.memory - (reserved[host.id] ?? 0),
    }));
  return { configuration: { hosts, vms: demands }, vms };
}
