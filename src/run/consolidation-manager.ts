import type { Signal } from "../sim/signal.js";
import type { Decision } from "./consolidation-loop.js";
import type { PlanOutcome } from "./plan-executor.js";

/**
 * Who decides consolidation: a centralised loop (one per site or for the sky), group managers
 * (hierarchical) or partitions of hosts (distributed). Each decision and each plan's end is
 * signalled, whichever manager made it.
 */
export interface ConsolidationManager {
  readonly decided: Signal<Decision>;
  readonly switched: Signal<PlanOutcome>;
  start(): void;
}
