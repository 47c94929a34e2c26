import { QuaternaryHeap } from "../sim/quaternary-heap.js";
import type { PoolLinks } from "./pool-links.js";
import type { Flow } from "./flow.js";

/**
 * One full link L of a pool and its members, the flows that cross it and get weight x level:
 * they share L as a processor-sharing queue does. A virtual time counts the bytes served per unit
 * of weight, and a member finishes when the virtual time reaches its tag (virtual time at joining
 * + bytes / weight), so a change of the level costs nothing per member. The group also keeps what
 * tells whether a level is still max-min for its own flows (see `holds`).
 */
export class BottleneckGroup {
  /** Rate per unit of weight of the members, bytes/s. */
  level = 0;
  /** The level being checked by the pool (see BottleneckPool.holds). */
  proposed = 0;
  memberCount = 0;
  /** Whether the pool has ended the group (see BottleneckPool.retire); it then has no member. */
  retired = false;
  /** Whether members joined or left since the first member's finish time was filed. */
  touched = false;
  /** The member whose finish time the network has filed for the group, if any. */
  filedHead: Flow | undefined = undefined;
  /**
   * Whether members, fixed flows on L or ceilings changed since `holds` last found
   * `checkedLevel` max-min; if not, the same level still is (the pool checks every group at every
   * change, most of them unchanged).
   */
  private changed = true;
  private checkedLevel = Number.NaN;
  private virtualTime = 0;
  private updatedAt: number;
  /** Members by finish tag: (tag, flow's poolSeq, slot). */
  private readonly tags = new QuaternaryHeap(64);
  /** Members with a bound, by bound / weight. */
  private readonly memberBounds = new QuaternaryHeap(16);
  /** Fixed flows crossing L, by -(bound / weight) (a max-heap). */
  private readonly fixedBounds = new QuaternaryHeap(16);
  /**
   * The level at which each link crossed by this group's members only (and by no satellite)
   * would fill: (level, key, link).
   */
  private readonly ceilings = new QuaternaryHeap(64);

  constructor(
    private readonly shared: PoolLinks,
    /** Index of the group in its pool. */
    readonly index: number,
    readonly link: number,
    now: number,
  ) {
    this.updatedAt = now;
  }

  /** Bytes served per unit of weight since the group formed, at `now`. */
  virtualTimeAt(now: number): number {
    return this.virtualTime + this.level * (now - this.updatedAt);
  }

  /** Brings the virtual time to `now`, before the level changes. */
  advance(now: number): void {
    this.virtualTime = this.virtualTimeAt(now);
    this.updatedAt = now;
  }

  /**
   * The level at which L is full with the flows counted now, given the load of other groups'
   * members crossing it and their weight (`foreignLoad`, `foreignWeight`), with members of
   * `weight` more.
   */
  fairLevel(foreignLoad: number, foreignWeight: number, weight = 0): number {
    const { capacity, fixedLoad, memberWeight } = this.shared;
    const link = this.link;
    return (
      ((capacity[link] as number) - (fixedLoad[link] as number) - foreignLoad) /
      ((memberWeight[link] as number) - foreignWeight + weight)
    );
  }

  addMember(flow: Flow): void {
    this.memberCount++;
    this.touched = true;
    this.changed = true;
    if (flow.bound < Infinity) {
      this.memberBounds.push(flow.bound / flow.weight, flow.poolSeq, flow.slot);
    }
  }

  removeMember(): void {
    this.memberCount--;
    this.touched = true;
    this.changed = true;
  }

  /** Files a member's finish tag, once it has joined the group's virtual time. */
  fileTag(flow: Flow): void {
    this.tags.push(flow.poolStart + flow.remainingAtUpdate / flow.weight, flow.poolSeq, flow.slot);
  }

  /** Counts a fixed flow crossing L: its bound must stay at or below the level. */
  addFixed(flow: Flow): void {
    this.changed = true;
    this.fixedBounds.push(-flow.bound / flow.weight, flow.poolSeq, flow.slot);
  }

  /** Files a link's ceiling: the level at which it fills, for links of this group only. */
  fileCeiling(ceiling: number, key: number, link: number): void {
    this.changed = true;
    this.ceilings.push(ceiling, key, link);
  }

  /**
   * Whether `proposed` keeps the group's own flows max-min: members, their bounds at or above it;
   * fixed flows crossing L, their bounds at or below it; links of this group only, room at it.
   */
  holds(flowCount: number): boolean {
    const level = this.proposed;
    if (!this.changed && level === this.checkedLevel) return true;
    if (!(this.memberCount > 0 && level > 0 && level < Infinity)) return false;
    this.compact(flowCount);
    if (level > this.peekLive(this.memberBounds)) return false;
    if (level < -this.peekLive(this.fixedBounds)) return false;
    if (level > this.lowestCeiling()) return false;
    this.changed = false;
    this.checkedLevel = level;
    return true;
  }

  /** The members whose tag the virtual time has reached at `now`, at least the first one. */
  takeDue(now: number, into: Flow[]): void {
    const due = Math.max(this.virtualTimeAt(now), this.peekLive(this.tags));
    while (this.peekLive(this.tags) <= due) {
      into.push(this.shared.bySlot[this.tags.peekSlot()] as Flow);
      this.tags.pop();
    }
  }

  /** The first member to finish at the current level, and when; undefined if none. */
  head(): { readonly flow: Flow; readonly time: number } | undefined {
    const tag = this.peekLive(this.tags);
    if (tag === Infinity) return undefined;
    return {
      flow: this.shared.bySlot[this.tags.peekSlot()] as Flow,
      time: this.updatedAt + Math.max(0, tag - this.virtualTime) / this.level,
    };
  }

  private lowestCeiling(): number {
    const ceilings = this.ceilings;
    const keys = this.shared.ceilingKey;
    while (ceilings.size > 0 && keys[ceilings.peekSlot()] !== ceilings.peekSeq()) ceilings.pop();
    return ceilings.peekTime();
  }

  /** The first live key of a heap of flows (stale: the flow left the pool), or Infinity. */
  private peekLive(heap: QuaternaryHeap): number {
    const bySlot = this.shared.bySlot;
    while (heap.size > 0 && bySlot[heap.peekSlot()]?.poolSeq !== heap.peekSeq()) heap.pop();
    return heap.size > 0 ? heap.peekTime() : Infinity;
  }

  /** Drops stale entries from heaps that are mostly stale. */
  private compact(flowCount: number): void {
    const bySlot = this.shared.bySlot;
    const live = (slot: number, seq: number): boolean => bySlot[slot]?.poolSeq === seq;
    const limit = 2 * flowCount + 64;
    if (this.tags.size > limit) this.tags.filter(live);
    if (this.memberBounds.size > limit) this.memberBounds.filter(live);
    if (this.fixedBounds.size > limit) this.fixedBounds.filter(live);
    if (this.ceilings.size > limit) {
      const keys = this.shared.ceilingKey;
      this.ceilings.filter((link, key) => keys[link] === key);
    }
  }
}
