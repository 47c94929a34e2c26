import type { Configuration, VmDemand } from "../consolidation/configuration.js";
import type { Constraint } from "./placement-constraints.js";
import { type VjobPlaces, type Whereabouts, hostsOf } from "./vjob-places.js";

/** Which vjob each VM is of, where each vjob's VMs are, and which vjobs are on each host. */
export type VjobLookup = Pick<VjobPlaces, "vjobOfVm" | "vmsOf" | "vmsOnHost" | "vjobsOn">;

/**
 * A consolidation decision's VMs grouped by vjob, for checking constraints over them: a vjob's VMs
 * in the decision are wherever the caller says (now, in the target, during a plan), its VMs
 * outside it (other sites, another group manager's hosts) and those it cannot move (pinned: a
 * sky flight's migration) where they are.
 */
export class DecisionVjobs {
  /** The decision's VMs of each vjob that has one in it. */
  readonly byVjob = new Map<string, VmDemand[]>();
  private readonly inDecision = new Set<number>();

  constructor(
    configuration: Configuration,
    private readonly places: VjobLookup,
  ) {
    for (const vm of configuration.vms) {
      const vjob = vm.vm === undefined ? undefined : places.vjobOfVm(vm.vm);
      // A pinned VM (migrating, say) stays as it is: on both its hosts while it migrates.
      if (vm.vm === undefined || vjob === undefined || vm.pinned) continue;
      this.inDecision.add(vm.vm);
      const mine = this.byVjob.get(vjob);
      if (mine === undefined) this.byVjob.set(vjob, [vm]);
      else mine.push(vm);
    }
  }

  /** The hosts each VM of the vjob occupies: the decision's as `hostsOfVm` says, the others' now. */
  occupied(vjob: string, hostsOfVm: (vm: VmDemand) => readonly number[]): (readonly number[])[] {
    return [
      ...(this.byVjob.get(vjob) ?? []).map(hostsOfVm),
      ...this.places
        .vmsOf(vjob)
        .filter((vm) => !this.inDecision.has(vm.id))
        .map(hostsOf),
    ];
  }

  /** The world with the decision's VMs where `hostsOfVm` says, the others where they are. */
  where(hostsOfVm: (vm: VmDemand) => readonly number[]): Whereabouts {
    return {
      occupied: (vjob) => this.occupied(vjob, hostsOfVm),
      vjobsOn: (host) => this.vjobsOn(host, hostsOfVm),
    };
  }

  /**
   * The vjobs on a host: the decision's VMs where `hostsOfVm` says, and the VMs the index has on
   * the host now beyond the decision's own there now (outside the decision, or pinned).
   */
  private vjobsOn(host: number, hostsOfVm: (vm: VmDemand) => readonly number[]): Set<string> {
    const vjobs = new Set<string>();
    for (const [vjob, vms] of this.byVjob) {
      if (vms.some((vm) => hostsOfVm(vm).includes(host))) vjobs.add(vjob);
    }
    for (const [vjob, count] of this.places.vmsOnHost(host)) {
      const mine = (this.byVjob.get(vjob) ?? []).filter((vm) => vm.host === host).length;
      if (count > mine) vjobs.add(vjob);
    }
    return vjobs;
  }

  /**
   * What a constraint holds together in this decision: each vjob for `each`, else its whole group
   * if any of the group's vjobs is in the decision.
   */
  subjects(constraint: Constraint): string[][] {
    if (constraint.vjobs === "each") return [...this.byVjob.keys()].map((vjob) => [vjob]);
    const group = [...constraint.vjobs];
    return group.some((vjob) => this.byVjob.has(vjob)) ? [group] : [];
  }

  /** The decision's VMs of these vjobs. */
  vmsOf(vjobs: readonly string[]): VmDemand[] {
    return vjobs.flatMap((vjob) => this.byVjob.get(vjob) ?? []);
  }
}
