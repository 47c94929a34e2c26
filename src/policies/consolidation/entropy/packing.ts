import { within } from "../capacity.js";
import { type SearchOutcome, searchPacking } from "./bin-completion.js";
import { emptyHosts } from "./bin-emptying.js";
import { exactFillResource, searchExactFill } from "./exact-fill.js";
import { repackSubsets } from "./subset-repacking.js";
import { packFirstFitDecreasing } from "./first-fit-decreasing.js";
import { packingLowerBound } from "./lower-bounds.js";
import { packMinimumBinSlack } from "./minimum-bin-slack.js";
import { searchPaddedExactFill } from "./padded-exact-fill.js";
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
 * First-fit decreasing gives an upper bound, `packingLowerBound` a lower one; on one-dimensional
 * problems (identical hosts, no pinned VM, one resource demanded), MBS' (`packMinimumBinSlack`)
 * replaces the first-fit packing if it has no more hosts (not when the lower bound leaves no waste
 * at all). Then, until the best packing meets the lower bound:
 * - rising: bin completion with target = lower bound, then + 1 each time the search proves the
 *   target infeasible (which raises the lower bound). The first target found is optimal. When the
 *   target leaves no waste at all (`exactFillResource`), or less than the smallest VM in a
 *   one-dimensional problem (`searchPaddedExactFill`), the exact-fill search replaces bin
 *   completion, and its closest packing becomes the best one if it has no more hosts (fewer, when
 *   padded).
 * - emptying: the local search of `emptyHosts` with half of its budget (3/4 with no waste), then
 *   the large neighbourhood search of `repackSubsets` with the rest, from the best packing down
 *   to the lower bound.
 * Rising goes first, with 3/4 of the budget, when hosts must be filled exactly at the lower bound
 * (Falkenauer's triplets), or 3/8 when they must be filled with no waste at all; emptying first,
 * with half, otherwise (uniform items, VMs). The second of the two gets up to 7/8 of the budget
 * (all of it with no waste, where falling cannot help), minus what the first used.
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
    (f) => !within(f.pinnedCpu, f.capacityCpu) || !within(f.pinnedMemory, f.capacityMemory),
  );
  if (pinnedOverload || lowerBound > hostCount) {
    return { packing: undefined, lowerBound, upperBound, provenOptimal: false, nodes: 0 };
  }
  const optimal = (): boolean => best !== undefined && best.activeHosts <= lowerBound;

  // Exact fills (triplets): the tree search with fail first is the tool; otherwise the local
  // search finds the packing at the bound far sooner, and the tree search comes second.
  const treeFirst = mustFillExactly(problem, lowerBound);
  // With no waste at all, the exact-fill search gets 3/8, and the local searches all the rest,
  // starting from its packing: 3/4 of it to emptying, which most often finds the last host.
  const noWaste = exactFillResource(problem, lowerBound) !== undefined;
  const share = noWaste ? EXACT_FILL_SHARES : treeFirst ? TREE_FIRST_SHARES : EMPTY_FIRST_SHARES;
  const first = new NodeBudget(Math.floor(share.first * nodeBudget));
  const second = new NodeBudget(0);
  // MBS' fills most hosts exactly where first-fit decreasing leaves a little waste on many: the
  // better start for emptying. Not with no waste at all, where the exact-fill search's closest
  // packing is the start (MBS' there takes nodes that the exact-fill search needs).
  if (!noWaste && !optimal()) {
    const slack = packMinimumBinSlack(problem, first, MBS_NODES_PER_HOST);
    if (slack !== undefined && slack.activeHosts <= (best?.activeHosts ?? Infinity)) best = slack;
  }
  const rise = (budget: NodeBudget): void => {
    for (let target = lowerBound; !optimal() && target <= hostCount; target++) {
      if (best !== undefined && target >= best.activeHosts) break;
      const exact = exactFillResource(problem, target);
      const filled =
        exact === undefined
          ? searchPaddedExactFill(problem, target, budget)
          : searchExactFill(problem, exact, budget);
      let outcome: SearchOutcome;
      if (filled === undefined) outcome = searchPacking(problem, target, budget);
      else {
        outcome = filled.outcome;
        // Its waste is gathered on a few hosts: the better start for the local searches. When
        // padded, only if it has fewer hosts: MBS' packing starts emptying better on uniform VMs.
        const hosts = best?.activeHosts ?? hostCount;
        const closest = filled.closest.activeHosts;
        if (closest < hosts || (closest === hosts && exact !== undefined)) best = filled.closest;
      }
      if (outcome.kind === "found") best = outcome.packing;
      else if (outcome.kind === "infeasible") lowerBound = target + 1;
      if (outcome.kind !== "infeasible") break;
    }
  };
  const empty = (budget: NodeBudget): void => {
    if (best === undefined || optimal()) return;
    const walk = new NodeBudget(Math.floor((budget.limit - budget.nodes) * share.walk));
    best = emptyHosts(problem, best, lowerBound, walk);
    budget.spend(walk.nodes);
    if (!optimal()) best = repackSubsets(problem, best, lowerBound, budget);
  };
  if (treeFirst) rise(first);
  else empty(first);
  second.limit = Math.floor(share.firstTwo * nodeBudget) - first.nodes;
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
 * Nodes of MBS' search for one host's set. Set by sweep on the uniform instances: 1,000 to 30,000
 * reach the same, 300 loses two; a whole MBS' packing of u1000 then takes at most 52,000 nodes.
 */
const MBS_NODES_PER_HOST = 10_000;

/** Budget shares: the first phase; the first two together; emptying's share of its phase. */
interface Shares {
  readonly first: number;
  readonly firstTwo: number;
  readonly walk: number;
}
const EXACT_FILL_SHARES: Shares = { first: 3 / 8, firstTwo: 1, walk: 3 / 4 };
const TREE_FIRST_SHARES: Shares = { first: 3 / 4, firstTwo: 7 / 8, walk: 1 / 2 };
const EMPTY_FIRST_SHARES: Shares = { first: 1 / 2, firstTwo: 7 / 8, walk: 1 / 2 };

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
