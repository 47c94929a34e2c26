import type { Assignment, Configuration } from "../configuration.js";
import {
  activeHostCount,
  currentAssignment,
  isViable,
  maxCpuLoad,
  migrationCost,
  migrationCount,
} from "./assignment-metrics.js";
import { balanceLoad } from "./balance.js";
import { assignPacking } from "./host-mapping.js";
import { NodeBudget } from "./node-budget.js";
import { packVms } from "./packing.js";
import { buildPackingProblem } from "./packing-problem.js";
import { reconfigure } from "./reconfiguration.js";

/**
 * Ten million nodes: on the project's machine (BENCHMARKS.md, "Entropy packing"), at most about
 * 1 s of search for any of Falkenauer's instances, and 1 s for 10,000 VMs on 1,000 hosts; enough
 * to reach the optimum of every u120 and t60 instance, and of 136 of the 160.
 */
export const DEFAULT_NODE_BUDGET = 10_000_000;

export type Objective = "consolidate" | "balance";

export interface OptimiseOptions {
  readonly objective: Objective;
  /** Search nodes the decision may explore, all phases together (deterministic, not a time). */
  readonly nodeBudget: number;
}

export interface OptimiseResult {
  /** False when no viable assignment was found: `assignment` is then where the VMs are now. */
  readonly viable: boolean;
  readonly assignment: Assignment;
  /** Hosts the assignment gives at least one VM. */
  readonly activeHosts: number;
  /** No viable assignment has fewer active hosts (packing lower bound, raised by the search). */
  readonly lowerBound: number;
  /** Active hosts of first-fit decreasing (Infinity when it cannot place every VM). */
  readonly upperBound: number;
  /**
   * consolidate: `activeHosts` is proven minimal (it meets the lower bound). balance: the peak
   * CPU load ratio meets its lower bound (total CPU demand / total cores, or a pinned host's).
   */
  readonly provenOptimal: boolean;
  /** Bytes of memory of the VMs that migrate (a VM placed from nowhere costs nothing). */
  readonly migrationCost: number;
  readonly migrations: number;
  /** Peak CPU load ratio (sum of CPU demand / cores) over the hosts. */
  readonly maxCpuLoad: number;
  /** Nodes explored by all phases. */
  readonly nodes: number;
}

/**
 * Entropy's optimiser (DESIGN.md, "Entropy, precisely enough to test"): a pure function of the
 * configuration and the options.
 *
 * consolidate: fewest active hosts (`packVms`), then the fewest bytes migrated among assignments
 * with that many hosts (`reconfigure`). Reconfiguring is reserved min(half the budget, running
 * VMs x hosts) nodes, what its first descent may examine; packing gets the rest, and
 * reconfiguring also gets what packing leaves. So a packing from scratch (no VM runs yet, as in
 * Falkenauer's instances) gets the whole budget. balance: `balanceLoad`, with the whole budget (half of what is
 * left goes to a packing search if it needs a viable start).
 * The current assignment wins when it is viable and uses no more hosts. When nothing viable is
 * found, the result says so (`viable: false`) and keeps the VMs where they are; it never throws.
 */
export function optimise(
  configuration: Configuration,
  options: OptimiseOptions = { objective: "consolidate", nodeBudget: DEFAULT_NODE_BUDGET },
): OptimiseResult {
  const problem = buildPackingProblem(configuration);
  const budget = new NodeBudget(Math.max(0, Math.floor(options.nodeBudget)));
  const consolidate = options.objective === "consolidate";
  // What reconfiguring may need: its first descent examines every host for each VM that moves,
  // and only VMs that run somewhere can move; at most half the budget.
  const reconfigurationReserve = (): number => {
    const running = configuration.vms.filter((vm) => !vm.pinned && vm.host !== undefined).length;
    return Math.min(Math.floor(budget.limit / 2), running * configuration.hosts.length);
  };
  // For balance, only the bounds (no search): they are reported, not pursued.
  const packing = packVms(problem, consolidate ? budget.limit - reconfigurationReserve() : 0);
  budget.spend(packing.nodes);
  let assignment: Assignment | undefined;
  if (consolidate) {
    if (packing.packing !== undefined) {
      const rest = new NodeBudget(budget.limit - budget.nodes);
      assignment = reconfigure(problem, packing.packing, rest);
      budget.spend(rest.nodes);
    }
    // Staying put is as good when it is viable and uses no more hosts: it migrates nothing.
    const current = currentAssignment(configuration);
    if (
      isViable(configuration, current) &&
      (assignment === undefined ||
        activeHostCount(configuration, current) <= activeHostCount(configuration, assignment))
    ) {
      assignment = current;
    }
  } else {
    assignment = balanceLoad(configuration, budget, () => {
      const searched = packVms(problem, Math.floor((budget.limit - budget.nodes) / 2));
      budget.spend(searched.nodes);
      return searched.packing && assignPacking(problem, searched.packing);
    });
  }
  const viable = assignment !== undefined && isViable(configuration, assignment);
  const chosen = viable && assignment !== undefined ? assignment : currentAssignment(configuration);
  const activeHosts = activeHostCount(configuration, chosen);
  const peak = maxCpuLoad(configuration, chosen);
  return {
    viable,
    assignment: chosen,
    activeHosts,
    lowerBound: packing.lowerBound,
    upperBound: packing.upperBound,
    provenOptimal:
      viable &&
      (options.objective === "consolidate"
        ? activeHosts <= packing.lowerBound
        : peak <= cpuLoadLowerBound(configuration)),
    migrationCost: migrationCost(configuration, chosen),
    migrations: migrationCount(configuration, chosen),
    maxCpuLoad: peak,
    nodes: budget.nodes,
  };
}

/**
 * No viable assignment has a lower peak CPU load ratio than the total demand over the total
 * cores, nor than the load of a host's pinned VMs.
 */
function cpuLoadLowerBound(configuration: Configuration): number {
  const cores = configuration.hosts.reduce((sum, host) => sum + host.cpu, 0);
  const demand = configuration.vms.reduce((sum, vm) => sum + vm.cpu, 0);
  const pinned = configuration.vms.filter((vm) => vm.pinned);
  return Math.max(
    cores > 0 ? demand / cores : 0,
    maxCpuLoad(configuration, currentAssignment({ hosts: configuration.hosts, vms: pinned })),
  );
}
