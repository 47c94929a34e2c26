import { BottleneckGroup } from "./bottleneck-group.js";
import type { Flow } from "./flow.js";
import { MIXED, type PoolLinks } from "./pool-links.js";

/**
 * The rounding of loads kept incrementally and of levels computed apart: below this fraction of
 * spare capacity a link counts as full (the network's test of room for a flow at its bound); a
 * pool's checks accept a link loaded up to this fraction above its capacity (a link full with
 * flows held back elsewhere at the same level, a tie) and a foreign member's level up to this
 * fraction above that of the group it crosses.
 */
export const ROOM_MARGIN = 1e-9;

/** How a flow of a pool gets its rate. */
export type PoolRole = "member" | "fixed" | "satellite";

/**
 * A component of flows around full links (a site's store, where snapshots and boot images meet;
 * hosts' NICs and disks busy with migrations), each with its group of members (see
 * BottleneckGroup), in three roles: a member crosses its group's full link L and gets weight x
 * that group's level (it may cross other groups' full links too, as a foreign member, at a level
 * no higher than theirs); a fixed flow is held at its bound; a satellite (a flow that arrived
 * crossing no L, or the members of a small group that was retired) crosses no L and shares what
 * the others leave on its links, by max-min among the satellites. `holds()` tells whether these
 * rates are the weighted max-min allocation at the groups' proposed levels: each L full; on it,
 * the fixed and foreign flows at or below the level and the members' bounds at or above it; no
 * other link overloaded; where satellites are held back, no other flow at a higher level than
 * theirs. Each flow then has a full link where nobody has a higher level, or is at its bound: the
 * max-min conditions, whose solution is unique.
 *
 * A flow arriving or leaving changes its group's level in O(log n + groups + satellites), not the
 * n rates of the members; when `holds` fails, the network retires small groups in the way or
 * re-solves the component.
 */
export class BottleneckPool {
  readonly groups: BottleneckGroup[] = [];
  /** The links of the component (each owned by this pool). */
  readonly links: number[] = [];
  readonly satellites: Flow[] = [];
  /**
   * The groups a failing `holds` found in the way (the group that failed, groups whose members
   * fill a link or outrank satellites); empty if it failed elsewhere (fixed flows alone).
   */
  readonly implicated: BottleneckGroup[] = [];
  /** The satellites' rates at the levels last checked by `holds`, in `satellites` order. */
  satelliteRates = new Float64Array(16);
  /** Whether the network has to check the levels since flows left (see Network). */
  touched = false;
  private flowCount = 0;
  /** Links crossed by the members of several groups (and maybe no longer: skipped then). */
  private readonly mixedLinks: number[] = [];
  /** Links where fixed flows alone leave no room (see PoolLinks.overfull). */
  private overfullLinks = 0;
  private readonly satelliteLinks: number[] = [];
  /**
   * Weight of group g's members crossing group h's full link, keyed h x groups + g (g != h): a
   * few pairs of the groups x groups (a store's members crossing hosts' NICs that are groups).
   */
  private readonly foreign = new Map<number, number>();
  /**
   * For each group h, the groups g with an entry in `foreign`: the checks visit these pairs only.
   * Entries back at zero are dropped as they are met.
   */
  private crossers: number[][] = [];
  /**
   * The groups not retired, in the order of their levels when last proposed: sorted again at
   * each proposal, by insertion since levels seldom change order.
   */
  private readonly order: BottleneckGroup[] = [];

  constructor(private readonly shared: PoolLinks) {}

  /** Takes a link of the component (with no flow of another pool). */
  claim(link: number): void {
    this.shared.owner[link] = this;
    this.shared.reset(link);
    this.links.push(link);
  }

  /** Gives every link back; the flows must have been removed or let go first. */
  release(): void {
    for (const link of this.links) {
      this.shared.owner[link] = undefined;
      this.shared.reset(link);
    }
    this.links.length = 0;
  }

  /** Makes a claimed link the full link of a new group (before any flow is counted). */
  addGroup(link: number, now: number): BottleneckGroup {
    const group = new BottleneckGroup(this.shared, this.groups.length, link, now);
    this.groups.push(group);
    this.shared.bottleneckOf[link] = group.index;
    return group;
  }

  /** Ends the making of groups: members may be counted from now on. */
  sealGroups(): void {
    this.crossers = this.groups.map(() => []);
    this.order.push(...this.groups);
  }

