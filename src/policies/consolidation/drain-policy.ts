import type { ConsolidationPolicy } from "./consolidation-policy.js";
import { drain } from "./drain.js";

/**
 * The drain heuristic as a consolidation baseline: at each decision, the fewest hosts holding the
 * most memory that every VM fits on, the others drained (`drain`); where no count works (a VM
 * fits nowhere), the VMs stay where they are. A heuristic: no search, no computation time.
 */
export function drainConsolidation(): ConsolidationPolicy {
  return {
    name: "drain",
    decide: ({ configuration }) => ({ target: drain(configuration).assignment, computeTime: 0 }),
  };
}
