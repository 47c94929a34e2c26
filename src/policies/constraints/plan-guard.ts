import type { Assignment, Configuration } from "../consolidation/configuration.js";
import type { PlanGuard } from "../consolidation/entropy/plan.js";
import { type TargetConstraints, keepConstraints } from "./constrained-target.js";
import { DecisionVjobs, type VjobLookup } from "./decision-vjobs.js";
import {
  type Constraint,
  appliesTo,
  holds,
  membersOf,
  quarantined,
} from "./placement-constraints.js";
import { type Whereabouts, hostsOf } from "./vjob-places.js";

/** A continuous constraint over some vjobs that a plan must keep between its actions. */
interface Guarded {
  readonly constraint: Constraint;
  readonly members: readonly string[];
}

/**
 * The guard that makes a plan keep the continuous constraints at every instant: an arrival (or a
 * pivot) is admitted only if each continuous constraint on its VM still holds with the VM on its
 * new host as well as its old one, the other VMs where they are when its pool starts and where
 * they arrive in it. Guarded are the constraints that hold now and in the target (a broken one is
 * being repaired, or cannot be), except root (no move of its VMs is in the target). Undefined when
 * there is none.
 */
export function planGuard(
  context: TargetConstraints,
  configuration: Configuration,
  target: Assignment,
): PlanGuard | undefined {
  const { constraints, platform, places } = context;
  const decision = new DecisionVjobs(configuration, places);
  const at = (hosts: Assignment) =>
    decision.where((vm) => {
      const host = hosts[vm.id];
      return host === undefined ? [] : [host];
    });
  const now = at(configuration.vms.map((vm) => vm.host));
  const then = at(target);
  const byVm = new Map<number, Guarded[]>();
  // A lonely subject is kept from every other vjob's arrivals too.
  const lonely: Guarded[] = [];
  for (const constraint of constraints) {
    if (!constraint.continuous || constraint.type === "root") continue;
    for (const members of decision.subjects(constraint)) {
      if (!holds(constraint, platform, members, now)) continue;
      if (!holds(constraint, platform, members, then)) continue;
      const guarded = { constraint, members };
      if (constraint.type === "lonely") {
        lonely.push(guarded);
        continue;
      }
      for (const vm of decision.vmsOf(members)) {
        const mine = byVm.get(vm.id);
        if (mine === undefined) byVm.set(vm.id, [guarded]);
        else mine.push(guarded);
      }
    }
  }
  if (byVm.size === 0 && lonely.length === 0) return undefined;
  return {
    admits(vm, host, occupancy) {
      const during = decision.where((other) =>
        other.id === vm ? [...occupancy(vm), host] : occupancy(other.id),
      );
      return [...(byVm.get(vm) ?? []), ...lonely].every(({ constraint, members }) =>
        holds(constraint, platform, members, during),
      );
    },
  };
}

/**
 * A consolidation's target and plan guard under the scenario's constraints (none: the target as
 * it is): the target with the moves that would break one undone, and the guard that orders the
 * plan to keep the continuous ones.
 */
export function constrainedSwitch(
  context: TargetConstraints | undefined,
  configuration: Configuration,
  target: Assignment,
): { readonly target: Assignment; readonly guard?: PlanGuard } {
  if (context === undefined) return { target };
  const kept = keepConstraints(context, configuration, target);
  const guard = planGuard(context, configuration, kept);
  return guard === undefined ? { target: kept } : { target: kept, guard };
}

/**
 * Whether a VM (by cloud id) may start arriving on `host` now, as a plan to `target` (over the
 * decision's `vms`, in its order) is carried out. The world may have changed since the decision
 * (a vjob restored where the plan sends a VM), so every constraint on the VM must still hold once
 * the plan is done (the VMs it changes at their targets, the others where they are now), and a continuous
 * one that holds now must hold with the VM on `host` as well.
 */
export function arrivalsKeepConstraints(
  context: TargetConstraints,
  configuration: Configuration,
  vms: readonly { readonly id: number }[],
  target: Assignment,
): (vm: number, host: number) => boolean {
  const { constraints, platform, places } = context;
  // The VMs the plan changes, and where they end (the others are wherever they are then).
  const finalHost = new Map<number, number | undefined>();
  for (const [i, vm] of vms.entries()) {
    if (target[i] !== configuration.vms[i]?.host) finalHost.set(vm.id, target[i]);
  }
  return (vm, host) => {
    const vjob = places.vjobOfVm(vm);
    if (vjob === undefined) return true;
    const arriving = places.vmsOf(vjob).find((other) => other.id === vm);
    // A quarantine closes its hosts to arrivals, and to migrations off them.
    const { now: time } = context.clock;
    const leaving = arriving?.state === "running" ? arriving.host : undefined;
    const closed = (at: number | undefined) =>
      at !== undefined && constraints.some((c) => quarantined(c, at, time));
    if (closed(host) || closed(leaving)) return false;
    const now = liveWorld(places, new Map());
    const during = liveWorld(
      places,
      new Map(arriving === undefined ? [] : [[vm, [...hostsOf(arriving), host]]]),
    );
    const after = liveWorld(
      places,
      new Map([...finalHost].map(([id, to]) => [id, to === undefined ? [] : [to]])),
    );
    // The constraints on the VM's vjob, and the lonely ones of the vjobs on the host.
    const subjects = constraints.flatMap((constraint) =>
      [
        ...(appliesTo(constraint, vjob) ? [membersOf(constraint, vjob)] : []),
        ...(constraint.type === "lonely"
          ? [...places.vjobsOn(host)]
              .filter((other) => other !== vjob && appliesTo(constraint, other))
              .map((other) => membersOf(constraint, other))
          : []),
      ].map((members) => ({ constraint, members })),
    );
    return subjects.every(({ constraint, members }) => {
      if (!holds(constraint, platform, members, after)) return false;
      return (
        !constraint.continuous ||
        !holds(constraint, platform, members, now) ||
        holds(constraint, platform, members, during)
      );
    });
  };
}

/**
 * The world as it is now (VMs where `places` has them), but for the VMs of `moved` (by cloud id),
 * on the hosts it gives them.
 */
function liveWorld(places: VjobLookup, moved: ReadonlyMap<number, readonly number[]>): Whereabouts {
  // Each moved VM's vjob and the hosts it leaves, to correct the hosts' counts.
  const leaving = new Map<number, { vjob: string; hosts: readonly number[] }>();
  for (const id of moved.keys()) {
    const vjob = places.vjobOfVm(id);
    const vm = vjob === undefined ? undefined : places.vmsOf(vjob).find((other) => other.id === id);
    if (vjob !== undefined && vm !== undefined) leaving.set(id, { vjob, hosts: hostsOf(vm) });
  }
  return {
    occupied: (vjob) => places.vmsOf(vjob).map((vm) => moved.get(vm.id) ?? hostsOf(vm)),
    vjobsOn: (host) => {
      const counts = new Map(places.vmsOnHost(host));
      for (const [id, { vjob, hosts }] of leaving) {
        const by = Number((moved.get(id) ?? []).includes(host)) - Number(hosts.includes(host));
        counts.set(vjob, (counts.get(vjob) ?? 0) + by);
      }
      return [...counts].filter(([, count]) => count > 0).map(([vjob]) => vjob);
    },
  };
}
