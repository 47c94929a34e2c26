import type { SiteTotalsView } from "../compute/site-totals.js";
import type { Vm } from "../compute/vm.js";
import type { Platform } from "../platform/platform.js";

/**
 * What a policy may look at: the platform, which hosts are up, what they hold, the VMs and their
 * demands, the clock. It is the cloud model seen through read-only methods, so a policy can only
 * return decisions; the engine carries them out with modelled durations.
 */
export interface CloudView {
  readonly platform: Platform;
  readonly sim: { readonly now: number };
  /** Whether the host is on (not off, booting, switching off or crashed): it may hold VMs. */
  isHostUp(host: number): boolean;
  /** RAM not held by any VM, bytes. */
  freeMemory(host: number): number;
  /** vCPUs of the VMs holding RAM on the host. */
  vcpusOn(host: number): number;
  /**
   * Cores reserved by the VMs holding RAM on the host (their CPU reservations, from `preserve`
   * constraints); absent: none.
   */
  reservedOn?(host: number): number;
  /** The VMs not stopped, in creation order. */
  liveVms(): IterableIterator<Readonly<Vm>>;
  /** Cores the VM's load asks for now. */
  load(vm: Readonly<Vm>): number;
  /**
   * Per-site totals of the hosts that are on, kept up to date (the cloud has them); a view without
   * them gets the same numbers from a scan (`siteLoads`).
   */
  readonly siteTotals?: SiteTotalsView;
  /** The operation the VM is busy with (boot, migration...), if any. */
  operationOf(vm: Readonly<Vm>): { readonly kind: string } | undefined;
  /**
   * Placement constraints of the set being placed (scenario `constraints`): whether its next VM
   * may go to `host`, given the hosts its earlier VMs were given (`chosen`). Absent: no
   * constraint. Built-in placements ask it through HostRoom.fits; a user placement should too.
   */
  admits?(host: number, chosen: readonly number[]): boolean;
}
