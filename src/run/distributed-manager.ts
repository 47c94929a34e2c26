import type { TargetConstraints } from "../policies/constraints/constrained-target.js";
import { constrainedSwitch } from "../policies/constraints/plan-guard.js";
import {
  keepConstraints,
  movesKeepConstraints,
} from "../policies/constraints/constrained-target.js";
import type { Cloud } from "../compute/cloud.js";
import { siteHosts } from "../platform/platform.js";
import type { ConsolidationPolicy } from "../policies/consolidation/consolidation-policy.js";
import { isViable } from "../policies/consolidation/entropy/assignment-metrics.js";
import { Signal } from "../sim/signal.js";
import { configurationOf } from "./configuration-of.js";
import type { Decision } from "./consolidation-loop.js";
import type { ConsolidationManager } from "./consolidation-manager.js";
import { messageDelay, roundTrip } from "./manager-messages.js";
import { type PlanExecutorOptions, type PlanOutcome, executePlan } from "./plan-executor.js";
import { planSwitch } from "./plan-switch.js";

interface Ring {
  readonly ring: readonly number[];
  readonly position: ReadonlyMap<number, number>;
}

/** Plans of a partition move no host's power. */
const NO_POWER = { boot: [], switchOff: [], seconds: 0 } as const;

/**
 * DVMS (Quesnel, Lèbre and Südholt, "Cooperative and reactive scheduling in large-scale
 * virtualized platforms with DVMS", CCPE 2013), as VMPlaceS compares it: no manager until a
 * host is overloaded. Its agent then starts a partition: the request goes to the next host on
 * the ring (hosts in id order, within the host's site with `scope: site`, wrapping), which
 * joins; the partition's leader (the overloaded host) gathers its members' state and runs the
 * consolidation policy on them alone. If the policy's target is viable (every host of the
 * partition within its capacity), the plan runs and the partition dissolves; if not, the
 * request goes on to the next free host, which joins, and the policy runs again. Partitions
 * never share a host: the ring skips hosts in another partition or down, and when it has no free
 * host left the partition dissolves and tries again one `period` later if its host is still
 * overloaded. Partitions work in parallel. Each hop costs the message delay between the two
 * hosts, each decision its charged time and a round trip between the leader and its members.
 * The demand seen is the VMs' load now (each agent watches its own host).
 */
export class DistributedManager implements ConsolidationManager {
  readonly decided = new Signal<Decision>("partition decided");
  readonly switched = new Signal<PlanOutcome>("partition's plan ended");
  /** The partition each host is in, -1 if none. */
  private readonly partitionOf: Int32Array;
  private partitions = 0;
  private readonly rings = new Map<number, Ring>();

  constructor(
    private readonly cloud: Cloud,
    private readonly policy: ConsolidationPolicy,
    private readonly period: number,
    private readonly options: {
      /** The ring: each site's hosts (site), or every host (sky). */
      readonly scope: "site" | "sky";
      /** The fraction of each host's cores a decision may fill (default 1). */
      readonly headroom?: number;
      /** The scenario's placement constraints: moves that would break one are undone. */
      readonly constraints?: TargetConstraints;
    },
  ) {
    this.partitionOf = new Int32Array(cloud.platform.hosts.length).fill(-1);
  }

  start(): void {
    this.cloud.cpu.overloadChanged.subscribe(({ host, overloaded }) => {
      if (overloaded) this.open(host);
    });
  }

  /** Starts a partition at an overloaded host that is in none. */
  private open(host: number): void {
    if (this.partitionOf[host] !== -1 || !this.cloud.isHostUp(host)) return;
    const id = this.partitions++;
    this.partitionOf[host] = id;
    this.grow([host], id);
  }

