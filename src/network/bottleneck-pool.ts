import { QuaternaryHeap } from "../sim/quaternary-heap.js";
import type { Flow } from "./flow.js";

/**
 * Below this fraction of spare capacity a link counts as full: it absorbs the rounding of loads
 * kept incrementally.
 */
export const ROOM_MARGIN = 1e-9;

/** Per-link state of the pools of one network: each link belongs to at most one pool. */
export class PoolLinks {
  readonly owner: (BottleneckPool | undefined)[];
  /** Weight of the owning pool's members crossing the link. */
  readonly memberWeight: Float64Array;
  /** Sum of the rates of the owning pool's flows held at their bound that cross the link. */
  readonly fixedLoad: Float64Array;
  /** Key of the link's live entry in its pool's heap of ceilings. */
  readonly ceilingKey: Float64Array;
  /** Source of unique heap keys, so that an entry of a reused slot never looks live. */
  private nextKey = 0;

  constructor(
    readonly capacity: Float64Array,
    /** The network's active flows by slot. */
    readonly bySlot: readonly (Flow | undefined)[],
  ) {
    const count = capacity.length;
    this.owner = new Array<BottleneckPool | undefined>(count).fill(undefined);
    this.memberWeight = new Float64Array(count);
    this.fixedLoad = new Float64Array(count);
    this.ceilingKey = new Float64Array(count).fill(-1);
  }

  key(): number {
    return this.nextKey++;
  }
}

/**
 * A component of flows with a single bottleneck link L: every flow either crosses L and gets
 * weight x level (a member), or is held at its bound (fixed), and every other link of the
 * component has room. In progressive filling the fixed flows stop first, L fills at `level` and
 * no other link fills before, so these rates are the weighted max-min allocation, and stay so as
 * long as `holds(level)`: the fixed flows crossing L have bounds at or below the level, the
 * members bounds at or above it, and every other link room at it.
 *
 * Members share L as a processor-sharing queue does: a virtual time counts the bytes served per
 * unit of weight, and a member finishes when the virtual time reaches its tag (virtual time at
 * joining + bytes / weight). A flow arriving or leaving changes the level in O(log n), not the
 * n rates of the members; the network re-solves the component only when `holds` fails.
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
  /** Members by finish tag: (tag, flow's poolSeq, slot). */
  private readonly tags = new QuaternaryHeap(64);
  /** Members with a bound, by bound / weight. */
  private readonly memberBounds = new QuaternaryHeap(16);
  /** Fixed flows crossing the bottleneck, by -(bound / weight) (a max-heap). */
  private readonly fixedBounds = new QuaternaryHeap(16);
  /** The level at which each other link with members would fill: (level, key, link). */
  private readonly ceilings = new QuaternaryHeap(64);
  private flowCount = 0;

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
    const shared = this.shared;
    shared.owner[link] = this;
    shared.memberWeight[link] = 0;
    shared.fixedLoad[link] = 0;
    shared.ceilingKey[link] = -1;
    this.links.push(link);
  }

  /** Gives every link back; the flows must have been removed or let go first. */
  release(): void {
    const shared = this.shared;
    for (const link of this.links) {
      shared.owner[link] = undefined;
      shared.memberWeight[link] = 0;
      shared.fixedLoad[link] = 0;
      shared.ceilingKey[link] = -1;
    }
    this.links.length = 0;
  }

  /** Counts a flow crossing the bottleneck as a member (its rate follows the level). */
  addMember(flow: Flow): void {
    const shared = this.shared;
    flow.poolSeq = shared.key();
    this.memberCount++;
    this.flowCount++;
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
    flow.poolSeq = shared.key();
    this.flowCount++;
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      shared.fixedLoad[link] = (shared.fixedLoad[link] as number) + flow.bound;
      if (link === this.bottleneck) {
        this.fixedBounds.push(-flow.bound / flow.weight, flow.poolSeq, flow.slot);
      } else this.refileCeiling(link);
    }
  }

  /** Stops counting a flow (member or fixed); its heap entries go stale. */
  remove(flow: Flow): void {
    const shared = this.shared;
    const member = flow.pool === this;
    if (member) this.memberCount--;
    this.flowCount--;
    flow.poolSeq = -1;
    const route = flow.route;
    for (let i = 0; i < route.length; i++) {
      const link = route[i] as number;
      if (member) shared.memberWeight[link] = (shared.memberWeight[link] as number) - flow.weight;
      else shared.fixedLoad[link] = (shared.fixedLoad[link] as number) - flow.bound;
      this.refileCeiling(link);
    }
  }

  /** The level at which the bottleneck is full with the flows counted now. */
  fairLevel(): number {
    const link = this.bottleneck;
    const shared = this.shared;
    return (
      ((shared.capacity[link] as number) - (shared.fixedLoad[link] as number)) /
      (shared.memberWeight[link] as number)
    );
  }

  /** The level the bottleneck would have with one more member of `weight`. */
  fairLevelWith(weight: number): number {
    const link = this.bottleneck;
    const shared = this.shared;
    return (
      ((shared.capacity[link] as number) - (shared.fixedLoad[link] as number)) /
      ((shared.memberWeight[link] as number) + weight)
    );
  }

  /** Whether members at `level` and the fixed flows at their bounds are the max-min rates. */
  holds(level: number): boolean {
    if (!(this.memberCount > 0 && level > 0 && level < Infinity)) return false;
    this.compact();
    if (level > this.peekLive(this.memberBounds, Infinity)) return false;
    if (level < -this.peekLive(this.fixedBounds, Infinity)) return false;
    return level <= this.lowestCeiling();
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

  /** A new entry for a link's ceiling (Infinity when no member crosses it: nothing to file). */
  private refileCeiling(link: number): void {
    if (link === this.bottleneck) return;
    const shared = this.shared;
    const key = shared.key();
    shared.ceilingKey[link] = key;
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
