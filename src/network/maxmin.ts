import { QuaternaryHeap } from "../sim/quaternary-heap.js";
import type { SharedFlow, SharingProblem } from "./sharing-problem.js";

/**
 * Weighted max-min fair rates by progressive filling, in O((links + flows) log links + sum of
 * route lengths): the links wait in a heap keyed by the level at which they saturate (remaining
 * capacity / unfrozen weight), re-keyed lazily when a flow crossing them is frozen; bounded flows
 * wait in a second heap keyed by bound / weight. Same algorithm and tie-breaks as
 * `solveMaxMinReference`, which tests compare it with.
 *
 * A solver owns scratch arrays sized to the network's links and reuses them: solving the flows of
 * a small part of a large network touches only that part, and allocates nothing per call.
 */
export class MaxMinSolver {
  private readonly remaining: Float64Array;
  private readonly weights: Float64Array;
  private readonly unfrozenOnLink: Int32Array;
  private readonly version: Int32Array;
  private readonly start: Int32Array;
  private readonly fill: Int32Array;
  private readonly touchedAt: Int32Array;
  private members = new Int32Array(1024);
  private frozen = new Uint8Array(1024);
  private readonly linkHeap = new QuaternaryHeap(64);
  private readonly boundHeap = new QuaternaryHeap(16);
  private readonly touched: number[] = [];
  private step = 0;

  constructor(linkCount: number) {
    this.remaining = new Float64Array(linkCount);
    this.weights = new Float64Array(linkCount);
    this.unfrozenOnLink = new Int32Array(linkCount);
    this.version = new Int32Array(linkCount);
    this.start = new Int32Array(linkCount);
    this.fill = new Int32Array(linkCount);
    this.touchedAt = new Int32Array(linkCount).fill(-1);
  }

