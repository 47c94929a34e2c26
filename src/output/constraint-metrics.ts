import type { Cloud } from "../compute/cloud.js";
import type { Vm, VmState } from "../compute/vm.js";
import { hostsOf } from "../policies/constraints/vjob-places.js";
import {
  type Constraint,
  appliesTo,
  holds,
  membersOf,
  quarantined,
} from "../policies/constraints/placement-constraints.js";

/** The states a VM lands on a host in: its boot, restore or resume there. */
const ARRIVING: readonly VmState[] = ["booting", "restoring", "resuming"];
import type { VjobPlaces } from "../policies/constraints/vjob-places.js";
import type { VjobRunner } from "../workload/vjob-runner.js";
import { Signal } from "../sim/signal.js";
import { PowerCaps } from "../policies/constraints/power-caps.js";
import type { ConsolidationManager } from "../run/consolidation-manager.js";

/** How well one of the scenario's constraints was kept. */
export interface ConstraintSummary {
  /** Its place in the scenario's `constraints` list, and its type. */
  readonly constraint: number;
  readonly type: Constraint["type"];
  /** Times it went from kept to broken (per vjob for `each`, for the group otherwise). */
  readonly violations: number;
  /** Seconds it was broken, summed over its vjobs (or its group). */
  readonly violationSeconds: number;
}

/** A constraint going from kept to broken, or back, for a vjob (or a group: "j0+j1"). */
export interface ConstraintChange {
  readonly constraint: number;
  readonly type: Constraint["type"];
  readonly subject: string;
  readonly broken: boolean;
  readonly time: number;
}

interface Tally {
  violations: number;
  seconds: number;
  /** When each broken subject (a vjob, or the group "") broke. */
  readonly since: Map<string, number>;
}

/**
 * Measures the scenario's constraints at every instant, whoever moves the VMs: each time a VM of
 * a vjob changes state or lands by migration, the constraints on that vjob (or its group) are
 * checked against where its VMs are (a migrating VM on both its hosts), and a violation's start
 * and end are recorded.
 */
export class ConstraintMetrics {
  readonly changed = new Signal<ConstraintChange>("constraint kept or broken");
  private readonly tallies: Tally[];
  private readonly vjobOfVm = new WeakMap<Vm, string>();
  /** Seconds of closed violations per vjob (a group's count for each of its vjobs), until taken. */
  private readonly vjobSeconds = new Map<string, number>();
  /** Whether a constraint is lonely: other vjobs' VMs matter (places tracks hosts then). */
  private readonly lonely: boolean;
  /** Whether a constraint is a quarantine, and per quarantine the VMs that landed on its hosts. */
  private readonly quarantines: boolean;
  private readonly arrivals = new Map<number, Map<Vm, string>>();
  /** The first VM that left a host in quarantine, for `--check`. */
  private departure: string | undefined;
  /** The vjob of each VM by name (a CPU consumer's name), with preserve constraints. */
  private readonly vjobOfName = new Map<string, string>();
  /** Per preserve constraint (by index), the VMs granted less than they keep: vjob and host. */
  private readonly starving = new Map<number, Map<string, { vjob: string; host: number }>>();
  /** The power caps (maxOnline), per capped set of hosts. */
  private readonly caps: PowerCaps;
  /** Consolidation plans decided and not ended yet (a discrete constraint may break meanwhile). */
  private plansUnderWay = 0;

  constructor(
    private readonly cloud: Cloud,
    runner: VjobRunner,
    private readonly places: VjobPlaces,
    private readonly constraints: readonly Constraint[],
  ) {
    this.tallies = constraints.map(() => ({ violations: 0, seconds: 0, since: new Map() }));
    this.lonely = constraints.some((constraint) => constraint.type === "lonely");
    this.quarantines = constraints.some((constraint) => constraint.type === "quarantine");
    const preserves = constraints.some((constraint) => constraint.type === "preserve");
    runner.vjobPlaced.subscribe((record) => {
      for (const vm of record.vms) this.vjobOfVm.set(vm, record.spec.name);
      if (preserves) for (const vm of record.vms) this.vjobOfName.set(vm.name, record.spec.name);
    });
    if (preserves) {
      cloud.cpu.hostReshared.subscribe((host) => {
        this.checkReservations(host);
      });
    }
    const check = (vm: Vm) => {
      const vjob = this.vjobOfVm.get(vm);
      if (vjob !== undefined) this.check(vjob);
    };
    cloud.vmStateChanged.subscribe(({ vm, to }) => {
      check(vm);
      if (this.quarantines) this.watchQuarantines(vm, to);
    });
    for (const [i, constraint] of constraints.entries()) {
      const { until } = constraint.window;
      if (constraint.type !== "quarantine" || until === Infinity) continue;
      cloud.sim.scheduleAt(until, () => {
        this.endQuarantine(i);
      });
    }
    cloud.migrationEnded.subscribe(({ vm }) => {
      check(vm);
    });
    this.caps = new PowerCaps(constraints);
    if (!this.caps.empty) {
      cloud.hostPowerChanged.subscribe(({ host }) => {
        this.checkCaps(host);
      });
      this.checkCaps(undefined);
    }
    runner.vjobFinished.subscribe((record) => {
      this.check(record.spec.name);
    });
  }

