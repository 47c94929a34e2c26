import type { BottleneckPool } from "./bottleneck-pool.js";
import type { Flow } from "./flow.js";
import { MaxMinSolver } from "./maxmin.js";

/** `memberGroup` of a link crossed by the members of more than one group. */
export const MIXED = -2;

/** Per-link state of the pools of one network: each link belongs to at most one pool. */
export class PoolLinks {
  readonly owner: (BottleneckPool | undefined)[];
  /** Index in its pool of the group whose full link this is; -1 if none. */
  readonly bottleneckOf: Int32Array;
  /** Members crossing the link, their total weight, and the group they are of (or MIXED). */
  readonly memberCount: Int32Array;
  readonly memberWeight: Float64Array;
  readonly memberGroup: Int32Array;
  /** For a MIXED link, the weight of each group's members crossing it, by group index. */
  readonly mixedWeight: (Float64Array | undefined)[];
  /** Sum of the rates of the owning pool's flows held at their bound that cross the link. */
  readonly fixedLoad: Float64Array;
  /** Satellites of the owning pool crossing the link. */
  readonly satelliteCount: Int32Array;
  /** 1 where no member nor satellite crosses the link and its fixed flows leave no room. */
  readonly overfull: Uint8Array;
  /** Key of the link's live entry in a heap of ceilings (see BottleneckGroup). */
  readonly ceilingKey: Float64Array;
  /**
   * Scratch for the satellites' problem: capacity left to them, where they are held back, and the
   * lowest satellite level on each of their links.
   */
  readonly residual: Float64Array;
  readonly held: Uint8Array;
  readonly satelliteLevel: Float64Array;
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
    this.bottleneckOf = new Int32Array(count).fill(-1);
    this.memberCount = new Int32Array(count);
    this.memberWeight = new Float64Array(count);
    this.memberGroup = new Int32Array(count).fill(-1);
    this.mixedWeight = new Array<Float64Array | undefined>(count).fill(undefined);
    this.fixedLoad = new Float64Array(count);
    this.satelliteCount = new Int32Array(count);
    this.overfull = new Uint8Array(count);
    this.ceilingKey = new Float64Array(count).fill(-1);
    this.residual = new Float64Array(count);
    this.held = new Uint8Array(count);
    this.satelliteLevel = new Float64Array(count);
    this.solver = new MaxMinSolver(count);
  }

  key(): number {
    return this.nextKey++;
  }

  /** Forgets what a pool counted on a link. */
  reset(link: number): void {
    this.bottleneckOf[link] = -1;
    this.memberCount[link] = 0;
    this.memberWeight[link] = 0;
    this.memberGroup[link] = -1;
    this.mixedWeight[link] = undefined;
    this.fixedLoad[link] = 0;
    this.satelliteCount[link] = 0;
    this.overfull[link] = 0;
    this.ceilingKey[link] = -1;
  }
}
