import { withSlack } from "../capacity.js";
import type { NodeBudget } from "./node-budget.js";
import type { Packing, PackingProblem, TypeCount } from "./packing-problem.js";

/**
 * Fleszar and Hindi's MBS' (2002, "New heuristics for one-dimensional bin-packing"): hosts are
 * filled one at a time, each with the largest VM left plus the set of the others that leaves the
 * least slack (room unused), found by a depth-first search over the VMs left, largest first, that
 * stops at a host with no slack. First-fit decreasing looks at one VM at a time, and on uniform
 * sizes leaves a little waste on many hosts; MBS' fills most hosts exactly, which moves the waste
 * to the last ones, from which emptying removes a host far more often.
 *
 * Only on one-dimensional problems: identical hosts, no pinned VM (hosts are then interchangeable,
 * so filling them in any order is valid) and every VM demanding one resource only (slack has no
 * single meaning in two; on the 2-D benchmark, where a host's search seldom ends early, it used up
 * its phase's budget and changed nothing). Each item type tried is a node;
 * a host's search stops after `nodesPerHost`, with the best set found. Undefined when it does not
 * apply or the budget runs out.
 */
export function packMinimumBinSlack(
  problem: PackingProblem,
  budget: NodeBudget,
  nodesPerHost: number,
): Packing | undefined {
  const { classes, forced, types } = problem;
  const hostClass = classes[0];
  if (classes.length !== 1 || forced.length > 0 || hostClass === undefined) return undefined;
  const resource = types.every((t) => t.cpu === 0)
    ? "memory"
    : types.every((t) => t.memory === 0)
      ? "cpu"
      : undefined;
  if (resource === undefined) return undefined;
  const capacity = hostClass[resource];
  const room = withSlack(capacity);
  const demand = types.map((t) => t[resource]);
  const left = types.map((t) => t.vms.length);
  let total = types.reduce((sum, t) => sum + t[resource] * t.vms.length, 0);
  // Sums of non-integer demands drift: a load this close to the best is not better.
  const epsilon = capacity * 1e-12;
  // Set inside the search, read after it: an object, since type narrowing ignores closures.
  const cut = { outOfBudget: false };
  const bins: { slot: { kind: "class"; index: number }; contents: TypeCount[] }[] = [];
  for (let first = 0; first < types.length;) {
    const seed = demand[first] ?? 0;
    if ((left[first] ?? 0) === 0) {
      first++;
      continue;
    }
    if (seed > room || bins.length >= hostClass.hosts.length) return undefined;
    left[first] = (left[first] ?? 0) - 1;
    // No set fills the host beyond what is left: reaching it ends the search.
    const reachable = Math.min(capacity, total);
    const chosen = [first];
    let best = { load: seed, set: [first] };
    let nodes = 0;
    const search = (from: number, load: number): boolean => {
      for (let t = from; t < types.length; t++) {
        const size = demand[t] ?? 0;
        if ((left[t] ?? 0) === 0) continue;
        if (nodes++ >= nodesPerHost) return true;
        if (!budget.spend()) {
          cut.outOfBudget = true;
          return true;
        }
        if (load + size > room) continue;
        left[t] = (left[t] ?? 0) - 1;
        chosen.push(t);
        if (load + size > best.load + epsilon) best = { load: load + size, set: [...chosen] };
        // Types are by decreasing demand: from t on, each set is listed once.
        const stop = best.load >= reachable - epsilon || search(t, load + size);
        chosen.pop();
        left[t] = (left[t] ?? 0) + 1;
        if (stop) return true;
      }
      return false;
    };
    if (best.load < reachable - epsilon) search(first, seed);
    if (cut.outOfBudget) return undefined;
    left[first] = (left[first] ?? 0) + 1;
    const contents: TypeCount[] = [];
    for (const t of best.set) {
      left[t] = (left[t] ?? 0) - 1;
      total -= demand[t] ?? 0;
      const last = contents.at(-1);
      if (last?.type === t) contents[contents.length - 1] = { type: t, count: last.count + 1 };
      else contents.push({ type: t, count: 1 });
    }
    bins.push({ slot: { kind: "class", index: 0 }, contents });
  }
  return { bins, activeHosts: bins.length };
}
