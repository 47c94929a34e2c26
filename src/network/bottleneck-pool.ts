import { QuaternaryHeap } from "../sim/quaternary-heap.js";
import type { Flow } from "./flow.js";
import { MaxMinSolver } from "./maxmin.js";

/**
 * Below this fraction of spare capacity a link counts as full: it absorbs the rounding of loads
 * kept incrementally.
 */
export const ROOM_MARGIN = 1e-9;

/** How a flow of a pool gets its rate (see BottleneckPool). */
export type PoolRole = "member" | "fixed" | "satellite";

/** Per-link state of the pools of one network: each link belongs to at most one pool. */
export class PoolLinks {
  readonly owner: (BottleneckPool | undefined)[];
  /** Weight of the owning pool's members crossing the link. */
  readonly memberWeight: Float64Array;
  /** Sum of the rates of the owning pool's flows held at their bound that cross the link. */
  readonly fixedLoad: Float64Array;
  /** Satellites of the owning pool crossing the link. */
  readonly satelliteCount: Int32Array;
  /** Key of the link's live entry in its pool's heap of ceilings. */
  readonly ceilingKey: Float64Array;
  /** Scratch for the satellites' problem: capacity left to them, and where they are held back. */
  readonly residual: Float64Array;
  readonly held: Uint8Array;
  readonly solver: MaxMinSolver;
  /** Source of unique heap keys, so that an entry of a reused slot never looks live. */
  private nextKey = 0;

  constructor(
    readonly capacity: Float64Array,
    /** The network's active flows by slot, and by link. */
    readonly bySlot: readonly (Flow | undefined)[],
    readonly onLink: readonly (readonly Flow[])[],
  ) {
    const count = capacity.length;
    this.owner = new Array<BottleneckPool | undefined>(count).fill(undefined);
    this.memberWeight = new Float64Array(count);
    this.fixedLoad = new Float64Array(count);
    this.satelliteCount = new Int32Array(count);
    this.ceilingKey = new Float64Array(count).fill(-1);
    this.residual = new Float64Array(count);
    this.held = new Uint8Array(count);
    this.solver = new MaxMinSolver(count);
  }

  key(): number {
    return this.nextKey++;
  }
}

/**
 * A component of flows around one bottleneck link L, in three roles: members cross L and get
 * weight x level; fixed flows are held at their bound; satellites (a few flows, such as
 * migrations beside a store's snapshots) cross no L and share what the others leave on their
 * links, by max-min among themselves. `holds(level)` tells whether these rates are the weighted
 * max-min allocation: L full, the fixed flows crossing it bounded at or below the level, the
 * members' bounds at or above it; every link without satellites has room; and on the links where
 * satellites are held back, no other flow has a higher level than theirs. Each flow then has a
 * full link where nobody has a higher level, or is at its bound: the max-min conditions, whose
 * solution is unique.
 *
 * Members share L as a processor-sharing queue does: a virtual time counts the bytes served per
 * unit of weight, and a member finishes when the virtual time reaches its tag (virtual time at
 * joining + bytes / weight). A flow arriving or leaving changes the level in O(log n + the
 * satellites), not the n rates of the members; the network re-solves the component only when
 * `holds` fails.
 */
export class BottleneckPool {
  /** Rate per unit of weight of the members, bytes/s. */
  level = 0;
  private virtualTime = 0;
  private updatedAt: number;
  /** The links of the component (each owned by this pool). */
  readonly links: number[] = [];
  memberCount = 0;
  /** Whether the network has to check the level since flows left (see Network). */
  touched = false;
  /** The member whose finish time the network has filed for the pool, if any. */
  filedHead: Flow | undefined = undefined;
  readonly satellites: Flow[] = [];
  /** The satellites' rates at the level last checked by `holds`, in `satellites` order. */
  satelliteRates = new Float64Array(16);
  /** Members by finish tag: (tag, flow's poolSeq, slot). */
  private readonly tags = new QuaternaryHeap(64);
  /** Members with a bound, by bound / weight. */
  private readonly memberBounds = new QuaternaryHeap(16);
  /** Fixed flows crossing the bottleneck, by -(bound / weight) (a max-heap). */
  private readonly fixedBounds = new QuaternaryHeap(16);
  /**
   * The level at which each link other than L with members and no satellite would fill:
   * (level, key, link).
   */
  private readonly ceilings = new QuaternaryHeap(64);
  private flowCount = 0;
  private readonly satelliteLinks: number[] = [];

  constructor(
    private readonly shared: PoolLinks,
    readonly bottleneck: number,
    now: number,
  ) {
    this.updatedAt = now;
  }