  /**
   * Ends a group with no member left: its link becomes an ordinary link of the pool, checked as
   * the others are (its ceiling, or as a mixed link or a satellites' link).
   */
  retire(group: BottleneckGroup): void {
    const shared = this.shared;
    const link = group.link;
    group.retired = true;
    shared.bottleneckOf[link] = -1;
    this.order.splice(this.order.indexOf(group), 1);
    // Other groups' members crossing the link were foreign there (their weights stay in
    // `foreign`, where nothing reads a retired group's row): count them as on any link.
    const count = this.groups.length;
    let weights: Float64Array | undefined;
    let only = -1;
    for (const flow of shared.onLink[link] ?? []) {
      if (flow.poolSeq < 0 || flow.poolRole !== "member") continue;
      if (only === -1) only = flow.poolGroup;
      if (flow.poolGroup !== only) weights ??= new Float64Array(count);
    }
    if (weights !== undefined) {
      for (const flow of shared.onLink[link] ?? []) {
        if (flow.poolSeq < 0 || flow.poolRole !== "member") continue;
        weights[flow.poolGroup] = (weights[flow.poolGroup] as number) + flow.weight;
      }
      shared.mixedWeight[link] = weights;
      shared.memberGroup[link] = MIXED;
      this.mixedLinks.push(link);
    } else shared.memberGroup[link] = only;
    this.refileCeiling(link);
  }