  /**
   * Follows the consolidation's plans: from a decision with actions to its plan's end (an empty
   * plan of a distributed manager ends without having begun).
   */
  followPlans(manager: ConsolidationManager): void {
    manager.decided.subscribe(({ plan, power }) => {
      if (plan.pools.length + power.boot.length + power.switchOff.length > 0) this.plansUnderWay++;
    });
    manager.switched.subscribe(({ started, skipped }) => {
      if (started + skipped > 0) this.plansUnderWay--;
    });
  }

  /**
   * Checks every constraint on the vjob (over its group's VMs for a group's); then, with lonely
   * constraints, those of the vjobs sharing its hosts, and the lonely subjects broken so far (a
   * VM leaving their hosts may have ended it).
   */
  private check(vjob: string): void {
    this.checkSubject(vjob, () => true);
    if (!this.lonely) return;
    const lonely = (constraint: Constraint) => constraint.type === "lonely";
    const near = new Set(
      this.places.hostsOf(vjob).flatMap((host) => [...this.places.vjobsOn(host)]),
    );
    for (const [i, constraint] of this.constraints.entries()) {
      if (constraint.type !== "lonely") continue;
      for (const subject of this.tallies[i]?.since.keys() ?? []) {
        near.add(subject.split("+")[0] ?? "");
      }
    }
    near.delete(vjob);
    for (const other of near) this.checkSubject(other, lonely);
  }

  /** Checks the constraints on the vjob that `which` selects (quarantines are watched apart). */
  private checkSubject(vjob: string, which: (constraint: Constraint) => boolean): void {
    this.constraints.forEach((constraint, i) => {
      if (constraint.type === "quarantine") return;
      if (!appliesTo(constraint, vjob) || !which(constraint)) return;
      const members = membersOf(constraint, vjob);
      this.mark(i, members, !holds(constraint, this.cloud.platform, members, this.places));
    });
  }

  /**
   * Records constraint `i` as broken or kept for its subject `members` (a change is signalled);
   * a power cap's subject is its set of hosts (`cap`), no vjob's.
   */
  private mark(i: number, members: readonly string[], broken: boolean, cap?: string): void {
    const constraint = this.constraints[i] as Constraint;
    const subject = cap ?? members.join("+");
    const tally = this.tallies[i] as Tally;
    const since = tally.since.get(subject);
    const now = this.cloud.sim.now;
    if (broken && since === undefined) {
      tally.since.set(subject, now);
      tally.violations++;
    } else if (!broken && since !== undefined) {
      tally.since.delete(subject);
      tally.seconds += now - since;
      for (const member of cap === undefined ? members : []) {
        this.vjobSeconds.set(member, (this.vjobSeconds.get(member) ?? 0) + now - since);
      }
    } else return;
    this.changed.emit({
      constraint: constraint.index,
      type: constraint.type,
      subject,
      broken,
      time: now,
    });
  }

  /**
   * A quarantine is about moves: a VM that lands on one of its hosts while it lasts (booted,
   * restored, resumed or migrated there) breaks it for its vjob until the VM leaves the host or the
   * quarantine ends; a VM that migrates off one breaks it for an instant (a violation of no
   * duration), noted for `--check`.
   */
  private watchQuarantines(vm: Vm, to: VmState): void {
    const vjob = this.vjobOfVm.get(vm);
    if (vjob === undefined) return;
    const now = this.cloud.sim.now;
    for (const [i, constraint] of this.constraints.entries()) {
      if (constraint.type !== "quarantine") continue;
      const arrived = this.arrivals.get(i) ?? new Map<Vm, string>();
      this.arrivals.set(i, arrived);
      const from = vm.host;
      if (to === "migrating" && from !== undefined && quarantined(constraint, from, now)) {
        this.mark(i, [vjob], true);
        this.departure ??= `constraint #${constraint.index} (quarantine): VM ${vm.name} of ${vjob} left ${this.cloud.hostName(from)} at ${now} s`;
      }
      const landing =
        to === "migrating" ? vm.destination : ARRIVING.includes(to) ? hostsOf(vm)[0] : undefined;
      if (landing !== undefined && quarantined(constraint, landing, now)) arrived.set(vm, vjob);
      if (!hostsOf(vm).some((host) => constraint.hosts.has(host))) arrived.delete(vm);
      this.mark(i, [vjob], [...arrived.values()].includes(vjob));
    }
  }

