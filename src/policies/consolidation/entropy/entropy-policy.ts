import * as z from "zod";
import { duration } from "../../../scenario/quantities.js";
import type { PolicyDefinition } from "../../policy-definition.js";
import type {
  ConsolidationPolicy,
  ConsolidationView,
  DecisionWork,
} from "../consolidation-policy.js";
import type { Assignment } from "../configuration.js";
import { contextSwitchTarget } from "./context-switch.js";
import { DEFAULT_NODE_BUDGET, optimise } from "./optimise.js";
import { repair } from "./repair.js";
import { DEFAULT_DRAIN_FILL, improveCurrent } from "./incremental.js";
import { NodeBudget } from "./node-budget.js";
import { packingLowerBound } from "./lower-bounds.js";
import { buildPackingProblem } from "./packing-problem.js";
import { activeHostCount } from "./assignment-metrics.js";
import { LIMITS } from "../../../scenario/limits.js";

/**
 * Simulated seconds per VM x host pair of the configuration a manager decides on: a solver's
 * model has a variable per VM whose domain is the hosts, so building and propagating it grows
 * with their product, whatever the search then explores. Calibrated on BtrPlace, Entropy's
 * successor (Hermenier, Lawall and Muller, "BtrPlace: A Flexible Consolidation Manager for
 * Highly Available Applications", IEEE TDSC 10(5), 2013): it repairs a 5,000-server data
 * centre hosting 30,000 VMs in 3 minutes, so 180 s / (5,000 x 30,000) = 1.2e-6 s. The same
 * paper's partitions of 2,500 servers (15,000 VMs) in under 30 s: this gives 45 s, within a
 * factor of 1.5. On VMPlaceS's 64 hosts x 640 VMs it adds 0.05 s; on 1,024 x 10,240, 12.6 s.
 */
export const PER_VM_HOST = 1.2e-6;

const options = z.object({
  objective: z
    .enum(["consolidate", "balance", "repair", "context-switch"])
    .default("consolidate")
    .meta({
      description:
        "consolidate: fewest active hosts, then fewest bytes migrated; balance: lowest peak CPU load ratio; repair: fix overloaded hosts with the fewest bytes migrated; context-switch: run vjobs first come first served, suspending the others",
    }),
  search: z.enum(["incremental", "global"]).default("incremental").meta({
    description:
      "consolidate only. incremental: improve on the current placement (repair overloaded hosts, then drain the least loaded hosts whose VMs fit on the others); global: Entropy 2009's fewest hosts for the whole packing, then the fewest bytes to reach it",
  }),
  drainFill: z.number().gt(0).max(1).default(DEFAULT_DRAIN_FILL).meta({
    description:
      "incremental search: a host is drained only when its VMs fit on the other active hosts within this fraction of their capacity (hosts are repaired only above it: a hysteresis)",
  }),
  nodeBudget: z
    .int()
    .min(1)
    .max(LIMITS.nodeBudget)
    .default(DEFAULT_NODE_BUDGET)
    .meta({ description: "search nodes a decision may explore (deterministic, not a time)" }),
  computeTime: z
    .strictObject({
      perDecision: duration().pipe(z.number().min(0)).default(1),
      perVmHost: duration().pipe(z.number().min(0)).default(PER_VM_HOST),
      perNode: duration().pipe(z.number().min(0)).default(1e-6),
    })
    .default({ perDecision: 1, perVmHost: PER_VM_HOST, perNode: 1e-6 })
    .meta({
      description:
        "simulated seconds a decision takes: perDecision + perVmHost x VMs x hosts the manager sees + perNode x nodes explored (charged before the plan starts)",
    }),
});
type EntropyOptions = z.output<typeof options>;

/**
 * Entropy (Hermenier et al., VEE 2009), as a consolidation policy: each period, a target
 * configuration from a node-budgeted search (the objective decides which), then the engine's
 * reconfiguration plan. The time the decision is charged grows with what the manager sees (VMs x
 * hosts, see PER_VM_HOST) and with the nodes its search explored.
 */
export function entropy(settings: EntropyOptions): ConsolidationPolicy {
  const decideTarget = (view: ConsolidationView): { target: Assignment; work: DecisionWork } => {
    const { configuration } = view;
    switch (settings.objective) {
      case "repair": {
        const result = repair(configuration, settings.nodeBudget);
        return { target: result.assignment, work: { nodes: result.nodes } };
      }
      case "context-switch": {
        const result = contextSwitchTarget(configuration, view.vjobs);
        return { target: result.assignment, work: { nodes: result.nodes } };
      }
      case "consolidate":
      case "balance": {
        if (settings.objective === "consolidate" && settings.search === "incremental") {
          return incremental(configuration, view.keepsMoves);
        }
        const result = optimise(configuration, {
          objective: settings.objective,
          nodeBudget: settings.nodeBudget,
          ...(view.keep === undefined ? {} : { keep: view.keep }),
        });
        return {
          // Where nothing viable was found, the assignment keeps the VMs where they are.
          target: result.assignment,
          work: {
            nodes: result.nodes,
            provenOptimal: result.provenOptimal,
            lowerBound: result.lowerBound,
          },
        };
      }
    }
  };
  const incremental = (
    configuration: ConsolidationView["configuration"],
    keepsMoves: ConsolidationView["keepsMoves"],
  ): { target: Assignment; work: DecisionWork } => {
    const budget = new NodeBudget(settings.nodeBudget);
    const result = improveCurrent(configuration, budget, settings.drainFill, keepsMoves);
    // The bound costs no search: it says how far the loop is from the fewest hosts possible.
    const lowerBound = packingLowerBound(buildPackingProblem(configuration));
    // Not viable: the moves that help are still made (a partial repair beats none).
    const target = result.assignment;
    return {
      target,
      work: {
        nodes: budget.nodes,
        provenOptimal: result.viable && activeHostCount(configuration, target) <= lowerBound,
        lowerBound,
      },
    };
  };
  return {
    name: "entropy",
    schedulesVjobs: settings.objective === "context-switch",
    decide(view) {
      const { target, work } = decideTarget(view);
      const { hosts, vms } = view.configuration;
      const { perDecision, perVmHost, perNode } = settings.computeTime;
      return {
        target,
        work,
        computeTime: perDecision + perVmHost * vms.length * hosts.length + perNode * work.nodes,
      };
    },
  };
}

export const ENTROPY: PolicyDefinition<ConsolidationPolicy, EntropyOptions> = {
  kind: "consolidation",
  name: "entropy",
  description: "Entropy: node-budgeted search for the target, cheapest plan to reach it",
  options,
  create: entropy,
};
