import type { Vm, VmSpec } from "../../compute/vm.js";
import type { VjobRecord } from "../../workload/vjob-record.js";
import type { VjobRunner } from "../../workload/vjob-runner.js";

/**
 * Where each vjob's VMs are, for its constraints: the vjob a set of VM specs belongs to (as the
 * runner hands them to placement), and the hosts its current VMs occupy, read from the VMs when
 * asked (a vjob has a handful). It follows a runner (`follow`) made after the placement that
 * asks it.
 */
export class VjobPlaces {
  private readonly names = new WeakMap<readonly VmSpec[], string>();
  private readonly records = new Map<string, VjobRecord>();
  private readonly vmOwners = new Map<number, string>();
  private readonly attemptVms = new Map<string, readonly number[]>();

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

/** What the constraints read of a VM: where it is. */
export type VmWhere = Pick<Vm, "id" | "host" | "state" | "destination">;

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
