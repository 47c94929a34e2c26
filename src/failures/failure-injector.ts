import type { Cloud } from "../compute/cloud.js";
import { Signal } from "../sim/signal.js";
import type { FailureTarget, TargetKind } from "./failure-target.js";

export interface FailureEvent {
  readonly target: FailureTarget;
  /** down: crash or outage; up: repair or join; removed: down for good. */
  readonly event: "down" | "up" | "removed";
  readonly time: number;
}

/**
 * Applies failures to the cloud and the network, and signals them: a target going down crashes
 * its hosts (their VMs fail, then the flows through their NICs) and takes its links down (their
 * flows fail); coming up brings them back, empty. A target already down stays down (one outage).
 * Targets overlap (a host and its cluster, a site and its uplink): a host or link is up only when
 * every target covering it is, so a host repaired during its cluster's outage stays down.
 */
export class FailureInjector {
  readonly changed = new Signal<FailureEvent>("failure or repair");
  private readonly downTargets = new Set<string>();
  /** How many down targets cover each host, and each link. */
  private readonly hostOutages: Int32Array;
  private readonly linkOutages: Int32Array;
  /** Failures (down or removed events) by target kind. */
  readonly failures: Record<TargetKind, number> = { host: 0, cluster: 0, site: 0, link: 0 };

  constructor(private readonly cloud: Cloud) {
    this.hostOutages = new Int32Array(cloud.platform.hosts.length);
    this.linkOutages = new Int32Array(cloud.platform.links.length);
  }

  get sim(): Cloud["sim"] {
    return this.cloud.sim;
  }

  isDown(target: FailureTarget): boolean {
    return this.downTargets.has(keyOf(target));
  }

  /**
   * Takes a target down: a failure (to be repaired), a removal (for good), or absent (a host that
   * has not joined the platform yet: not counted as a failure).
   */
  down(target: FailureTarget, how: "failure" | "removal" | "absent" = "failure"): void {
    if (this.isDown(target)) return;
    this.downTargets.add(keyOf(target));
    if (how !== "absent") this.failures[target.kind]++;
    const permanent = how === "removal";
    const reason = `${target.kind} ${target.name} ${how === "absent" ? "not joined yet" : permanent ? "removed" : "failed"}`;
    if (target.kind !== "link") {
      for (const host of target.hosts) {
        if (count(this.hostOutages, host, 1) === 1) this.cloud.crashHost(host, reason);
      }
    }
    if (target.kind === "site" || target.kind === "link") {
      for (const link of target.links) {
        if (count(this.linkOutages, link, 1) === 1) this.cloud.network.setLinkUp(link, false);
      }
    }
    this.changed.emit({ target, event: permanent ? "removed" : "down", time: this.cloud.sim.now });
  }

  up(target: FailureTarget, reason = "repaired"): void {
    if (!this.isDown(target)) return;
    this.downTargets.delete(keyOf(target));
    if (target.kind === "site" || target.kind === "link") {
      for (const link of target.links) {
        if (count(this.linkOutages, link, -1) === 0) this.cloud.network.setLinkUp(link, true);
      }
    }
    if (target.kind !== "link") {
      for (const host of target.hosts) {
        if (count(this.hostOutages, host, -1) === 0) {
          this.cloud.bringHostUp(host, `${target.name} ${reason}`);
        }
      }
    }
    this.changed.emit({ target, event: "up", time: this.cloud.sim.now });
  }
}

/** Adds `by` to counts[index] and returns the new count. */
function count(counts: Int32Array, index: number, by: number): number {
  const value = (counts[index] ?? 0) + by;
  counts[index] = value;
  return value;
}

function keyOf(target: FailureTarget): string {
  return `${target.kind}:${target.name}`;
}