  /**
   * Of the groups whose full links the flow crosses, the one at the lowest level (where it would
   * be held back; `levelOf` tells each group's); undefined if none.
   */
  groupCrossed(
    flow: Flow,
    levelOf: (group: BottleneckGroup) => number,
  ): BottleneckGroup | undefined {
    let found: BottleneckGroup | undefined;
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const index = this.shared.bottleneckOf[route[i] as number] as number;
      if (index < 0) continue;
      const group = this.groups[index] as BottleneckGroup;
      if (found === undefined || levelOf(group) < levelOf(found)) found = group;
    }
    return found;
  }

  /** The level `group` would have with members of `weight` more, the others where they are. */
  levelWith(group: BottleneckGroup, weight: number): number {
    return this.fairLevelOf(group, (other) => other.level, weight);
  }

  /** Counts a flow crossing `group`'s full link as its member (its rate follows the level). */
  addMember(flow: Flow, group: BottleneckGroup): void {
    const { memberCount, memberWeight, memberGroup } = this.shared;
    this.register(flow, "member");
    flow.poolGroup = group.index;
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      memberCount[link] = (memberCount[link] as number) + 1;
      memberWeight[link] = (memberWeight[link] as number) + flow.weight;
      this.addForeign(link, group, flow.weight);
      const was = memberGroup[link] as number;
      const mixed = this.shared.mixedWeight[link];
      if (was === -1) memberGroup[link] = group.index;
      else if (mixed !== undefined)
        mixed[group.index] = (mixed[group.index] as number) + flow.weight;
      else if (was !== group.index && this.shared.bottleneckOf[link] === -1) {
        // Every member there so far was of group `was`.
        const weights = new Float64Array(this.groups.length);
        weights[was] = memberWeight[link] - flow.weight;
        weights[group.index] = flow.weight;
        this.shared.mixedWeight[link] = weights;
        memberGroup[link] = MIXED;
        this.mixedLinks.push(link);
      }
      this.refileCeiling(link);
    }
    group.addMember(flow);
  }

  /** Counts a flow held at its bound. */
  addFixed(flow: Flow): void {
    const { fixedLoad, bottleneckOf } = this.shared;
    this.register(flow, "fixed");
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      fixedLoad[link] = (fixedLoad[link] as number) + flow.bound;
      const index = bottleneckOf[link] as number;
      if (index >= 0) (this.groups[index] as BottleneckGroup).addFixed(flow);
      else this.refileCeiling(link);
    }
  }

  /** Counts a flow that crosses no group's full link and is not held at its bound. */
  addSatellite(flow: Flow): void {
    const satelliteCount = this.shared.satelliteCount;
    this.register(flow, "satellite");
    this.satellites.push(flow);
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      satelliteCount[link] = (satelliteCount[link] as number) + 1;
      this.refileCeiling(link);
    }
  }

  /** Stops counting a flow; its heap entries go stale. */
  remove(flow: Flow): void {
    const shared = this.shared;
    const role = flow.poolRole;
    const group = flow.poolGroup;
    if (role === "member") (this.groups[group] as BottleneckGroup).removeMember();
    if (role === "satellite") {
      const satellites = this.satellites;
      const last = satellites.pop() as Flow;
      if (last !== flow) satellites[satellites.indexOf(flow)] = last;
    }
    this.flowCount--;
    flow.poolSeq = -1;
    flow.poolGroup = -1;
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      if (role === "member") {
        shared.memberWeight[link] = (shared.memberWeight[link] as number) - flow.weight;
        this.addForeign(link, this.groups[group] as BottleneckGroup, -flow.weight);
        shared.memberCount[link] = (shared.memberCount[link] as number) - 1;
        const mixed = shared.mixedWeight[link];
        if (mixed !== undefined) mixed[group] = (mixed[group] as number) - flow.weight;
        if (shared.memberCount[link] === 0) {
          shared.memberGroup[link] = -1;
          shared.mixedWeight[link] = undefined;
        }
      } else if (role === "fixed") {
        shared.fixedLoad[link] = (shared.fixedLoad[link] as number) - flow.bound;
      } else shared.satelliteCount[link] = (shared.satelliteCount[link] as number) - 1;
      this.refileCeiling(link);
    }
  }

  /**
   * Proposes for each group the level at which its full link is full with the flows now, lowest
   * levels first: a group's foreign members load other groups' links at its level. NaN where a
   * group would depend on one not proposed yet (the order of levels changed: `holds` fails).
   */
  propose(): void {
    const order = this.order;
    for (let i = 1; i < order.length; i++) {
      const group = order[i] as BottleneckGroup;
      let j = i - 1;
      for (; j >= 0 && lowerLevel(group, order[j] as BottleneckGroup); j--) {
        order[j + 1] = order[j] as BottleneckGroup;
      }
      order[j + 1] = group;
    }
    for (const group of order) group.proposed = Number.NaN;
    for (const group of order)
      group.proposed = this.fairLevelOf(group, (other) => other.proposed, 0);
  }

  /**
   * Whether members at their groups' proposed levels, the fixed flows at their bounds and the
   * satellites at `satelliteRates` (computed here) are the max-min rates.
   */
  holds(): boolean {
    this.implicated.length = 0;
    if (this.overfullLinks > 0) return false;
    for (const group of this.order) {
      if (!group.holds(this.flowCount)) this.implicated.push(group);
    }
    if (this.implicated.length > 0) return false;
    if (!this.foreignMembersHold()) return false;
    if (!this.mixedLinksHold()) return false;
    return this.satellites.length === 0 || this.satellitesHold();
  }

  /** `group`'s level given the others' levels (`levelOf`), with members of `weight` more. */
  private fairLevelOf(
    group: BottleneckGroup,
    levelOf: (other: BottleneckGroup) => number,
    weight: number,
  ): number {
    const row = group.index * this.groups.length;
    let load = 0;
    let foreignWeight = 0;
    for (const g of this.crossersOf(group)) {
      const crossing = this.foreign.get(row + g) as number;
      load += crossing * levelOf(this.groups[g] as BottleneckGroup);
      foreignWeight += crossing;
    }
    return group.fairLevel(load, foreignWeight, weight);
  }

  /** Foreign members are held back by their own groups, at levels no higher than the others'. */
  private foreignMembersHold(): boolean {
    for (const group of this.order) {
      for (const g of this.crossersOf(group)) {
        const crossing = this.groups[g] as BottleneckGroup;
        // Up to the rounding of levels computed apart: flows tied at two links, held back at one.
        if (crossing.proposed > group.proposed * (1 + ROOM_MARGIN)) {
          this.implicated.push(crossing, group);
          return false;
        }
      }
    }
    return true;
  }

  /** Counts `weight` of `group`'s members on `link` if it is another group's full link. */
  private addForeign(link: number, group: BottleneckGroup, weight: number): void {
    const owner = this.shared.bottleneckOf[link] as number;
    if (owner < 0 || owner === group.index) return;
    const at = owner * this.groups.length + group.index;
    const was = this.foreign.get(at);
    if (was === undefined) (this.crossers[owner] as number[]).push(group.index);
    this.foreign.set(at, (was ?? 0) + weight);
  }

  /** The groups whose members cross `group`'s full link, those with none left dropped first. */
  private crossersOf(group: BottleneckGroup): readonly number[] {
    const list = this.crossers[group.index] as number[];
    const row = group.index * this.groups.length;
    let kept = 0;
    for (const g of list) {
      if (this.foreign.get(row + g) !== 0) list[kept++] = g;
      else this.foreign.delete(row + g);
    }
    list.length = kept;
    return list;
  }

  private register(flow: Flow, role: PoolRole): void {
    flow.poolSeq = this.shared.key();
    flow.poolRole = role;
    this.flowCount++;
  }

  /** The load that members at their proposed levels put on a link. */
  private memberLoad(link: number): number {
    const shared = this.shared;
    const group = shared.memberGroup[link] as number;
    if (group === -1) return 0;
    if (group !== MIXED) {
      return (
        (shared.memberWeight[link] as number) * (this.groups[group] as BottleneckGroup).proposed
      );
    }
    const weights = shared.mixedWeight[link] as Float64Array;
    let load = 0;
    for (let g = 0; g < weights.length; g++) {
      const weight = weights[g] as number;
      if (weight !== 0) load += weight * (this.groups[g] as BottleneckGroup).proposed;
    }
    return load;
  }

  /**
   * No overload of the links crossed by several groups' members (those with satellites aside;
   * full is fine: the members have their own full links).
   */
  private mixedLinksHold(): boolean {
    const { capacity, fixedLoad, memberGroup, satelliteCount } = this.shared;
    const mixed = this.mixedLinks;
    let kept = 0;
    for (const link of mixed) {
      if (memberGroup[link] !== MIXED) continue;
      mixed[kept++] = link;
      if ((satelliteCount[link] as number) > 0) continue;
      const load = (fixedLoad[link] as number) + this.memberLoad(link);
      if (load > (capacity[link] as number) * (1 + ROOM_MARGIN)) {
        (this.shared.mixedWeight[link] as Float64Array).forEach((weight, g) => {
          if (weight !== 0) this.implicated.push(this.groups[g] as BottleneckGroup);
        });
        return false;
      }
    }
    mixed.length = kept;
    return true;
  }

  /**
   * Solves the satellites' max-min on what the members and the fixed flows leave of each of their
   * links, and checks that on each link where a satellite is held back no other flow has a higher
   * level than the satellites there. (Where the others leave less than nothing, the satellites
   * crossing it get 0 and the others outrank them.)
   */
  private satellitesHold(): boolean {
    const shared = this.shared;
    const { capacity, fixedLoad, residual, held } = shared;
    const satellites = this.satellites;
    const links = this.satelliteLinks;
    links.length = 0;
    for (const flow of satellites) {
      const route = flow.route;
      for (let i = 0; i < route.length; i++) {
        const link = route[i] as number;
        if (held[link] === 2) continue;
        held[link] = 2; // listed; the solver sets 1 where it holds a flow back
        links.push(link);
      }
    }
    for (const link of links) {
      held[link] = 0;
      residual[link] =
        (capacity[link] as number) - (fixedLoad[link] as number) - this.memberLoad(link);
    }
    if (this.satelliteRates.length < satellites.length) {
      this.satelliteRates = new Float64Array(satellites.length * 2);
    }
    shared.solver.solve(residual, links, satellites, this.satelliteRates, held);
    // The lowest satellite level on each of their links, in one pass over the satellites.
    const lowest = shared.satelliteLevel;
    for (const link of links) lowest[link] = Infinity;
    satellites.forEach((flow, i) => {
      const level = (this.satelliteRates[i] as number) / flow.weight;
      const route = flow.route;
      for (let j = 0; j < route.length; j++) {
        const link = route[j] as number;
        lowest[link] = Math.min(lowest[link] as number, level);
      }
    });
    for (const link of links) {
      if (held[link] === 1 && this.outranked(link, lowest[link] as number)) return false;
    }
    return true;
  }

  /**
   * Whether a flow other than a satellite has a level above `lowest` on `link`; the groups of
   * members that do are implicated.
   */
  private outranked(link: number, lowest: number): boolean {
    let found = false;
    for (const flow of this.shared.onLink[link] ?? []) {
      if (flow.poolSeq < 0 || flow.poolRole === "satellite") continue;
      if (flow.poolRole === "fixed") {
        found ||= flow.bound / flow.weight > lowest;
        continue;
      }
      const group = this.groups[flow.poolGroup] as BottleneckGroup;
      if (group.proposed > lowest) {
        found = true;
        if (!this.implicated.includes(group)) this.implicated.push(group);
      }
    }
    return found;
  }

  /**
   * A new entry for a link's ceiling in the heap of the group whose members alone cross it. None
   * for a group's full link (full by definition), a link with satellites (`satellitesHold` checks
   * it) or with several groups' members (`mixedLinksHold`); a link with no member only counts as
   * overfull if its fixed flows leave no room.
   */
  private refileCeiling(link: number): void {
    const shared = this.shared;
    if ((shared.bottleneckOf[link] as number) >= 0) return;
    const key = shared.key();
    shared.ceilingKey[link] = key;
    const room =
      (shared.capacity[link] as number) * (1 + ROOM_MARGIN) - (shared.fixedLoad[link] as number);
    const group = shared.memberGroup[link] as number;
    const overfull = group === -1 && shared.satelliteCount[link] === 0 && room < 0 ? 1 : 0;
    this.overfullLinks += overfull - (shared.overfull[link] as number);
    shared.overfull[link] = overfull;
    if (group < 0 || (shared.satelliteCount[link] as number) > 0) return;
    const weight = shared.memberWeight[link] as number;
    (this.groups[group] as BottleneckGroup).fileCeiling(room / weight, key, link);
  }
}

/** Whether a group comes before another in the order of levels (ties by index). */
function lowerLevel(a: BottleneckGroup, b: BottleneckGroup): boolean {
  return a.level < b.level || (a.level === b.level && a.index < b.index);
}
