import { QuaternaryHeap } from "../sim/quaternary-heap.js";
import type { SharingProblem } from "./sharing-problem.js";

/**
 * Weighted max-min fair rates by progressive filling, in O((links + flows) log links + sum of
 * route lengths): the links wait in a heap keyed by the level at which they saturate (remaining
 * capacity / unfrozen weight), re-keyed lazily when a flow crossing them is frozen; bounded flows
 * wait in a second heap keyed by bound / weight. Same algorithm and tie-breaks as
 * `solveMaxMinReference`, which tests compare it with.
 */
export function solveMaxMin(problem: SharingProblem): Float64Array {
  const { capacity, flows } = problem;
  const linkCount = capacity.length;
  const rates = new Float64Array(flows.length);

  // Per link: remaining capacity, total weight and number of its flows not frozen yet.
  const remaining = Float64Array.from(capacity);
  const weights = new Float64Array(linkCount);
  const unfrozenOnLink = new Int32Array(linkCount);
  for (const flow of flows) {
    for (let i = 0; i < flow.links.length; i++) {
      const link = flow.links[i] as number;
      weights[link] = (weights[link] as number) + flow.weight;
      unfrozenOnLink[link] = (unfrozenOnLink[link] as number) + 1;
    }
  }
  // The flows of each link, as compressed rows: members[start[l] .. start[l + 1]).
  const start = new Int32Array(linkCount + 1);
  for (let l = 0; l < linkCount; l++)
    start[l + 1] = (start[l] as number) + (unfrozenOnLink[l] as number);
  const fill = start.slice(0, linkCount);
  const members = new Int32Array(start[linkCount] as number);
  flows.forEach((flow, f) => {
    for (let i = 0; i < flow.links.length; i++) {
      const link = flow.links[i] as number;
      members[fill[link] as number] = f;
      fill[link] = (fill[link] as number) + 1;
    }
  });

  const version = new Int32Array(linkCount);
  const levelOf = (link: number): number =>
    Math.max(0, remaining[link] as number) / (weights[link] as number);
  const linkHeap = new QuaternaryHeap(Math.max(4, linkCount));
  for (let link = 0; link < linkCount; link++) {
    if ((unfrozenOnLink[link] as number) > 0) linkHeap.push(levelOf(link), link, 0);
  }
  const boundHeap = new QuaternaryHeap(16);
  flows.forEach((flow, f) => {
    if (flow.bound < Infinity || flow.links.length === 0) {
      boundHeap.push(flow.bound / flow.weight, f, 0);
    }
  });

  const frozen = new Uint8Array(flows.length);
  const touched: number[] = [];
  const touchedAt = new Int32Array(linkCount).fill(-1);
  let step = 0;
  const freeze = (f: number, rate: number): void => {
    const flow = flows[f];
    if (flow === undefined) return;
    rates[f] = rate;
    frozen[f] = 1;
    for (let i = 0; i < flow.links.length; i++) {
      const link = flow.links[i] as number;
      remaining[link] = (remaining[link] as number) - rate;
      weights[link] = (weights[link] as number) - flow.weight;
      unfrozenOnLink[link] = (unfrozenOnLink[link] as number) - 1;
      if (touchedAt[link] !== step) {
        touchedAt[link] = step;
        touched.push(link);
      }
    }
  };

  let unfrozen = flows.length;
  for (; unfrozen > 0; step++) {
    // Drop stale entries: links re-keyed since, or with no unfrozen flow left.
    while (linkHeap.size > 0) {
      const link = linkHeap.peekSeq();
      if (linkHeap.peekSlot() === version[link] && (unfrozenOnLink[link] as number) > 0) break;
      linkHeap.pop();
    }
    while (boundHeap.size > 0 && frozen[boundHeap.peekSeq()] === 1) boundHeap.pop();
    const linkLevel = linkHeap.peekTime();
    if (boundHeap.size > 0 && (boundHeap.peekTime() < linkLevel || linkHeap.size === 0)) {
      const f = boundHeap.peekSeq();
      boundHeap.pop();
      freeze(f, (flows[f] as { bound: number }).bound);
      unfrozen--;
    } else {
      const link = linkHeap.peekSeq();
      linkHeap.pop();
      for (let i = start[link] as number; i < (start[link + 1] as number); i++) {
        const f = members[i] as number;
        if (frozen[f] === 1) continue;
        freeze(f, (flows[f] as { weight: number }).weight * linkLevel);
        unfrozen--;
      }
    }
    for (const link of touched) {
      if ((unfrozenOnLink[link] as number) === 0) continue;
      version[link] = (version[link] as number) + 1;
      linkHeap.push(levelOf(link), link, version[link]);
    }
    touched.length = 0;
  }
  return rates;
}