  /** Bytes served per unit of weight since the pool formed, at `now`. */
  virtualTimeAt(now: number): number {
    return this.virtualTime + this.level * (now - this.updatedAt);
  }

  /** Brings the virtual time to `now`, before the level changes. */
  advance(now: number): void {
    this.virtualTime = this.virtualTimeAt(now);
    this.updatedAt = now;
  }

  /** Takes a link of the component (with no flow of another pool). */
  claim(link: number): void {
    this.shared.owner[link] = this;
    this.resetLink(link);
    this.links.push(link);
  }

  /** Gives every link back; the flows must have been removed or let go first. */
  release(): void {
    for (const link of this.links) {
      this.shared.owner[link] = undefined;
      this.resetLink(link);
    }
    this.links.length = 0;
  }

  /** Counts a flow crossing the bottleneck as a member (its rate follows the level). */
  addMember(flow: Flow): void {
    const shared = this.shared;
    this.register(flow, "member");
    this.memberCount++;
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      shared.memberWeight[link] = (shared.memberWeight[link] as number) + flow.weight;
      this.refileCeiling(link);
    }
    if (flow.bound < Infinity) {
      this.memberBounds.push(flow.bound / flow.weight, flow.poolSeq, flow.slot);
    }
  }

  /** Files a member's finish tag, once it has joined the pool's virtual time. */
  fileTag(flow: Flow): void {
    this.tags.push(flow.poolStart + flow.remainingAtUpdate / flow.weight, flow.poolSeq, flow.slot);
  }

  /** Counts a flow held at its bound. */
  addFixed(flow: Flow): void {
    const shared = this.shared;
    this.register(flow, "fixed");
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      shared.fixedLoad[link] = (shared.fixedLoad[link] as number) + flow.bound;
      if (link === this.bottleneck) {
        this.fixedBounds.push(-flow.bound / flow.weight, flow.poolSeq, flow.slot);
      } else this.refileCeiling(link);
    }
  }

  /** Counts a flow that does not cross the bottleneck and is not held at its bound. */
  addSatellite(flow: Flow): void {
    const shared = this.shared;
    this.register(flow, "satellite");
    this.satellites.push(flow);
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      shared.satelliteCount[link] = (shared.satelliteCount[link] as number) + 1;
      this.refileCeiling(link);
    }
  }

  /** Stops counting a flow; its heap entries go stale. */
  remove(flow: Flow): void {
    const shared = this.shared;
    const role = flow.poolRole;
    if (role === "member") this.memberCount--;
    if (role === "satellite") {
      const satellites = this.satellites;
      const last = satellites.pop() as Flow;
      if (last !== flow) satellites[satellites.indexOf(flow)] = last;
    }
    this.flowCount--;
    flow.poolSeq = -1;
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      if (role === "member") {
        shared.memberWeight[link] = (shared.memberWeight[link] as number) - flow.weight;
      } else if (role === "fixed") {
        shared.fixedLoad[link] = (shared.fixedLoad[link] as number) - flow.bound;
      } else shared.satelliteCount[link] = (shared.satelliteCount[link] as number) - 1;
      this.refileCeiling(link);
    }
  }

  /** The level at which the bottleneck is full with the flows counted now. */
  fairLevel(): number {
    return this.fairLevelWith(0);
  }

  /** The level the bottleneck would have with members of `weight` more. */
  fairLevelWith(weight: number): number {
    const link = this.bottleneck;
    const shared = this.shared;
    return (
      ((shared.capacity[link] as number) - (shared.fixedLoad[link] as number)) /
      ((shared.memberWeight[link] as number) + weight)
    );
  }

  /**
   * Whether members at `level`, the fixed flows at their bounds and the satellites at
   * `satelliteRates` (computed here) are the max-min rates.
   */
  holds(level: number): boolean {
    if (!(this.memberCount > 0 && level > 0 && level < Infinity)) return false;
    this.compact();
    if (level > this.peekLive(this.memberBounds, Infinity)) return false;
    if (level < -this.peekLive(this.fixedBounds, Infinity)) return false;
    if (level > this.lowestCeiling()) return false;
    return this.satellites.length === 0 || this.satellitesHold(level);
  }

  /** The members whose tag the virtual time has reached at `now`, at least the first one. */
  takeDue(now: number, into: Flow[]): void {
    const due = Math.max(this.virtualTimeAt(now), this.peekLive(this.tags, Infinity));
    while (this.peekLive(this.tags, Infinity) <= due) {
      into.push(this.shared.bySlot[this.tags.peekSlot()] as Flow);
      this.tags.pop();
    }
  }

  /** The first member to finish at the current level, and when; undefined if none. */
  head(): { readonly flow: Flow; readonly time: number } | undefined {
    const tag = this.peekLive(this.tags, Infinity);
    if (tag === Infinity) return undefined;
    return {
      flow: this.shared.bySlot[this.tags.peekSlot()] as Flow,
      time: this.updatedAt + Math.max(0, tag - this.virtualTime) / this.level,
    };
  }

  private register(flow: Flow, role: PoolRole): void {
    flow.poolSeq = this.shared.key();
    flow.poolRole = role;
    this.flowCount++;
  }

  private resetLink(link: number): void {
    const shared = this.shared;
    shared.memberWeight[link] = 0;
    shared.fixedLoad[link] = 0;
    shared.satelliteCount[link] = 0;
    shared.ceilingKey[link] = -1;
  }

  /**
   * Solves the satellites' max-min on what members at `level` and the fixed flows leave of each
   * of their links, and checks that on each link where a satellite is held back no other flow
   * has a higher level than the satellites there. (Where the others leave less than nothing, the
   * satellites crossing it get 0 and the others outrank them.)
   */
  private satellitesHold(level: number): boolean {
    const shared = this.shared;
    const { capacity, memberWeight, fixedLoad, residual, held } = shared;
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
        (capacity[link] as number) -
        (fixedLoad[link] as number) -
        (memberWeight[link] as number) * level;
    }
    if (this.satelliteRates.length < satellites.length) {
      this.satelliteRates = new Float64Array(satellites.length * 2);
    }
    shared.solver.solve(residual, links, satellites, this.satelliteRates, held);
    for (const link of links) if (held[link] === 1 && this.outranked(link, level)) return false;
    return true;
  }

  /** Whether a flow other than a satellite has a higher level on `link` than a satellite there. */
  private outranked(link: number, level: number): boolean {
    let lowest = Infinity;
    const satellites = this.satellites;
    satellites.forEach((flow, i) => {
      if (!flow.route.includes(link)) return;
      lowest = Math.min(lowest, (this.satelliteRates[i] as number) / flow.weight);
    });
    for (const flow of this.shared.onLink[link] ?? []) {
      if (flow.poolSeq < 0) continue;
      if (flow.poolRole === "member" && level > lowest) return true;
      if (flow.poolRole === "fixed" && flow.bound / flow.weight > lowest) return true;
    }
    return false;
  }

  /**
   * A new entry for a link's ceiling; none when no member crosses it (only its fixed load is
   * checked) or when satellites do (`satellitesHold` checks it).
   */
  private refileCeiling(link: number): void {
    if (link === this.bottleneck) return;
    const shared = this.shared;
    const key = shared.key();
    shared.ceilingKey[link] = key;
    if ((shared.satelliteCount[link] as number) > 0) return;
    const weight = shared.memberWeight[link] as number;
    const room =
      (shared.capacity[link] as number) * (1 - ROOM_MARGIN) - (shared.fixedLoad[link] as number);
    if (weight > 0) this.ceilings.push(room / weight, key, link);
    else if (room < 0) this.ceilings.push(-Infinity, key, link);
  }

  private lowestCeiling(): number {
    const ceilings = this.ceilings;
    const shared = this.shared;
    while (ceilings.size > 0 && shared.ceilingKey[ceilings.peekSlot()] !== ceilings.peekSeq()) {
      ceilings.pop();
    }
    return ceilings.peekTime();
  }

  /** The first live key of a heap of flows (stale: the flow left the pool), or `none`. */
  private peekLive(heap: QuaternaryHeap, none: number): number {
    const bySlot = this.shared.bySlot;
    while (heap.size > 0 && bySlot[heap.peekSlot()]?.poolSeq !== heap.peekSeq()) heap.pop();
    return heap.size > 0 ? heap.peekTime() : none;
  }

  /** Drops stale entries from heaps that are mostly stale. */
  private compact(): void {
    const bySlot = this.shared.bySlot;
    const live = (slot: number, seq: number): boolean => bySlot[slot]?.poolSeq === seq;
    const limit = 2 * this.flowCount + 64;
    if (this.tags.size > limit) this.tags.filter(live);
    if (this.memberBounds.size > limit) this.memberBounds.filter(live);
    if (this.fixedBounds.size > limit) this.fixedBounds.filter(live);
    if (this.ceilings.size > 2 * this.links.length + 64) {
      this.ceilings.filter((link, key) => this.shared.ceilingKey[link] === key);
    }
  }
}
