import type { Platform } from "../../platform/platform.js";
import { within } from "../consolidation/capacity.js";
import type { Assignment, Configuration, VmDemand } from "../consolidation/configuration.js";
import { hostLoads } from "../consolidation/entropy/assignment-metrics.js";
import { type Constraint, appliesTo, holds } from "./placement-constraints.js";
import { type VjobPlaces, hostsOf } from "./vjob-places.js";

/** What a consolidation's target is checked against. */
export interface TargetConstraints {
  readonly constraints: readonly Constraint[];
  readonly platform: Platform;
  readonly places: VjobPlaces;
}

/**
 * A consolidation's target with every move that would leave a constraint broken undone: a
 * subject (a vjob, or a group) whose constraint the target breaks gets its moved VMs back on their
 * hosts, until no undo is left to do (the VMs of the subject outside the decision, on other sites,
 * stay where they are). If an undo overloads a host the target had room on, the decision moves
 * nothing. Only VMs that run are moved back: a VM the target starts is left to the policy.
 * Constraints hold once the plan is done (discrete); while it runs, a migrating VM occupies both
 * its hosts, which the monitor measures.
 */
export function keepConstraints(
  context: TargetConstraints,
  configuration: Configuration,
  target: Assignment,
): Assignment {
  const { constraints, platform, places } = context;
  const trimmed = [...target];
  const byVjob = new Map<string, VmDemand[]>();
  const inDecision = new Set<number>();
  for (const vm of configuration.vms) {
    const vjob = vm.vm === undefined ? undefined : places.vjobOfVm(vm.vm);
    if (vm.vm === undefined || vjob === undefined) continue;
    inDecision.add(vm.vm);
    const mine = byVjob.get(vjob);
    if (mine === undefined) byVjob.set(vjob, [vm]);
    else mine.push(vm);
  }
  /** Where a vjob's VMs would be: the decision's at their target, the others where they are. */
  const occupied = (vjob: string): number[][] => [
    ...(byVjob.get(vjob) ?? []).map((vm) => {
      const host = trimmed[vm.id];
      return host === undefined ? [] : [host];
    }),
    ...places
      .vmsOf(vjob)
      .filter((vm) => !inDecision.has(vm.id))
      .map(hostsOf),
  ];
  const moved = (vm: VmDemand) => vm.host !== undefined && trimmed[vm.id] !== vm.host;
  let undone = true;
  while (undone) {
    undone = false;
    for (const constraint of constraints) {
      const subjects =
        constraint.vjobs === "each"
          ? [...byVjob.keys()].map((vjob) => [vjob])
          : [[...constraint.vjobs].filter((vjob) => byVjob.has(vjob))];
      for (const members of subjects) {
        if (members.length === 0 || !members.every((vjob) => appliesTo(constraint, vjob))) continue;
        // A root VM never moves; the others' moves stand if the constraint holds after them.
        const kept = constraint.type !== "root" && holds(constraint, platform, members, occupied);
        if (kept) continue;
        for (const vm of members.flatMap((vjob) => byVjob.get(vjob) ?? [])) {
          if (!moved(vm)) continue;
          trimmed[vm.id] = vm.host;
          undone = true;
        }
      }
    }
  }
  if (roomFor(configuration, target, trimmed)) return trimmed;
  // Nothing moves (VMs the target starts still start).
  const current = [...target];
  for (const vm of configuration.vms) if (vm.host !== undefined) current[vm.id] = vm.host;
  return current;
}

/** Whether every host is within its capacity under `trimmed`, or at most as loaded as `target` left it. */
function roomFor(configuration: Configuration, target: Assignment, trimmed: Assignment): boolean {
  const before = hostLoads(configuration, target);
  const after = hostLoads(configuration, trimmed);
  return configuration.hosts.every((host, i) => {
    const cpu = after.cpu[i] ?? 0;
    const memory = after.memory[i] ?? 0;
    const fits = within(cpu, host.cpu) && within(memory, host.memory);
    return fits || (cpu <= (before.cpu[i] ?? 0) && memory <= (before.memory[i] ?? 0));
  });
}