  /** Sends the partition's request on to the next free host of the ring, which joins. */
  private grow(members: number[], id: number): void {
    const { cloud } = this;
    const leader = members[0] as number;
    if (!members.some((host) => cloud.cpu.isOverloaded(host))) {
      this.release(members);
      return;
    }
    const last = members[members.length - 1] as number;
    const next = this.neighbour(last, leader);
    if (next === undefined) {
      this.release(members);
      cloud.sim.schedule(this.period, () => {
        if (cloud.cpu.isOverloaded(leader)) this.open(leader);
      });
      return;
    }
    this.partitionOf[next] = id;
    members.push(next);
    cloud.sim.schedule(messageDelay(cloud, last, next), () => {
      this.decide(members, id);
    });
  }

  /** The policy on the partition alone: its plan if the target is viable, a larger one if not. */
  private decide(members: number[], id: number): void {
    const { cloud, policy } = this;
    const { constraints } = this.options;
    const now = cloud.sim.now;
    const { configuration, vms, suspended } = configurationOf(cloud, [], {
      hosts: new Set(members),
      ...(this.options.headroom === undefined ? {} : { headroom: this.options.headroom }),
    });
    const decision = policy.decide({
      now,
      configuration,
      suspended,
      vjobs: [],
      cloud,
      watts: (host, utilization) => cloud.energyOf(host).power.watts(utilization),
      ...(constraints === undefined
        ? {}
        : {
            keep: (candidate) => keepConstraints(constraints, configuration, candidate),
            keepsMoves: movesKeepConstraints(constraints, configuration),
          }),
    });
    const { target, guard, admits } = constrainedSwitch(
      this.options.constraints,
      configuration,
      vms,
      decision.target,
    );
    const solved = isViable(configuration, target);
    const stay = configuration.vms.map((vm) => vm.host);
    const plan = planSwitch(
      cloud,
      policy.name,
      configuration,
      solved ? target : stay,
      suspended,
      guard,
    );
    const messageTime = roundTrip(cloud, members[0] as number, members);
    this.decided.emit({
      time: now,
      computeTime: decision.computeTime,
      messageTime,
      work: decision.work,
      plan,
      power: NO_POWER,
    });
    const delay = decision.computeTime + messageTime;
    if (!solved) {
      cloud.sim.schedule(delay, () => {
        this.grow(members, id);
      });
      return;
    }
    cloud.sim.schedule(delay, () => {
      const start = cloud.sim.now;
      const execution: PlanExecutorOptions = admits === undefined ? {} : { admits };
      executePlan(cloud, plan.pools, vms, execution, (outcome) => {
        this.switched.emit({ ...outcome, start, end: cloud.sim.now });
        this.release(members);
        // A plan that changed nothing (every action skipped: the cloud or the constraints no
        // longer allow them) would be decided again at once: the hosts try again a period on.
        const reopen = (): void => {
          for (const host of members) {
            if (cloud.cpu.isOverloaded(host)) this.open(host);
          }
        };
        if (outcome.started > 0) reopen();
        else cloud.sim.schedule(this.period, reopen);
      });
    });
  }

  /**
   * The host after `host` on the ring that is up and in no partition, going round at most once
   * (back at `leader`: none).
   */
  private neighbour(host: number, leader: number): number | undefined {
    const { ring, position } = this.ringOf(leader);
    const at = position.get(host) ?? 0;
    for (let step = 1; step < ring.length; step++) {
      const next = ring[(at + step) % ring.length] as number;
      if (next === leader) return undefined;
      if (this.partitionOf[next] === -1 && this.cloud.isHostUp(next)) return next;
    }
    return undefined;
  }

  /** The hosts of the leader's ring in id order (each site's, or the sky's), made once. */
  private ringOf(leader: number): Ring {
    const { platform } = this.cloud;
    const key = this.options.scope === "sky" ? -1 : (platform.hosts[leader]?.site ?? 0);
    let ring = this.rings.get(key);
    if (ring === undefined) {
      const hosts =
        key === -1 ? platform.hosts.map((host) => host.id) : (siteHosts(platform)[key] ?? []);
      ring = { ring: hosts, position: new Map(hosts.map((host, i) => [host, i])) };
      this.rings.set(key, ring);
    }
    return ring;
  }

  private release(members: readonly number[]): void {
    for (const host of members) this.partitionOf[host] = -1;
  }
}
