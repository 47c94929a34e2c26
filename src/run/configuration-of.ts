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
  /** VMs (ids) with no host whose image is suspended. */
  readonly suspended: ReadonlySet<number>;
  /** The VM ids of each vjob given, in the order given; vjobs that lost a VM are left out. */
  readonly vjobs: readonly (readonly number[])[];
}

/**
 * What a consolidation policy reasons about now: the hosts that are up, and the VMs holding RAM on
 * them, in creation order. A running VM may move (its demand is its load); a VM busy with an
 * operation (booting, migrating, snapshotting...) is pinned where it is. RAM a VM holds on a second
 * host (a migration's destination) is taken off that host's capacity, so every number a policy
 * sees is RAM it may really use.
 *
 * What a manager sees is part of the model: a running VM's demand may be an estimate over recent
 * samples (`demandOf`), and a host may offer only a fraction of its cores (`headroom`), so that
 * packing leaves room for demand to grow before the next decision. A VM with a CPU reservation
 * (`preserve`) is packed with at least its reserved cores, whatever it is busy with, and holds
 * them on a migration's destination too, so packing keeps each host's reservations within its
 * cores (BtrPlace's Preserve).
 *
 * With `vjobs` (a controller's queue, in priority order), their VMs that hold no RAM join too,
 * with no host: the suspended ones with the demand they had, the waiting ones (never run) asking
 * for all their vCPUs.
 */
export function configurationOf(
  cloud: Cloud,
  vjobs: readonly (readonly Vm[])[] = [],
  seen: {
    /** The CPU demand a running VM is packed with (default: its load now). */
    readonly demandOf?: (vm: Vm) => number;
    /** The fraction of each host's cores a policy may fill (default 1). */
    readonly headroom?: number;
    /**
     * Hosts that are off join too, last, flagged `off` (power management may boot them): those
     * this picks of them (the power caps'), in id order.
     */
    readonly sleeping?: (off: readonly number[]) => readonly number[];
    /**
     * Only these hosts and the VMs on them (a group manager's or a partition's view); every host
     * when undefined.
     */
    readonly hosts?: ReadonlySet<number>;
  } = {},
): ConfigurationSnapshot {
  const demandOf = seen.demandOf ?? ((vm: Vm) => cloud.load(vm));
  const headroom = seen.headroom ?? 1;
  const platform = cloud.platform;
  const seenHost = (host: number): boolean => seen.hosts?.has(host) ?? true;
  const reserved = new Float64Array(platform.hosts.length);
  const reservedCores = new Float64Array(platform.hosts.length);
  const vms: Vm[] = [];
  const demands: VmDemand[] = [];
  for (const vm of cloud.liveVms()) {
    const host = vm.host;
    if (host === undefined || !vm.memoryOn.includes(host) || !cloud.isHostUp(host)) continue;
    if (!seenHost(host)) continue;
    for (const other of vm.memoryOn) {
      if (other === host) continue;
      reserved[other] = (reserved[other] ?? 0) + vm.spec.memory;
      reservedCores[other] = (reservedCores[other] ?? 0) + (vm.spec.reserved ?? 0);
    }
    const movable = vm.state === "running" && cloud.operationOf(vm) === undefined;
    demands.push({
      id: vms.length,
      // Its reservation holds whatever it is busy with.
      cpu: Math.max(vm.state === "running" ? demandOf(vm) : 0, vm.spec.reserved ?? 0),
      memory: vm.spec.memory,
      host,
      pinned: !movable,
      vm: vm.id,
    });
    vms.push(vm);
  }
  const idOf = new Map(vms.map((vm, id) => [vm, id]));
  const suspended = new Set<number>();
  const vjobIds: number[][] = [];
  for (const members of vjobs) {
    const ids: number[] = [];
    for (const vm of members) {
      let id = idOf.get(vm);
      if (id === undefined && (vm.state === "waiting" || vm.state === "suspended")) {
        id = vms.length;
        if (vm.state === "suspended") suspended.add(id);
        const cpu =
          vm.state === "suspended"
            ? Math.max(cloud.load(vm), vm.spec.reserved ?? 0)
            : vm.spec.vcpus;
        demands.push({ id, cpu, memory: vm.spec.memory, host: undefined, pinned: false });
        vms.push(vm);
        idOf.set(vm, id);
      }
      if (id !== undefined) ids.push(id);
    }
    if (ids.length > 0 && ids.length === members.length) vjobIds.push(ids);
  }
  const hosts: HostCapacity[] = platform.hosts
    .filter((host) => cloud.isHostUp(host.id) && seenHost(host.id))
    .map((host) => ({
      id: host.id,
      cpu: host.cores * headroom - (reservedCores[host.id] ?? 0),
      memory: host.memory - (reserved[host.id] ?? 0),
    }));
  if (seen.sleeping !== undefined) {
    const off = platform.hosts
      .filter((host) => cloud.powerState(host.id) === "off" && seenHost(host.id))
      .map((host) => host.id);
    for (const id of seen.sleeping(off)) {
      const host = platform.hosts[id];
      if (host === undefined) continue;
      hosts.push({ id, cpu: host.cores * headroom, memory: host.memory, off: true });
    }
  }
  return { configuration: { hosts, vms: demands }, vms, suspended, vjobs: vjobIds };
}
