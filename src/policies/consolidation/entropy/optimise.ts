import type { Assignment, Configuration } from "../configuration.js";
import { drain } from "../drain.js";
import {
  activeHostCount,
  currentAssignment,
  isViable,
  maxCpuLoad,
  migrationCost,
  migrationCount,
} from "./assignment-metrics.js";
import { balanceLoad } from "./balance.js";
import { emptyActiveHosts } from "./host-emptying.js";
import { assignPacking } from "./host-mapping.js";
import { NodeBudget } from "./node-budget.js";
import { packVms } from "./packing.js";
import { type PackingProblem, buildPackingProblem } from "./packing-problem.js";
import { reconfigure } from "./reconfiguration.js";
import { coresOf, returnHome } from "./vm-moves.js";

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
  /**
   * What the engine will make of a target: the placement constraints' undos (keepConstraints).
   * consolidate compares its candidates as this leaves them, when that is viable. Absent: as
   * they are.
   */
  readonly keep?: (target: Assignment) => Assignment;
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
 * consolidate: fewest active hosts, then the fewest bytes migrated among assignments with that
 * many hosts, from two searches, the better of which wins (ties to the first):
 * 1. improving on the current placement (`improvePlacement`): the drain heuristic's placement
 *    (or the current one, if it is viable and as good), then hosts emptied one at a time with
 *    few bytes moved (`emptyActiveHosts`), then VMs sent back home where they fit. Its share of
 *    the budget is running VMs x hosts over that plus the budget: none for a
 *    packing from scratch (no VM runs yet, as in Falkenauer's instances), half at 1,000 hosts x
 *    10,000 VMs with the default budget, 94% at 5,000 x 30,000. On large clouds this is the
 *    search that counts: from scratch, the packing search ends at first-fit's host count and
 *    moves most VMs to get there (BENCHMARKS.md, "Entropy packing").
 * 2. the packing search from scratch (`packVms`), then the fewest bytes to reach its packing
 *    (`reconfigure`), with the rest: reconfiguring is reserved min(half of it, running VMs x
 *    hosts) nodes, what its first descent may examine, and also gets what packing leaves.
 * The current assignment wins when it is viable and as good: it migrates nothing.
 * balance: `balanceLoad`, with the whole budget (half of what is left goes to a packing search if
 * it needs a viable start); the packing bounds are reported, not pursued.
 * When nothing viable is found, the result says so (`viable: false`) and keeps the VMs where
 * they are; it never throws.
 */
export function optimise(
  configuration: Configuration,
  options: OptimiseOptions = { objective: "consolidate", nodeBudget: DEFAULT_NODE_BUDGET },
): OptimiseResult {
  const problem = buildPackingProblem(configuration);
  const budget = new NodeBudget(Math.max(0, Math.floor(options.nodeBudget)));
  const consolidate = options.objective === "consolidate";
  const running = configuration.vms.filter((vm) => !vm.pinned && vm.host !== undefined).length;
  const size = running * configuration.hosts.length;
  const improved = consolidate
    ? improvePlacement(problem, budget, size / (size + budget.limit))
    : undefined;
  // What reconfiguring may need: its first descent examines every host for each VM that moves,
  // and only VMs that run somewhere can move; at most half of what is left.
  const left = budget.limit - budget.nodes;
  const reserve = Math.min(Math.floor(left / 2), size);
  const packing = packVms(problem, consolidate ? left - reserve : 0);
  budget.spend(packing.nodes);
  let assignment: Assignment | undefined;
  if (consolidate) {
    // A candidate as the constraints leave it: a search that breaks them is judged by what
    // survives of it.
    const { keep } = options;
    const kept = (candidate: Assignment | undefined): Assignment | undefined => {
      if (candidate === undefined || keep === undefined) return candidate;
      const trimmed = keep(candidate);
      return isViable(configuration, trimmed) ? trimmed : candidate;
    };
    if (packing.packing !== undefined) {
      const rest = new NodeBudget(budget.limit - budget.nodes);
      assignment = kept(reconfigure(problem, packing.packing, rest));
      budget.spend(rest.nodes);
    }
    // The better of the two searches (hosts, then bytes; ties to the local one, which moves
    // fewer VMs of those it had), and staying put when as good: it migrates nothing.
    for (const candidate of [kept(improved), currentAssignment(configuration)]) {
      if (candidate !== undefined && notWorse(configuration, candidate, assignment)) {
        assignment = candidate;
      }
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
 * The drain heuristic's placement or the current one (the better viable one), then hosts
 * emptied from it (`emptyActiveHosts`) and VMs sent back home where they fit; undefined with no
 * share or when neither start is viable. Drain is a heuristic like first-fit, not counted.
 */
function improvePlacement(
  problem: PackingProblem,
  budget: NodeBudget,
  share: number,
): Assignment | undefined {
  const { configuration } = problem;
  const local = new NodeBudget(Math.floor(budget.limit * share));
  if (local.limit === 0) return undefined;
  let start: Assignment | undefined;
  const drained = drain(configuration, problem);
  for (const candidate of [
    drained.viable ? drained.assignment : undefined,
    currentAssignment(configuration),
  ]) {
    if (candidate !== undefined && notWorse(configuration, candidate, start)) start = candidate;
  }
  if (start === undefined) return undefined;
  const emptied = emptyActiveHosts(configuration, start, local);
  const result = returnHome(configuration, emptied, coresOf(configuration), local);
  budget.spend(local.nodes);
  return result;
}

/**
 * Whether `candidate` (viable) is at least as good as `incumbent`: no more active hosts, and no
 * more bytes migrated at as many; any viable candidate beats none.
 */
function notWorse(
  configuration: Configuration,
  candidate: Assignment,
  incumbent: Assignment | undefined,
): boolean {
  if (!isViable(configuration, candidate)) return false;
  if (incumbent === undefined || !isViable(configuration, incumbent)) return true;
  const hosts = activeHostCount(configuration, candidate);
  const incumbentHosts = activeHostCount(configuration, incumbent);
  if (hosts !== incumbentHosts) return hosts < incumbentHosts;
  return migrationCost(configuration, candidate) <= migrationCost(configuration, incumbent);
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