  /**
   * A power cap (maxOnline) is broken while more of its hosts count as online than its max: checked
   * for the caps over a host whose power changed (every cap if none).
   */
  private checkCaps(host: number | undefined): void {
    const stateOf = (id: number) => this.cloud.powerState(id);
    const caps = this.caps.caps.map((_, i) => i);
    for (const i of host === undefined ? caps : this.caps.of(host)) {
      const cap = this.caps.caps[i];
      if (cap === undefined) continue;
      const at = this.constraints.findIndex((c) => c.index === cap.constraint);
      this.mark(at, [], this.caps.online(i, stateOf) > cap.max, cap.name);
    }
  }

  /**
   * A preserve is broken for a vjob while one of its VMs is granted less than min(cores, demand)
   * cores (its host's reservations exceed its cores, or a policy ignored them): checked for the
   * VMs of a host whose CPU was reshared.
   */
  private checkReservations(host: number): void {
    const speed = this.cloud.platform.hosts[host]?.speed ?? 0;
    const consumers = this.cloud.cpu.consumersAt(host);
    for (const [i, constraint] of this.constraints.entries()) {
      if (constraint.type !== "preserve") continue;
      const starving = this.starving.get(i) ?? new Map<string, { vjob: string; host: number }>();
      this.starving.set(i, starving);
      const touched = new Set<string>();
      for (const [vm, at] of starving) {
        if (at.host !== host) continue;
        starving.delete(vm);
        touched.add(at.vjob);
      }
      for (const consumer of consumers) {
        const vjob = this.vjobOfName.get(consumer.name);
        if (vjob === undefined || !appliesTo(constraint, vjob)) continue;
        const kept = Math.min(constraint.cores, consumer.demand) * speed;
        // A relative tolerance: the grant is a sum of shares computed in floating point.
        if (consumer.granted >= kept * (1 - 1e-9)) continue;
        starving.set(consumer.name, { vjob, host });
        touched.add(vjob);
      }
      for (const vjob of touched) {
        const members = membersOf(constraint, vjob);
        const broken = [...starving.values()].some((at) => members.includes(at.vjob));
        this.mark(i, members, broken);
      }
    }
  }

  /** At a quarantine's end: the VMs that arrived during it are no longer a violation. */
  private endQuarantine(i: number): void {
    this.arrivals.delete(i);
    for (const subject of [...(this.tallies[i]?.since.keys() ?? [])]) {
      this.mark(i, subject.split("+"), false);
    }
  }

  /**
   * Seconds the vjob's constraints were broken (its group's counting for it), ongoing violations
   * until now; taken once, for its row of jobs.csv.
   */
  takeViolationSeconds(vjob: string): number {
    let seconds = this.vjobSeconds.get(vjob) ?? 0;
    this.vjobSeconds.delete(vjob);
    const now = this.cloud.sim.now;
    this.constraints.forEach((constraint, i) => {
      if (!appliesTo(constraint, vjob)) return;
      const subject = membersOf(constraint, vjob).join("+");
      const since = this.tallies[i]?.since.get(subject);
      if (since !== undefined) seconds += now - since;
    });
    return seconds;
  }

  /**
   * The invariant `--check` adds: no constraint that makes vjobs wait is broken where the policies
   * keep it: a continuous one at any instant, a discrete one while no plan is under way (see
   * followPlans) and none of its VMs migrates (a sky flight). Allowed constraints may be broken.
   * A description of the first broken one, or undefined.
   */
  brokenWhereKept(): string | undefined {
    if (this.departure !== undefined) return this.departure;
    for (const [i, constraint] of this.constraints.entries()) {
      if (constraint.onViolation !== "wait") continue;
      for (const [subject, since] of this.tallies[i]?.since ?? []) {
        const occupied = subject.split("+").flatMap((vjob) => this.places.occupied(vjob));
        const moving = this.plansUnderWay > 0 || occupied.some((hosts) => hosts.length > 1);
        if (!constraint.continuous && moving) continue;
        const holds = constraint.continuous ? "continuous" : "discrete";
        return `constraint #${constraint.index} (${constraint.type}, ${holds}) of ${subject} broken since ${since} s${constraint.continuous ? "" : ", no plan under way"}`;
      }
    }
    return undefined;
  }

  /** Each constraint's violations, ongoing ones counted until `until`. */
  summarize(until: number): ConstraintSummary[] {
    return this.constraints.map((constraint, i) => {
      const tally = this.tallies[i] as Tally;
      let seconds = tally.seconds;
      for (const since of tally.since.values()) seconds += until - since;
      return {
        constraint: constraint.index,
        type: constraint.type,
        violations: tally.violations,
        violationSeconds: seconds,
      };
    });
  }
}
