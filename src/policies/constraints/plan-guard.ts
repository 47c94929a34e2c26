import type { Assignment, Configuration } from "../consolidation/configuration.js";
import type { PlanGuard } from "../consolidation/entropy/plan.js";
import { type TargetConstraints, keepConstraints } from "./constrained-target.js";
import { arrivalsKeepConstraints } from "./arrivals-check.js";
import { DecisionVjobs } from "./decision-vjobs.js";
import { type Constraint, holds } from "./placement-constraints.js";

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

/** A consolidation's switch under the constraints: see constrainedSwitch. */
export interface ConstrainedSwitch {
  readonly target: Assignment;
  readonly guard?: PlanGuard;
  /** Whether a VM (by cloud id) may start arriving on a host as the plan is carried out. */
  readonly admits?: (vm: number, host: number) => boolean;
}

/**
 * A consolidation's switch under the scenario's constraints (none: the target as it is): the
 * target with the moves that would break one undone, the guard that orders the plan to keep the
 * continuous ones, and the check of each action as the plan runs (the decision's `vms`, in its
 * order, are the cloud's VMs of the configuration).
 */
export function constrainedSwitch(
  context: TargetConstraints | undefined,
  configuration: Configuration,
  vms: readonly { readonly id: number }[],
  target: Assignment,
): ConstrainedSwitch {
  if (context === undefined) return { target };
  const kept = keepConstraints(context, configuration, target);
  const guard = planGuard(context, configuration, kept);
  const admits = arrivalsKeepConstraints(context, configuration, vms, kept);
  return guard === undefined ? { target: kept, admits } : { target: kept, guard, admits };
}
