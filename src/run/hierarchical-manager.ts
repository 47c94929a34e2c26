import type { Cloud } from "../compute/cloud.js";
import { type Platform, siteHosts } from "../platform/platform.js";
import type { ConsolidationPolicy } from "../policies/consolidation/consolidation-policy.js";
import { Signal } from "../sim/signal.js";
import { ConsolidationLoop, type Decision } from "./consolidation-loop.js";
import type { ConsolidationManager } from "./consolidation-manager.js";
import type { PlanOutcome } from "./plan-executor.js";

type LoopOptions = NonNullable<ConstructorParameters<typeof ConsolidationLoop>[3]>;

/**
 * Snooze's hierarchy (Feller, Rilling and Morin, CCGrid 2012), as VMPlaceS compares it: the
 * group leader gives each group manager `groupSize` hosts of one site (the site's hosts in id
 * order, cut in turn), and each group manager runs the consolidation loop on its group alone, at
 * its own pace: it sees only its hosts' VMs, is charged for a decision of its group's size, and
 * its monitoring and orders travel between its first host and its group. A VM moves only within
 * its group. The leader's assignment is made once, at the start, and costs nothing.
 */
export class HierarchicalManager implements ConsolidationManager {
  readonly decided = new Signal<Decision>("group manager decided");
  readonly switched = new Signal<PlanOutcome>("group manager's plan ended");
  private readonly loops: ConsolidationLoop[];

  constructor(
    cloud: Cloud,
    policy: ConsolidationPolicy,
    period: number,
    groupSize: number,
    options: LoopOptions,
  ) {
    this.loops = groupsOf(cloud.platform, groupSize).map(
      (hosts) => new ConsolidationLoop(cloud, policy, period, { ...options, hosts }),
    );
    for (const loop of this.loops) {
      loop.decided.subscribe((decision) => {
        this.decided.emit(decision);
      });
      loop.switched.subscribe((outcome) => {
        this.switched.emit(outcome);
      });
    }
  }

  start(): void {
    for (const loop of this.loops) loop.start();
  }
}

/** Each site's hosts in id order, cut into groups of `groupSize` (the last one may be smaller). */
export function groupsOf(platform: Platform, groupSize: number): number[][] {
  const groups: number[][] = [];
  for (const hosts of siteHosts(platform)) {
    for (let at = 0; at < hosts.length; at += groupSize) {
      groups.push(hosts.slice(at, at + groupSize));
    }
  }
  return groups;
}
