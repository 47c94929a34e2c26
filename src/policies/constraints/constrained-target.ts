import type { Platform } from "../../platform/platform.js";
import { within } from "../consolidation/capacity.js";
import type { Assignment, Configuration, VmDemand } from "../consolidation/configuration.js";
import { hostLoads } from "../consolidation/entropy/assignment-metrics.js";
import {
  type Constraint,
  appliesTo,
  holds,
  inQuarantine,
  keptOnlyInPlace,
  membersOf,
} from "./placement-constraints.js";
import { DecisionVjobs, type VjobLookup } from "./decision-vjobs.js";
import type { Whereabouts } from "./vjob-places.js";

/** What a consolidation's target is checked against. */
export interface TargetConstraints {
  readonly constraints: readonly Constraint[];
  readonly platform: Platform;
  readonly places: VjobLookup;
  /** What time it is (a quarantine lasts a while). */
  readonly clock: { readonly now: number };
  /** Cores reserved on a host now by the VMs holding RAM there (preserve); absent: none. */
  readonly reservedOn?: (host: number) => number;
}

/**
 * A consolidation's target with every change that would leave a constraint broken undone: a
 * subject (a vjob, or a group) whose constraint the target breaks gets its moved VMs back on
 * their hosts and the VMs the target starts left where they are (a controller's queued vjobs stay
 * queued). A host an undo overloads (beyond its capacity, the load the target gave it and the
 * load it has now) sends back the VMs the target brought to it, in id order, until it has room
 * again; those undos may break other constraints, and so on until no undo is left to do (each
 * undoes a change: it ends). A host left with no arrival holds only VMs it holds now, so it has
 * room by then: the rest of the decision stands. A group's vjobs outside the decision (on other
 * sites, or hosts of another group manager) count where they are. Nothing moves onto or off a
 * host in quarantine. Every
 * constraint holds once the plan is done; a continuous one while it runs too, by the plan's order
 * (see planGuard), except a gather or an among, kept only if its VMs move within their host, site
 * or cluster (checked here).
 */
export function keepConstraints(
  context: TargetConstraints,
  configuration: Configuration,
  target: Assignment,
): Assignment {
  const { constraints, platform, places } = context;
  const trimmed = [...target];
  const decision = new DecisionVjobs(configuration, places);
  /** Where the VMs would be: the decision's at their target, the others where they are. */
  const occupied = decision.where((vm) => present([trimmed[vm.id]]));
  /** Where they are now, and where they would be while the plan runs (a move on both hosts). */
  const now = decision.where((vm) => present([vm.host]));
  const during = decision.where((vm) => present([vm.host, trimmed[vm.id]]));
  /** Whether the target moves the VM or starts it (a suspend never breaks a constraint). */
  const changed = (vm: VmDemand) => trimmed[vm.id] !== undefined && trimmed[vm.id] !== vm.host;
  // No VM arrives on a host in quarantine, none leaves one.
  const closed = (host: number | undefined) => inQuarantine(constraints, host, context.clock.now);
  for (const vm of configuration.vms) {
    if (changed(vm) && (closed(trimmed[vm.id]) || closed(vm.host))) trimmed[vm.id] = vm.host;
  }
  let undone = true;
  while (undone) {
    undone = false;
    for (const constraint of constraints) {
      for (const members of decision.subjects(constraint)) {
        if (keptIn(constraint, platform, members, { after: occupied, now, during })) continue;
        // A lonely subject's hosts lose the VMs of other vjobs the target brings there too.
        const intruders =
          constraint.type === "lonely"
            ? arrivalsAmong(decision, members, occupied, trimmed, changed)
            : [];
        for (const vm of [...decision.vmsOf(members), ...intruders]) {
          if (!changed(vm)) continue;
          trimmed[vm.id] = vm.host;
          undone = true;
        }
      }
    }
    if (sendBackArrivals(configuration, target, trimmed, changed)) undone = true;
  }
  return trimmed;
}

/**
 * Whether a constraint over `members` lets the target's changes stand: never for a root one (its
 * VMs never move); else if it holds `after` them, and `during` them too for a continuous gather
 * or among that holds `now` (no plan order keeps one whose VM migrates out of its place).
 */
function keptIn(
  constraint: Constraint,
  platform: Platform,
  members: readonly string[],
  worlds: { readonly after: Whereabouts; readonly now: Whereabouts; readonly during: Whereabouts },
): boolean {
  return (
    constraint.type !== "root" &&
    holds(constraint, platform, members, worlds.after) &&
    (!keptOnlyInPlace(constraint) ||
      !holds(constraint, platform, members, worlds.now) ||
      holds(constraint, platform, members, worlds.during))
  );
}

