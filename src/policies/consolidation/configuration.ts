/**
 * A cluster configuration as consolidation policies see it: plain numbers, no models. Hosts are
 * the ones that are up; VMs are the ones a policy may reason about (running, or waiting/suspended
 * with no host). Demands are what the VM uses now, not what it was sized for.
 */
export interface HostCapacity {
  /** Host id in the platform. */
  readonly id: number;
  /** CPU capacity in cores. */
  readonly cpu: number;
  /** Memory in bytes. */
  readonly memory: number;
  /** The host is off: room that costs a boot (the plan boots it before moving VMs there). */
  readonly off?: boolean;
}

export interface VmDemand {
  /** VM index in the problem's own numbering (0..n-1), stable for the decision. */
  readonly id: number;
  /** CPU demand in cores (0..vcpus). */
  readonly cpu: number;
  /** Memory in bytes. */
  readonly memory: number;
  /** Host the VM runs on now, or undefined when it is not running anywhere. */
  readonly host: number | undefined;
  /** True when the VM is busy with an operation (booting, migrating...) and must stay put. */
  readonly pinned: boolean;
  /** The VM's id in the cloud, the same from one decision to the next (for policies' history). */
  readonly vm?: number;
}

export interface Configuration {
  readonly hosts: readonly HostCapacity[];
  readonly vms: readonly VmDemand[];
}

/** Where each VM should be: target[vm.id] is a host id, or undefined for "not running". */
export type Assignment = readonly (number | undefined)[];
