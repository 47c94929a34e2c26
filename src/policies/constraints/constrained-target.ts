import type { Platform } from "../../platform/platform.js";
import { within } from "../consolidation/capacity.js";
import type { Assignment, Configuration, VmDemand } from "../consolidation/configuration.js";
import { hostLoads } from "../consolidation/entropy/assignment-metrics.js";
import { type Constraint, holds } from "./placement-constraints.js";
import { type VjobPlaces, hostsOf } from "./vjob-places.js";

/** What a consolidation's target is checked against. */
export interface TargetConstraints {
  readonly constraints: readonly Constraint[];
  readonly platform: Platform;
  /** Which vjob each VM is of, and where each vjob's VMs are. */
  readonly places: Pick<VjobPlaces, "vjobOfVm" | "vmsOf">;
}

/**
 * A consolidation's target with every change that would leave a constraint broken undone: a
 * subject (a vjob, or a group) whose constraint the target breaks gets its moved VMs back on
 * their hosts and the VMs the target starts left where they are (a controller's queued vjobs stay
 * queued), until no undo is left to do. A group's vjobs outside the decision (on other sites, or
 * hosts of another group manager) count where they are. If an undo overloads a host the target
 * had room on, the decision moves nothing. Constraints hold once the plan is done (discrete);
 * while it runs, a migrating VM occupies both its hosts, which the monitor measures.
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
  /** Whether the target moves the VM or starts it (a suspend never breaks a constraint). */
  const changed = (vm: VmDemand) => trimmed[vm.id] !== undefined && trimmed[vm.id] !== vm.host;
  let undone = true;
  while (undone) {
    undone = false;
    for (const constraint of constraints) {
      const subjects =
        constraint.vjobs === "each"
          ? [...byVjob.keys()].map((vjob) => [vjob])
          : [...constraint.vjobs].some((vjob) => byVjob.has(vjob))
            ? [[...constraint.vjobs]]
            : [];
      for (const members of subjects) {
        // A root VM never moves; the others' changes stand if the constraint holds after them.
        const kept = constraint.type !== "root" && holds(constraint, platform, members, occupied);
        if (kept) continue;
        for (const vm of members.flatMap((vjob) => byVjob.get(vjob) ?? [])) {
          if (!changed(vm)) continue;
          trimmed[vm.id] = vm.host;
          undone = true;
        }
      }
    }
  }
  if (roomFor(configuration, target, trimmed)) return trimmed;
  // Nothing moves, nothing starts.
  return configuration.vms.map((vm) => vm.host);
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
