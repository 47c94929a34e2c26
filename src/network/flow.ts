import type { BottleneckGroup } from "./bottleneck-group.js";
import type { PoolRole } from "./bottleneck-pool.js";

/** Where a flow is in its life. */
export type FlowState = "latency" | "active" | "completed" | "failed" | "cancelled";

export interface FlowOptions {
  /** Upper bound on the flow's rate, bytes/s (a migration speed, a TCP window...). */
  readonly bound?: number;
  /** Free text carried into signals and traces. */
  readonly label?: string;
  /** Called once the last byte has arrived. */
  readonly onComplete?: (flow: Flow) => void;
  /** Called if a link of the route goes down before that. */
  readonly onFail?: (flow: Flow, reason: string) => void;
}

/**
 * A transfer of `size` bytes along a route of links. It uses no bandwidth until the route latency
 * has elapsed, then shares its links with the other active flows. Its fields are read-only for
 * everyone but the network.
 *
 * The bytes left are kept lazily, exact at `updatedAt`. A flow has a rate of its own, or, while
 * it is a member of a pool's group (see BottleneckPool), the group's level: then its bytes left
 * follow the group's virtual time (bytes served per unit of weight) instead of its own clock, so
 * that a change of the level costs nothing per flow.
 */
export class Flow {
  state: FlowState = "latency";
  /** Time the last byte arrived (or the flow failed); NaN before. */
  endTime = Number.NaN;
  failure: string | undefined = undefined;
  /** Bytes left at `updatedAt` (or, in a group, when its virtual time was `poolStart`). */
  remainingAtUpdate: number;
  updatedAt: number;
  /** The rate when not following a group's level, bytes/s. */
  ownRate = 0;
  /** The group whose level this flow's rate follows, if any. */
  group: BottleneckGroup | undefined = undefined;
  /** The group's virtual time when this flow joined it. */
  poolStart = 0;
  /** Key of this flow's entries in its pool's heaps (-1: in no pool). */
  poolSeq = -1;
  /** How the flow's pool counts it, while `poolSeq` >= 0, and for a member, its group's index. */
  poolRole: PoolRole = "fixed";
  poolGroup = -1;
  /** For each link of the route, this flow's index in that link's list of active flows. */
  readonly positions: Int32Array;
  /** Index in the network's list of active (or waiting) flows. */
  listIndex = -1;
  /** The network's key for this flow's current finish time (-1: none filed). */
  ticket = -1;
  /** Where the network keeps this flow while it is active (-1: elsewhere). */
  slot = -1;
  /** Marks the last component search that reached this flow. */
  visit = 0;

  constructor(
    readonly id: number,
    readonly route: Int32Array,
    readonly size: number,
    readonly startTime: number,
    readonly latency: number,
    readonly weight: number,
    readonly bound: number,
    readonly options: FlowOptions,
  ) {
    this.remainingAtUpdate = size;
    this.updatedAt = startTime;
    this.positions = new Int32Array(route.length).fill(-1);
  }

  /** Current rate, bytes/s (0 while it does not move). */
  get rate(): number {
    return this.group === undefined ? this.ownRate : this.weight * this.group.level;
  }

  /** Bytes left at time `now`, at the current rate. */
  remainingAt(now: number): number {
    const group = this.group;
    if (group === undefined) {
      return Math.max(0, this.remainingAtUpdate - this.ownRate * (now - this.updatedAt));
    }
    return Math.max(
      0,
      this.remainingAtUpdate - this.weight * (group.virtualTimeAt(now) - this.poolStart),
    );
  }

  /** When the flow would finish at its own rate; Infinity if it does not move. */
  finishTime(): number {
    return this.ownRate > 0 ? this.updatedAt + this.remainingAtUpdate / this.ownRate : Infinity;
  }

  /** Brings the bytes left up to `now`, before the rate changes (for a flow in no group). */
  settle(now: number): void {
    this.remainingAtUpdate = this.remainingAt(now);
    this.updatedAt = now;
  }

  /** Joins `group` at `now`: from then on, the bytes left follow the group's virtual time. */
  joinGroup(group: BottleneckGroup, now: number): void {
    this.settle(now);
    this.group = group;
    this.poolStart = group.virtualTimeAt(now);
  }

  /** Leaves its group at `now`, keeping the group's rate as its own until told otherwise. */
  leaveGroup(now: number): void {
    const rate = this.rate;
    this.remainingAtUpdate = this.remainingAt(now);
    this.updatedAt = now;
    this.ownRate = rate;
    this.group = undefined;
  }
}
