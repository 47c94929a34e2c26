import type { CloudView } from "../cloud-view.js";

/**
 * What a vjob does when one of its VMs is lost. The engine ends the vjob's attempt at once (its
 * other VMs stop: a parallel job cannot go on without a member), notices the loss
 * `detectionDelay` later, and then restores the vjob from its latest stored snapshot if the
 * policy takes snapshots and that snapshot's store is up, or restarts it from zero.
 */
export interface FaultTolerancePolicy {
  readonly name: string;
  /** Seconds from a VM failing at `time` to its vjob noticing it; > 0. */
  detectionDelay(time: number): number;
  /** How the vjobs are snapshotted; undefined: never (restart from zero). */
  readonly snapshots: SnapshotPolicy | undefined;
}

export interface SnapshotPolicy {
  /** `coordinated`: the VMs pause while their RAM is saved; `live`: they keep running. */
  readonly mode: "coordinated" | "live";
  /**
   * Seconds a vjob runs between the end of one snapshot's capture and the start of the next,
   * given what one capture costs it, s (its VMs' RAM over their hosts' disk bandwidth).
   */
  period(captureCost: number): number;
  /** The host that keeps the images of a vjob running on `site`; undefined: none can. */
  store(view: CloudView, site: number): number | undefined;
  /** Disk bytes changed since boot, saved with each VM's RAM. */
  readonly diskDelta: number;
  /** Network reconfiguration of a restored VM on the site it was captured on, s... */
  readonly reconfigureSameSite: number;
  /** ...and on another site (overlay and IP changes), s. */
  readonly reconfigureOtherSite: number;
}
