import { searchPacking } from "./bin-completion.js";
import { emptyHosts } from "./bin-emptying.js";
import { repackSubsets } from "./subset-repacking.js";
import { packFirstFitDecreasing } from "./first-fit-decreasing.js";
import { packingLowerBound } from "./lower-bounds.js";
import { NodeBudget } from "./node-budget.js";
import type { ItemType, Packing, PackingProblem } from "./packing-problem.js";

export interface PackingResult {
  /** The packing with the fewest active hosts found; undefined when none was found. */
  readonly packing: Packing | undefined;
  /** No packing has fewer active hosts (raised when a search proves a target infeasible). */
  readonly lowerBound: number;
  /** Active hosts of first-fit decreasing; Infinity when it could not place every VM. */
  readonly upperBound: number;
  /** The packing meets the lower bound (found at a target every smaller one of which failed). */
  readonly provenOptimal: boolean;
  readonly nodes: number;
}

/**
 * Minimises the active hosts of a packing problem, within `nodeBudget` nodes.
 *
 * First-fit decreasing gives an upper bound, `packingLowerBound` a lower one. Then, until the best
 * packing meets the lower bound:
 * - rising: bin completion with target = lower bound, then + 1 each time the search proves the
 *   target infeasible (which raises the lower bound). The first target found is optimal.
 * - emptying: the local search of `emptyHosts` with half of its budget, then the large
 *   neighbourhood search of `repackSubsets` with the rest, from the best packing down to the
 *   lower bound.
 * Rising goes first, with 3/4 of the budget, when hosts must be filled exactly at the lower bound
 * (Falkenauer's triplets); emptying first, with half, otherwise (uniform items, VMs). The second
 * of the two gets up to 7/8 of the budget, minus what the first used.
 * - falling, with the rest: bin completion with target = best - 1, then below each packing found,
 *   until a target is proven infeasible (then the best is optimal) or the budget is spent.
 */
export function packVms(problem: PackingProblem, nodeBudget: number): PackingResult {
  const ffd = packFirstFitDecreasing(problem);
  let best = ffd.packing;
  const upperBound = best?.activeHosts ?? Infinity;
  let lowerBound = packingLowerBound(problem);
  const hostCount = problem.configuration.hosts.length;
  const pinnedOverload = problem.forced.some(
    (f) => f.pinnedCpu > f.capacityCpu || f.pinnedMemory > f.capacityMemory,
  );
  if (pinnedOverload || lowerBound > hostCount) {
    return { packing: undefined, lowerBound, upperBound, provenOptimal: false, nodes: 0 };
  }
  const optimal = (): boolean => best !== undefined && best.activeHosts <= lowerBound;

  // Exact fills (triplets): the tree search with fail first is the tool; otherwise the local
  // search finds the packing at the bound far sooner, and the tree search comes second.
  const treeFirst = mustFillExactly(problem, lowerBound);
  const first = new NodeBudget(Math.floor((treeFirst ? 3 * nodeBudget : 2 * nodeBudget) / 4));
  const second = new NodeBudget(0);
  const rise = (budget: NodeBudget): void => {
    for (let target = lowerBound; !optimal() && target <= hostCount; target++) {
      if (best !== undefined && target >= best.activeHosts) break;
      const outcome = searchPacking(problem, target, budget);
      if (outcome.kind === "found") best = outcome.packing;
      else if (outcome.kind === "infeasible") lowerBound = target + 1;
      if (outcome.kind !== "infeasible") break;
    }
  };
  const empty = (budget: NodeBudget): void => {
    if (best === undefined || optimal()) return;
    const walk = new NodeBudget(Math.floor((budget.limit - budget.nodes) / 2));
    best = emptyHosts(problem, best, lowerBound, walk);
    budget.spend(walk.nodes);
    if (!optimal()) best = repackSubsets(problem, best, lowerBound, budget);
  };
  if (treeFirst) rise(first);
  else empty(first);
  second.limit = Math.floor((7 * nodeBudget) / 8) - first.nodes;
  if (treeFirst) empty(second);
  else rise(second);

  const falling = new NodeBudget(nodeBudget - first.nodes - second.nodes);
  while (best !== undefined && !optimal()) {
    const outcome = searchPacking(problem, best.activeHosts - 1, falling);
    if (outcome.kind === "found") best = outcome.packing;
    else if (outcome.kind === "infeasible") lowerBound = best.activeHosts;
    else break;
  }
  return {
    packing: best,
    lowerBound,
    upperBound,
    provenOptimal: optimal(),
    nodes: first.nodes + second.nodes + falling.nodes,
  };
}

/**
 * Whether, on identical hosts and at the lower bound, the room beyond the demand is less than the
 * smallest VM in some resource: then every host must be filled exactly, or nearly.
 */
function mustFillExactly(problem: PackingProblem, lowerBound: number): boolean {
  const { classes, forced, types } = problem;
  const only = classes[0];
  if (classes.length !== 1 || forced.length > 0 || only === undefined || types.length === 0) {
    return false;
  }
  const tight = (demand: (t: ItemType) => number, capacity: number): boolean => {
    const total = types.reduce((sum, t) => sum + demand(t) * t.vms.length, 0);
    const smallest = types.reduce((min, t) => Math.min(min, demand(t)), Infinity);
    return smallest > 0 && lowerBound * capacity - total < smallest;
  };
  return tight((t) => t.cpu, only.cpu) || tight((t) => t.memory, only.memory);
}
