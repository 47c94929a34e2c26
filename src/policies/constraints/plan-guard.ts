import type { Assignment, Configuration } from "../consolidation/configuration.js";
import type { PlanGuard } from "../consolidation/entropy/plan.js";
import { type TargetConstraints, keepConstraints } from "./constrained-target.js";
import { DecisionVjobs } from "./decision-vjobs.js";
import { type Constraint, appliesTo, holds, membersOf } from "./placement-constraints.js";
import { type VmWhere, hostsOf } from "./vjob-places.js";

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
  const at = (hosts: Assignment) => (vjob: string) =>
    decision.occupied(vjob, (vm) => {
      const host = hosts[vm.id];
      return host === undefined ? [] : [host];
    });
  const now = at(configuration.vms.map((vm) => vm.host));
  const then = at(target);
  const byVm = new Map<number, Guarded[]>();
  for (const constraint of constraints) {
    if (!constraint.continuous || constraint.type === "root") continue;
    for (const members of decision.subjects(constraint)) {
      if (!holds(constraint, platform, members, now)) continue;
      if (!holds(constraint, platform, members, then)) continue;
      for (const vm of decision.vmsOf(members)) {
        const mine = byVm.get(vm.id);
        const guarded = { constraint, members };
        if (mine === undefined) byVm.set(vm.id, [guarded]);
        else mine.push(guarded);
      }
    }
  }
  if (byVm.size === 0) return undefined;
  return {
    admits(vm, host, occupancy) {
      const during = (vjob: string) =>
        decision.occupied(vjob, (other) =>
          other.id === vm ? [...occupancy(vm), host] : occupancy(other.id),
        );
      return (byVm.get(vm) ?? []).every(({ constraint, members }) =>
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
    const where = (hostsOfVm: (other: VmWhere) => number[]) => (member: string) =>
      places.vmsOf(member).map(hostsOfVm);
    const now = where(hostsOf);
    const during = where((other) => (other.id === vm ? [...hostsOf(other), host] : hostsOf(other)));
    const after = where((other) => {
      if (!finalHost.has(other.id)) return hostsOf(other);
      const to = finalHost.get(other.id);
      return to === undefined ? [] : [to];
    });
    return constraints.every((constraint) => {
      if (!appliesTo(constraint, vjob)) return true;
      const members = membersOf(constraint, vjob);
      if (!holds(constraint, platform, members, after)) return false;
      return (
        !constraint.continuous ||
        !holds(constraint, platform, members, now) ||
        holds(constraint, platform, members, during)
      );
    });
  };
}
