import type { Configuration, HostCapacity, VmDemand } from "../configuration.js";

/**
 * VMs with the same (cpu, memory) demand. They are interchangeable for packing, so the search
 * branches on how many of a type go in a bin, not on which ones: this removes the symmetry between
 * equal items (Falkenauer's instances have many) at no cost.
 */
export interface ItemType {
  readonly cpu: number;
  readonly memory: number;
  /** max(cpu / cpuScale, memory / memoryScale): the size items are sorted by. */
  readonly size: number;
  /** Ids of the free VMs with this demand, increasing. */
  readonly vms: readonly number[];
}

/** Hosts that hold no pinned VM and have the same capacity: interchangeable for packing. */
export interface HostClass {
  readonly cpu: number;
  readonly memory: number;
  /**
   * Indices into `configuration.hosts`, by decreasing memory of the free VMs they hold now, then
   * index: the hosts to keep first, since keeping a loaded host saves migrations.
   */
  readonly hosts: readonly number[];
}

/** A host holding pinned VMs: it stays active, with the pinned load already on it. */
export interface ForcedHost {
  /** Index into `configuration.hosts`. */
  readonly host: number;
  readonly capacityCpu: number;
  readonly capacityMemory: number;
  readonly pinnedCpu: number;
  readonly pinnedMemory: number;
}

/**
 * The packing problem behind a configuration: free VMs (not pinned) grouped into types sorted by
 * decreasing size, free hosts grouped into classes, and the hosts that pinned VMs keep active.
 */
export interface PackingProblem {
  readonly configuration: Configuration;
  /** Sorted by decreasing size, then decreasing cpu, then decreasing memory (all distinct). */
  readonly types: readonly ItemType[];
  /** Sorted by decreasing memory, then decreasing cpu (all distinct). */
  readonly classes: readonly HostClass[];
  /** In host index order. */
  readonly forced: readonly ForcedHost[];
  /** The largest host CPU and memory: sizes are fractions of them. */
  readonly cpuScale: number;
  readonly memoryScale: number;
  /** Index into `configuration.hosts` of each host id. */
  readonly hostIndex: ReadonlyMap<number, number>;
}

/** Where a bin of a packing is: a forced host, or some host of a class. */
export type BinSlot =
  | { readonly kind: "forced"; readonly index: number }
  | { readonly kind: "class"; readonly index: number };

export interface TypeCount {
  /** Index into `problem.types`. */
  readonly type: number;
  readonly count: number;
}

/** A host's worth of free VMs, by type. */
export interface PackedBin {
  readonly slot: BinSlot;
  readonly contents: readonly TypeCount[];
}

/** Free VMs packed by type into bins; forced hosts with no bin hold only their pinned VMs. */
export interface Packing {
  readonly bins: readonly PackedBin[];
  /** Forced hosts plus class bins. */
  readonly activeHosts: number;
}

/** A demand as a fraction of a scale; a positive demand on a zero scale fits nowhere. */
export function fractionOf(demand: number, scale: number): number {
  if (scale > 0) return demand / scale;
  return demand > 0 ? Infinity : 0;
}

export function buildPackingProblem(configuration: Configuration): PackingProblem {
  const hosts = configuration.hosts;
  const hostIndex = new Map(hosts.map((host, i) => [host.id, i]));
  const pinnedCpu = new Float64Array(hosts.length);
  const pinnedMemory = new Float64Array(hosts.length);
  const hasPinned = new Uint8Array(hosts.length);
  const heldMemory = new Float64Array(hosts.length);
  const free: VmDemand[] = [];
  for (const vm of configuration.vms) {
    const at = hostIndex.get(vm.host ?? -1);
    if (vm.pinned) {
      // A pinned VM stays where it is; one on no known host takes no capacity here.
      if (at === undefined) continue;
      pinnedCpu[at] = (pinnedCpu[at] ?? 0) + vm.cpu;
      pinnedMemory[at] = (pinnedMemory[at] ?? 0) + vm.memory;
      hasPinned[at] = 1;
    } else {
      free.push(vm);
      if (at !== undefined) heldMemory[at] = (heldMemory[at] ?? 0) + vm.memory;
    }
  }
  const scales = hostScales(hosts);
  return {
    configuration,
    types: itemTypes(free, scales),
    classes: hostClasses(configuration, hasPinned, heldMemory),
    forced: hosts.flatMap((host, i) =>
      hasPinned[i] === 1
        ? [
            {
              host: i,
              capacityCpu: host.cpu,
              capacityMemory: host.memory,
              pinnedCpu: pinnedCpu[i] ?? 0,
              pinnedMemory: pinnedMemory[i] ?? 0,
            },
          ]
        : [],
    ),
    cpuScale: scales.cpu,
    memoryScale: scales.memory,
    hostIndex,
  };
}

/** The largest host's CPU and memory: a demand's size is a fraction of them. */
export interface HostScales {
  readonly cpu: number;
  readonly memory: number;
}

export function hostScales(hosts: readonly HostCapacity[]): HostScales {
  return {
    cpu: hosts.reduce((max, host) => Math.max(max, host.cpu), 0),
    memory: hosts.reduce((max, host) => Math.max(max, host.memory), 0),
  };
}

/**
 * The size VMs are sorted by, largest first (first-fit decreasing, drain, host emptying): the
 * larger of the shares of the largest host's CPU and memory the demand takes.
 */
export function sizeOf(demand: { cpu: number; memory: number }, scales: HostScales): number {
  return Math.max(fractionOf(demand.cpu, scales.cpu), fractionOf(demand.memory, scales.memory));
}

function itemTypes(free: readonly VmDemand[], scales: HostScales): ItemType[] {
  const sorted = free
    .map((vm) => ({ vm, size: sizeOf(vm, scales) }))
    .sort(
      (a, b) =>
        b.size - a.size || b.vm.cpu - a.vm.cpu || b.vm.memory - a.vm.memory || a.vm.id - b.vm.id,
    );
  const types: { cpu: number; memory: number; size: number; vms: number[] }[] = [];
  for (const { vm, size } of sorted) {
    const last = types.at(-1);
    if (last?.cpu === vm.cpu && last.memory === vm.memory) last.vms.push(vm.id);
    else types.push({ cpu: vm.cpu, memory: vm.memory, size, vms: [vm.id] });
  }
  return types;
}

function hostClasses(
  configuration: Configuration,
  hasPinned: Uint8Array,
  heldMemory: Float64Array,
): HostClass[] {
  const order = configuration.hosts
    .map((host, i) => ({ host, i, held: heldMemory[i] ?? 0 }))
    .filter(({ i }) => hasPinned[i] === 0)
    .sort(
      (a, b) =>
        b.host.memory - a.host.memory ||
        b.host.cpu - a.host.cpu ||
        b.held - a.held ||
        a.host.id - b.host.id ||
        a.i - b.i,
    );
  const classes: { cpu: number; memory: number; hosts: number[] }[] = [];
  for (const { host, i } of order) {
    const last = classes.at(-1);
    if (last?.cpu === host.cpu && last.memory === host.memory) last.hosts.push(i);
    else classes.push({ cpu: host.cpu, memory: host.memory, hosts: [i] });
  }
  return classes;
}