/**
 * Whether some moves of a target keep the constraints, as keepConstraints would let them stand:
 * for each VM moved (configuration ids), no quarantine closes its hosts, and every constraint on
 * its vjob (and every lonely one of the vjobs on its new host) is kept in `target` (the other VMs
 * of the decision where it has them). For a policy trying moves a few at a time (a drain): the
 * decision's vjobs are grouped once, at the first question.
 */
export function movesKeepConstraints(
  context: TargetConstraints,
  configuration: Configuration,
): (target: Assignment, moved: readonly number[]) => boolean {
  const { constraints, platform, places } = context;
  // Built at the first question: a policy that asks none pays nothing.
  let grouped: DecisionVjobs | undefined;
  const closed = (host: number | undefined) => inQuarantine(constraints, host, context.clock.now);
  return (target, moved) => {
    const decision = (grouped ??= new DecisionVjobs(configuration, places));
    const worlds = {
      after: decision.where((vm) => present([target[vm.id]])),
      now: decision.where((vm) => present([vm.host])),
      during: decision.where((vm) => present([vm.host, target[vm.id]])),
    };
    return moved.every((id) => {
      const vm = configuration.vms[id];
      const to = target[id];
      if (vm === undefined || closed(to) || closed(vm.host)) return false;
      const vjob = vm.vm === undefined ? undefined : places.vjobOfVm(vm.vm);
      if (vjob === undefined) return true;
      return constraints.every((constraint) => {
        const neighbours =
          constraint.type === "lonely" && to !== undefined
            ? [...worlds.after.vjobsOn(to)].filter((o) => o !== vjob && appliesTo(constraint, o))
            : [];
        const subjects = [...(appliesTo(constraint, vjob) ? [vjob] : []), ...neighbours];
        return subjects.every((subject) =>
          keptIn(constraint, platform, membersOf(constraint, subject), worlds),
        );
      });
    });
  };
}

/**
 * The decision's VMs of vjobs other than `members` that the target changes onto a host the
 * members occupy in it (`where`; `target` gives each VM's host).
 */
function arrivalsAmong(
  decision: DecisionVjobs,
  members: readonly string[],
  where: Whereabouts,
  target: Assignment,
  changed: (vm: VmDemand) => boolean,
): VmDemand[] {
  const own = new Set(members);
  const theirs = new Set<number | undefined>(
    members.flatMap((vjob) => where.occupied(vjob).flat()),
  );
  return [...decision.byVjob]
    .filter(([vjob]) => !own.has(vjob))
    .flatMap(([, vms]) => vms)
    .filter((vm) => changed(vm) && theirs.has(target[vm.id]));
}

/** The hosts given, without undefined and repeats. */
function present(hosts: readonly (number | undefined)[]): number[] {
  return [...new Set(hosts.filter((host) => host !== undefined))];
}

type Loads = ReturnType<typeof hostLoads>;

/**
 * Whether host `i` is within its capacity under `after`, or at most as loaded as one of `bounds`
 * leaves it (the target; the configuration now: moving nothing would leave it so).
 */
function hasRoom(
  configuration: Configuration,
  i: number,
  bounds: readonly Loads[],
  after: Loads,
): boolean {
  const host = configuration.hosts[i];
  if (host === undefined) return true;
  const cpu = after.cpu[i] ?? 0;
  const memory = after.memory[i] ?? 0;
  if (within(cpu, host.cpu) && within(memory, host.memory)) return true;
  return bounds.some((bound) => cpu <= (bound.cpu[i] ?? 0) && memory <= (bound.memory[i] ?? 0));
}

/** The loads a trimmed target is measured against: the target's, and the configuration's now. */
function loadBounds(configuration: Configuration, target: Assignment): Loads[] {
  const now = configuration.vms.map((vm) => vm.host);
  return [hostLoads(configuration, target), hostLoads(configuration, now)];
}

/**
 * On each host without room under `trimmed` (an undo brought a VM back to it), undoes the
 * arrivals `trimmed` still has there, in id order, until it has room or none is left. True if it
 * undid any.
 */
function sendBackArrivals(
  configuration: Configuration,
  target: Assignment,
  trimmed: (number | undefined)[],
  changed: (vm: VmDemand) => boolean,
): boolean {
  const bounds = loadBounds(configuration, target);
  const after = hostLoads(configuration, trimmed);
  let undid = false;
  configuration.hosts.forEach((host, i) => {
    if (hasRoom(configuration, i, bounds, after)) return;
    for (const vm of configuration.vms) {
      if (!changed(vm) || trimmed[vm.id] !== host.id) continue;
      trimmed[vm.id] = vm.host;
      after.cpu[i] = (after.cpu[i] ?? 0) - vm.cpu;
      after.memory[i] = (after.memory[i] ?? 0) - vm.memory;
      undid = true;
      if (hasRoom(configuration, i, bounds, after)) return;
    }
  });
  return undid;
}
