import type { Cloud } from "../compute/cloud.js";
import type {
  ConsolidationPolicy,
  DecisionWork,
} from "../policies/consolidation/consolidation-policy.js";
import type { Vm } from "../compute/vm.js";
import { Signal } from "../sim/signal.js";
import { configurationOf } from "./configuration-of.js";
import {
  type PlanPower,
  type PowerActions,
  bootAll,
  powerActionsOf,
  switchOffAll,
} from "./power-plan.js";
import { type DemandEstimate, DemandMonitor } from "./demand-monitor.js";
import { type PlanExecutorOptions, type PlanOutcome, executePlan } from "./plan-executor.js";
import { decidePerSite } from "./decide-per-site.js";
import { planSwitch } from "./plan-switch.js";
import { decisionRoundTrip } from "./manager-messages.js";
import type { ConsolidationManager } from "./consolidation-manager.js";
import type { ReconfigurationPlan } from "../policies/consolidation/entropy/plan.js";
import {
  type TargetConstraints,
  keepConstraints,
  movesKeepConstraints,
} from "../policies/constraints/constrained-target.js";
import type { Assignment } from "../policies/consolidation/configuration.js";
import { constrainedSwitch } from "../policies/constraints/plan-guard.js";

/** One decision of the loop, as the metrics see it. */
export interface Decision {
  readonly time: number;
  readonly computeTime: number;
  /** Seconds of monitoring reports and orders between the manager and its hosts. */
  readonly messageTime: number;
  readonly work: DecisionWork | undefined;
  readonly plan: ReconfigurationPlan;
  /** Hosts booted before the plan's pools and switched off after them. */
  readonly power: PowerActions;
}

/**
 * Entropy's control loop, for any consolidation policy: every `period`, observe the configuration,
 * ask the policy where VMs should be, charge the decision's computation time and the round trip
 * of its messages (hosts' monitoring reports in, orders out: `decisionRoundTrip`) to simulated
 * time, then carry out the plan that switches the cluster (pools of actions). The next decision
 * comes one period after this one, or when the plan ends if it took longer: plans never overlap.
 * A group manager's loop (`hosts`) sees and moves only its group's VMs.
 */
export class ConsolidationLoop implements ConsolidationManager {
  readonly decided = new Signal<Decision>("consolidation decided");
  readonly switched = new Signal<PlanOutcome>("reconfiguration plan ended");

  constructor(
    private readonly cloud: Cloud,
    private readonly policy: ConsolidationPolicy,
    private readonly period: number,
    private readonly options: {
      /** Unfinished vjobs' VMs by priority, and how to boot one: for a policy scheduling vjobs. */
      readonly vjobs?: () => readonly (readonly Vm[])[];
      readonly run?: (vm: Vm, host: number) => void;
      /** One manager per site (each sees its site only), or one for the whole sky. */
      readonly scope?: "site" | "sky";
      /** What a decision sees of VMs' demand (default: the demand now). */
      readonly demand?: DemandEstimate;
      /** The fraction of each host's cores a decision may fill (default 1). */
      readonly headroom?: number;
      /** Whether plans may boot hosts that are off and switch off the hosts they empty. */
      readonly power?: PlanPower;
      /** The hosts of a group manager (it sees and moves only their VMs); all when undefined. */
      readonly hosts?: readonly number[];
      /** The scenario's placement constraints: moves that would break one are undone. */
      readonly constraints?: TargetConstraints;
    } = {},
  ) {
    this.monitor = new DemandMonitor(
      cloud,
      options.demand ?? { estimate: "instant", window: 1, percentile: 100 },
    );
    this.group = options.hosts === undefined ? undefined : new Set(options.hosts);
  }

  private readonly monitor: DemandMonitor;
  private readonly group: ReadonlySet<number> | undefined;

  /** Starts the loop: the first decision is one period in (the initial placement runs first). */
  start(): void {
    this.cloud.sim.schedule(this.period, () => {
      this.decide();
    });
  }

  private decide(): void {
    const { cloud, policy } = this;
    const { constraints } = this.options;
    const time = cloud.sim.now;
    this.monitor.sample();
    const { configuration, vms, suspended, vjobs } = configurationOf(
      cloud,
      this.options.vjobs?.() ?? [],
      {
        demandOf: (vm) => this.monitor.demandOf(vm),
        ...(this.options.headroom === undefined ? {} : { headroom: this.options.headroom }),
        ...(this.group === undefined ? {} : { hosts: this.group }),
        ...(this.options.power?.wakes === true ? { sleeping: this.options.power.bootable } : {}),
      },
    );
    const view = {
      now: time,
      configuration,
      suspended,
      vjobs,
      cloud,
      watts: (host: number, utilization: number) => cloud.energyOf(host).power.watts(utilization),
      ...(constraints === undefined
        ? {}
        : {
            keep: (candidate: Assignment) => keepConstraints(constraints, configuration, candidate),
            keepsMoves: movesKeepConstraints(constraints, configuration),
          }),
    };
    // A policy scheduling vjobs decides for the whole sky: its queue is one. A group manager
    // decides for its group, whatever its sites.
    const perSite =
      this.options.scope === "site" && policy.schedulesVjobs !== true && this.group === undefined;
    const decision = perSite ? decidePerSite(policy, view, cloud.platform) : policy.decide(view);
    const { target, guard, admits } = constrainedSwitch(
      this.options.constraints,
      configuration,
      vms,
      decision.target,
    );
    const messageTime = decisionRoundTrip(
      cloud,
      configuration.hosts.map((host) => host.id),
      perSite,
    );
    const delay = decision.computeTime + messageTime;
    const plan = planSwitch(cloud, policy.name, configuration, target, suspended, guard);
    const { run } = this.options;
    const execution: PlanExecutorOptions = {
      ...(run === undefined ? {} : { run }),
      ...(admits === undefined ? {} : { admits }),
    };
    const power = powerActionsOf(cloud, configuration, target, this.options.power);
    this.decided.emit({
      time,
      computeTime: decision.computeTime,
      messageTime,
      work: decision.work,
      plan,
      power,
    });
    const next = (): void => {
      const wait = Math.max(0, time + this.period - cloud.sim.now);
      cloud.sim.schedule(wait, () => {
        this.decide();
      });
    };
    if (plan.pools.length === 0 && power.boot.length === 0 && power.switchOff.length === 0) {
      cloud.sim.schedule(delay, next);
      return;
    }
    // Hosts the target needs are booted first, the pools run, then the emptied hosts go off.
    cloud.sim.schedule(delay, () => {
      const start = cloud.sim.now;
      bootAll(cloud, power.boot, (booted) => {
        executePlan(cloud, plan.pools, vms, execution, (outcome) => {
          switchOffAll(cloud, power.switchOff, (off) => {
            const actions = power.boot.length + power.switchOff.length;
            const started = booted + off;
            this.switched.emit({
              ...outcome,
              start,
              end: cloud.sim.now,
              started: outcome.started + started,
              skipped: outcome.skipped + actions - started,
            });
            next();
          });
        });
      });
    });
  }
}
