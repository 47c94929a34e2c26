import { within } from "../capacity.js";
import type { Assignment, Configuration, VmDemand } from "../configuration.js";
import type { NodeBudget } from "./node-budget.js";

/**
 * Host loads of an assignment, kept up to date while VMs move, with a per-host CPU limit (the
 * cores, or less for the balance objective). Shared by the reconfiguration searches.
 */
export class HostLoads {
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  /** VMs assigned to each host. */
  readonly count: Int32Array;
  readonly index: ReadonlyMap<number, number>;

  constructor(
    readonly configuration: Configuration,
    readonly cpuLimit: Float64Array,
  ) {
    const hosts = configuration.hosts.length;
    this.cpu = new Float64Array(hosts);
    this.memory = new Float64Array(hosts);
    this.count = new Int32Array(hosts);
    this.index = new Map(configuration.hosts.map((host, i) => [host.id, i]));
  }

  fits(vm: VmDemand, host: number): boolean {
    return (
      within((this.cpu[host] ?? 0) + vm.cpu, this.cpuLimit[host] ?? 0) &&
      within((this.memory[host] ?? 0) + vm.memory, this.configuration.hosts[host]?.memory ?? 0)
    );
  }

  add(vm: VmDemand, host: number): void {
    this.cpu[host] = (this.cpu[host] ?? 0) + vm.cpu;
    this.memory[host] = (this.memory[host] ?? 0) + vm.memory;
    this.count[host] = (this.count[host] ?? 0) + 1;
  }

  remove(vm: VmDemand, host: number): void {
    this.cpu[host] = (this.cpu[host] ?? 0) - vm.cpu;
    this.memory[host] = (this.memory[host] ?? 0) - vm.memory;
    this.count[host] = (this.count[host] ?? 0) - 1;
  }
}

/** The cores of every host: the CPU limit of viability. */
export function coresOf(configuration: Configuration): Float64Array {
  return Float64Array.from(configuration.hosts, (host) => host.cpu);
}

/**
 * Sends migrating VMs back to their current host when it stays active and has room (under
 * `cpuLimit` and memory), the most memory first (ties by id): each such move saves its memory and
 * never adds an active host. One node per VM examined.
 */
export function returnHome(
  configuration: Configuration,
  assignment: Assignment,
  cpuLimit: Float64Array,
  budget: NodeBudget,
): Assignment {
  const loads = new HostLoads(configuration, cpuLimit);
  const target = [...assignment];
  for (const vm of configuration.vms) {
    const at = loads.index.get(target[vm.id] ?? -1);
    if (at !== undefined) loads.add(vm, at);
  }
  const movers = configuration.vms
    .filter((vm) => !vm.pinned && vm.host !== undefined && target[vm.id] !== vm.host)
    .sort((a, b) => b.memory - a.memory || a.id - b.id);
  for (const vm of movers) {
    if (!budget.spend()) break;
    const home = loads.index.get(vm.host ?? -1);
    const now = loads.index.get(target[vm.id] ?? -1);
    if (home === undefined || now === undefined || (loads.count[home] ?? 0) === 0) continue;
    if (!loads.fits(vm, home)) continue;
    loads.remove(vm, now);
    loads.add(vm, home);
    target[vm.id] = vm.host;
  }
  return target;
}
