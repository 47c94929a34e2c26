import type { Assignment, Configuration } from "../consolidation/configuration.js";
import type { TargetConstraints } from "./constrained-target.js";
import type { VjobLookup } from "./decision-vjobs.js";
import { appliesTo, holds, inQuarantine, membersOf } from "./placement-constraints.js";
import { type Whereabouts, hostsOf } from "./vjob-places.js";

/**
 * Whether a VM (by cloud id) may start arriving on `host` now, as a plan to `target` (over the
 * decision's `vms`, in its order) is carried out. The world may have changed since the decision
 * (a vjob restored where the plan sends a VM), so every constraint on the VM (and every lonely
 * one of the vjobs on `host`) must still hold once the plan is done (the VMs it changes at their
 * targets, the others where they are now), and a continuous one that holds now must hold with the
 * VM on `host` as well. No VM lands on a host in quarantine, or migrates off one, and none whose
 * cores are preserved lands where the reservations would exceed the cores (its RAM held there
 * brings its reservation at once, a plan's order notwithstanding).
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
    const leaving = arriving?.state === "running" ? arriving.host : undefined;
    const { now: time } = context.clock;
    if (inQuarantine(constraints, host, time) || inQuarantine(constraints, leaving, time)) {
      return false;
    }
    const reserving = arriving?.spec?.reserved ?? 0;
    const preserved = constraints.some((c) => c.type === "preserve" && appliesTo(c, vjob));
    if (preserved && reserving > 0 && context.reservedOn !== undefined) {
      const cores = platform.hosts[host]?.cores ?? 0;
      if (context.reservedOn(host) + reserving > cores) return false;
    }
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
