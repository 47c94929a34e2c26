import type { Assignment } from "../configuration.js";
import { migrationCost } from "./assignment-metrics.js";
import { assignPacking } from "./host-mapping.js";
import { leastMigrations } from "./migration-search.js";
import { NodeBudget } from "./node-budget.js";
import type { Packing, PackingProblem } from "./packing-problem.js";
import { coresOf, returnHome } from "./vm-moves.js";

/**
 * Among assignments with the packing's number of active hosts, one that migrates few bytes
 * (DESIGN.md, Entropy 3). Two candidates, the cheaper wins (ties: the first):
 * 1. the packing itself, its bins matched to the hosts that hold most of their VMs
 *    (`assignPacking`), then VMs sent back home where they fit (`returnHome`);
 * 2. keep the hosts of each class that hold the most memory now (as many per class as the packing
 *    uses, plus the hosts with pinned VMs), and search where VMs go among them for the fewest bytes
 *    migrated (`leastMigrations`, which must beat candidate 1; the rest of the budget).
 * Both use no more hosts than the packing.
 */
export function reconfigure(
  problem: PackingProblem,
  packing: Packing,
  budget: NodeBudget,
): Assignment {
  const { configuration } = problem;
  const cores = coresOf(configuration);
  const matched = returnHome(configuration, assignPacking(problem, packing), cores, budget);
  const bestCost = migrationCost(configuration, matched);
  if (bestCost === 0) return matched;
  const perClass = new Int32Array(problem.classes.length);
  for (const bin of packing.bins) {
    if (bin.slot.kind === "class") {
      perClass[bin.slot.index] = (perClass[bin.slot.index] ?? 0) + 1;
    }
  }
  const kept = [
    ...problem.forced.map((f) => f.host),
    ...problem.classes.flatMap((c, i) => c.hosts.slice(0, perClass[i] ?? 0)),
  ];
  const search = new NodeBudget(budget.limit - budget.nodes);
  const found = leastMigrations(configuration, kept, cores, search, bestCost);
  budget.spend(search.nodes);
  if (found === undefined) return matched;
  const improved = returnHome(configuration, found, cores, budget);
  return migrationCost(configuration, improved) < bestCost ? improved : matched;
}
