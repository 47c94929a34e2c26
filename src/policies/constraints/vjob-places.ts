import type { Cloud } from "../../compute/cloud.js";
import type { Vm, VmSpec } from "../../compute/vm.js";
import type { VjobRecord } from "../../workload/vjob-record.js";
import type { VjobRunner } from "../../workload/vjob-runner.js";

/**
 * Where VMs are, in the world a constraint is checked in (now, in a consolidation's target, while
 * its plan runs).
 */
export interface Whereabouts {
  /** The hosts each of the vjob's VMs occupies (an entry per VM). */
  occupied(vjob: string): readonly (readonly number[])[];
  /** The vjobs with a VM on the host (a migrating VM is on both its hosts). */
  vjobsOn(host: number): Iterable<string>;
}

/**
 * Where each vjob's VMs are, for its constraints: the vjob a set of VM specs belongs to (as the
 * runner hands them to placement), and the hosts its current VMs occupy, read from the VMs when
 * asked (a vjob has a handful). It follows a runner (`follow`) made after the placement that
 * asks it.
 */
export class VjobPlaces implements Whereabouts {
  private readonly names = new WeakMap<readonly VmSpec[], string>();
  private readonly records = new Map<string, VjobRecord>();
  private readonly vmOwners = new Map<number, string>();
  private readonly attemptVms = new Map<string, readonly number[]>();

  /** The vjobs on each host and how many VMs each has there, once `trackHosts` is called. */
  private hostVjobs: Map<number, Map<string, number>> | undefined;
  /** Each VM's hosts as the index counts them, and its vjob. */
  private readonly indexed = new Map<number, { vjob: string; hosts: readonly number[] }>();

  /**
   * Keeps an index of the vjobs on each host, for `vjobsOn` (constraints about other vjobs' VMs,
   * such as lonely): each VM's hosts are counted again whenever its state changes or it lands.
   */
  trackHosts(cloud: Cloud): void {
    this.hostVjobs = new Map();
    const relocate = (vm: Vm) => {
      const vjob = this.vmOwners.get(vm.id) ?? this.indexed.get(vm.id)?.vjob;
      if (vjob === undefined) return;
      this.count(this.indexed.get(vm.id), -1);
      const entry = { vjob, hosts: hostsOf(vm) };
      this.count(entry, 1);
      if (entry.hosts.length === 0) this.indexed.delete(vm.id);
      else this.indexed.set(vm.id, entry);
    };
    cloud.vmStateChanged.subscribe(({ vm }) => {
      relocate(vm);
    });
    cloud.migrationEnded.subscribe(({ vm }) => {
      relocate(vm);
    });
  }

  private count(entry: { vjob: string; hosts: readonly number[] } | undefined, by: 1 | -1): void {
    const index = this.hostVjobs;
    if (entry === undefined || index === undefined) return;
    for (const host of entry.hosts) {
      const vjobs = index.get(host) ?? new Map<string, number>();
      const left = (vjobs.get(entry.vjob) ?? 0) + by;
      if (left === 0) vjobs.delete(entry.vjob);
      else vjobs.set(entry.vjob, left);
      if (vjobs.size === 0) index.delete(host);
      else index.set(host, vjobs);
    }
  }

  /** The vjobs with a VM on the host now (`trackHosts` must have been called). */
  vjobsOn(host: number): Iterable<string> {
    return this.vmsOnHost(host).keys();
  }

  /** How many VMs each vjob has on the host now (`trackHosts` must have been called). */
  vmsOnHost(host: number): ReadonlyMap<string, number> {
    if (this.hostVjobs === undefined) throw new Error("VjobPlaces: hosts are not tracked");
    return this.hostVjobs.get(host) ?? new Map();
  }

  /** Follows the runner's vjobs from their submission. */
  follow(runner: VjobRunner): void {
    runner.vjobSubmitted.subscribe((record) => {
      this.names.set(record.spec.vms, record.spec.name);
      this.records.set(record.spec.name, record);
    });
    // A vjob's VMs of its previous attempt are forgotten when it is placed again or done (or,
    // under a controller, when its new VMs are made: the controller's targets start them).
    const own = (record: VjobRecord) => {
      this.forgetVms(record.spec.name);
      const ids = record.vms.map((vm) => vm.id);
      for (const id of ids) this.vmOwners.set(id, record.spec.name);
      this.attemptVms.set(record.spec.name, ids);
    };
    runner.vjobVmsMade.subscribe(own);
    runner.vjobPlaced.subscribe(own);
    runner.vjobFinished.subscribe((record) => {
      this.forgetVms(record.spec.name);
      this.records.delete(record.spec.name);
    });
  }

  /** The vjob whose VM specs these are (placement is handed its spec's list). */
  vjobOf(vms: readonly VmSpec[]): string | undefined {
    return this.names.get(vms);
  }

  /** The hosts each of the vjob's VMs occupies now: one, two while migrating, none if not placed. */
  occupied(vjob: string): number[][] {
    return this.vmsOf(vjob).map(hostsOf);
  }

  /** The vjob's VMs of its current attempt. */
  vmsOf(vjob: string): readonly VmWhere[] {
    return this.records.get(vjob)?.vms ?? [];
  }

  private forgetVms(vjob: string): void {
    for (const id of this.attemptVms.get(vjob) ?? []) this.vmOwners.delete(id);
    this.attemptVms.delete(vjob);
  }

  /** The vjob a VM (by its cloud id) belongs to, for the VMs of current attempts. */
  vjobOfVm(vm: number): string | undefined {
    return this.vmOwners.get(vm);
  }

  /** Every host the vjob's VMs occupy. */
  hostsOf(vjob: string): number[] {
    return this.occupied(vjob).flat();
  }
}

/** What the constraints read of a VM: where it is, and the cores it reserves (preserve). */
export type VmWhere = Pick<Vm, "id" | "host" | "state" | "destination"> & {
  readonly spec?: { readonly reserved?: number };
};

/**
 * The hosts a VM occupies: none once failed, stopped or suspended (as in BtrPlace, constraints are
 * about running VMs: a suspended image holds no RAM or CPU), or before it has one.
 */
export function hostsOf(vm: Readonly<VmWhere>): number[] {
  if (vm.host === undefined || ["failed", "stopped", "suspended"].includes(vm.state)) return [];
  if (vm.destination === undefined) return [vm.host];
  // A migrating VM is on both hosts; a resuming one only where it comes back.
  return vm.state === "migrating" ? [vm.host, vm.destination] : [vm.destination];
}