  /**
   * Writes into `rates[i]` the rate of `flows[i]`. `links` must list every link that a flow
   * crosses (each once); `capacity` is indexed by link. If given, `bottleneck[l]` is set to 1 for
   * each link `l` where some flow stopped growing because the link was full (it is left as is for
   * the other links), and `heldAt[i]` to the link where `flows[i]` stopped (-1: at its bound).
   */
  solve(
    capacity: ArrayLike<number>,
    links: readonly number[],
    flows: readonly SharedFlow[],
    rates: Float64Array,
    bottleneck?: Uint8Array,
    heldAt?: Int32Array,
  ): void {
    const { remaining, weights, unfrozenOnLink, version, start, fill } = this;
    for (const link of links) {
      remaining[link] = capacity[link] as number;
      weights[link] = 0;
      unfrozenOnLink[link] = 0;
      version[link] = 0;
    }
    let memberCount = 0;
    for (const flow of flows) {
      const route = flow.route;
      memberCount += route.length;
      for (let i = 0; i < route.length; i++) {
        const link = route[i] as number;
        weights[link] = (weights[link] as number) + flow.weight;
        unfrozenOnLink[link] = (unfrozenOnLink[link] as number) + 1;
      }
    }
    // The flows of each link, as compressed rows: members[start[l] .. start[l] + count).
    if (this.members.length < memberCount) this.members = new Int32Array(memberCount * 2);
    if (this.frozen.length < flows.length) this.frozen = new Uint8Array(flows.length * 2);
    const members = this.members;
    const frozen = this.frozen;
    let offset = 0;
    for (const link of links) {
      start[link] = offset;
      fill[link] = offset;
      offset += unfrozenOnLink[link] as number;
    }
    flows.forEach((flow, f) => {
      frozen[f] = 0;
      const route = flow.route;
      for (let i = 0; i < route.length; i++) {
        const link = route[i] as number;
        members[fill[link] as number] = f;
        fill[link] = (fill[link] as number) + 1;
      }
    });

    const levelOf = (link: number): number =>
      Math.max(0, remaining[link] as number) / (weights[link] as number);
    const linkHeap = this.linkHeap;
    const boundHeap = this.boundHeap;
    linkHeap.clear();
    boundHeap.clear();
    for (const link of links) {
      if ((unfrozenOnLink[link] as number) > 0) linkHeap.push(levelOf(link), link, 0);
    }
    // A bound below every link's level is reached first, and freezing at it only raises those
    // levels: such flows freeze straight away, without going through the heap.
    const lowestLinkLevel = linkHeap.peekTime();
    const atBound: number[] = [];
    flows.forEach((flow, f) => {
      if (flow.bound === Infinity && flow.route.length > 0) return;
      const level = flow.bound / flow.weight;
      if (level < lowestLinkLevel) atBound.push(f);
      else boundHeap.push(level, f, 0);
    });

    const touched = this.touched;
    const touchedAt = this.touchedAt;
    const freeze = (f: number, rate: number): void => {
      const flow = flows[f] as SharedFlow;
      rates[f] = rate;
      frozen[f] = 1;
      const route = flow.route;
      for (let i = 0; i < route.length; i++) {
        const link = route[i] as number;
        remaining[link] = (remaining[link] as number) - rate;
        weights[link] = (weights[link] as number) - flow.weight;
        unfrozenOnLink[link] = (unfrozenOnLink[link] as number) - 1;
        if (touchedAt[link] !== this.step) {
          touchedAt[link] = this.step;
          touched.push(link);
        }
      }
    };

    /** New heap entries for the links whose level changed in this step; old ones go stale. */
    const rekeyTouched = (): void => {
      for (const link of touched) {
        if ((unfrozenOnLink[link] as number) === 0) continue;
        version[link] = (version[link] as number) + 1;
        linkHeap.push(levelOf(link), link, version[link]);
      }
      touched.length = 0;
      this.step++;
    };

    let unfrozen = flows.length;
    for (const f of atBound) {
      freeze(f, (flows[f] as SharedFlow).bound);
      if (heldAt !== undefined) heldAt[f] = -1;
      unfrozen--;
    }
    rekeyTouched();
    while (unfrozen > 0) {
      // Drop stale entries: links re-keyed since, or with no unfrozen flow left.
      while (linkHeap.size > 0) {
        const link = linkHeap.peekSeq();
        if (linkHeap.peekSlot() === version[link] && (unfrozenOnLink[link] as number) > 0) break;
        linkHeap.pop();
      }
      while (boundHeap.size > 0 && frozen[boundHeap.peekSeq()] === 1) boundHeap.pop();
      const linkLevel = linkHeap.peekTime();
      if (boundHeap.size > 0 && (boundHeap.peekTime() < linkLevel || linkHeap.size === 0)) {
        // Freezing a flow at its bound below a link's level only raises that level, so every
        // flow whose bound is below the lowest link level freezes now, in one batch.
        while (boundHeap.size > 0 && (boundHeap.peekTime() < linkLevel || linkHeap.size === 0)) {
          const f = boundHeap.peekSeq();
          boundHeap.pop();
          if (frozen[f] === 1) continue;
          freeze(f, (flows[f] as SharedFlow).bound);
          if (heldAt !== undefined) heldAt[f] = -1;
          unfrozen--;
        }
      } else {
        const link = linkHeap.peekSeq();
        linkHeap.pop();
        if (bottleneck !== undefined) bottleneck[link] = 1;
        const end = fill[link] as number; // start + number of flows on the link
        for (let i = start[link] as number; i < end; i++) {
          const f = members[i] as number;
          if (frozen[f] === 1) continue;
          freeze(f, (flows[f] as SharedFlow).weight * linkLevel);
          if (heldAt !== undefined) heldAt[f] = link;
          unfrozen--;
        }
      }
      rekeyTouched();
    }
  }
}

/** Solves a whole problem at once (allocates a solver: for tests and one-off uses). */
export function solveMaxMin(problem: SharingProblem): Float64Array {
  const linkCount = problem.capacity.length;
  const rates = new Float64Array(problem.flows.length);
  const links = Array.from({ length: linkCount }, (_, link) => link);
  new MaxMinSolver(linkCount).solve(problem.capacity, links, problem.flows, rates);
  return rates;
}
