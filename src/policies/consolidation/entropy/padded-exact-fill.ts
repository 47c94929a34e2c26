import type { Configuration, VmDemand } from "../configuration.js";
import { type ExactFillResult, exactFillResource, searchExactFill } from "./exact-fill.js";
import type { NodeBudget } from "./node-budget.js";
import {
  type PackedBin,
  type Packing,
  type PackingProblem,
  buildPackingProblem,
} from "./packing-problem.js";

/**
 * The exact-fill search for a target that leaves a little waste: `waste` VMs of demand 1 are
 * added, which makes the waste zero, so that `searchExactFill` applies. This changes nothing: a
 * packing into `target` hosts wastes exactly `waste` in all, which the unit VMs fill; and dropping
 * them from an exact packing gives a packing of the real VMs. When every host must be filled
 * nearly exactly (Falkenauer's uniform instances whose optimum is the L2 bound, with a waste below
 * the smallest VM), bin completion searches among near-exact completions blindly, while the
 * exact-fill search lists them all and opens each host with the VM that has the fewest.
 *
 * Only where `exactFillResource` would apply but for the waste: identical hosts, no pinned VM,
 * one resource demanded, integer demands, every VM demanding more than 1 (so that the unit VMs are
 * told apart), and a waste below the smallest demand (beyond it, the unit VMs multiply the
 * completions of every host). Undefined otherwise.
 */
export function searchPaddedExactFill(
  problem: PackingProblem,
  target: number,
  budget: NodeBudget,
): ExactFillResult | undefined {
  // Checked here, not only on the padded problem: padding drops the pinned VMs.
  if (problem.classes.length !== 1 || problem.forced.length > 0) return undefined;
  for (const resource of ["memory", "cpu"] as const) {
    const capacity = problem.classes[0]?.[resource] ?? 0;
    const total = problem.types.reduce((sum, t) => sum + t[resource] * t.vms.length, 0);
    const waste = target * capacity - total;
    const smallest = problem.types.reduce((min, t) => Math.min(min, t[resource]), Infinity);
    if (!Number.isSafeInteger(waste) || waste <= 0 || waste >= smallest || smallest <= 1) continue;
    const padded = buildPackingProblem(pad(problem, resource, waste));
    if (exactFillResource(padded, target) !== resource) continue;
    const filled = searchExactFill(padded, resource, budget);
    const outcome = filled.outcome;
    return {
      outcome:
        outcome.kind === "found"
          ? { ...outcome, packing: unpad(problem, padded, outcome.packing) }
          : outcome,
      closest: unpad(problem, padded, filled.closest),
    };
  }
  return undefined;
}

/** The problem's hosts and VMs, plus `waste` VMs of demand 1 in `resource`, placed nowhere. */
function pad(problem: PackingProblem, resource: "cpu" | "memory", waste: number): Configuration {
  const vms: VmDemand[] = problem.types.flatMap((t) =>
    t.vms.map((id) => ({ id, cpu: t.cpu, memory: t.memory, host: undefined, pinned: false })),
  );
  let id = vms.reduce((max, vm) => Math.max(max, vm.id), -1);
  for (let i = 0; i < waste; i++) {
    id++;
    vms.push({
      id,
      cpu: resource === "cpu" ? 1 : 0,
      memory: resource === "memory" ? 1 : 0,
      host: undefined,
      pinned: false,
    });
  }
  return { hosts: problem.configuration.hosts, vms };
}

/** A packing of the padded problem as one of the problem: unit VMs dropped, then empty hosts. */
function unpad(problem: PackingProblem, padded: PackingProblem, packing: Packing): Packing {
  const typeOf = new Map(problem.types.map((t, i) => [`${t.cpu} ${t.memory}`, i]));
  const bins: PackedBin[] = [];
  for (const bin of packing.bins) {
    const contents = bin.contents.flatMap(({ type, count }) => {
      const demand = padded.types[type];
      const real = typeOf.get(`${demand?.cpu} ${demand?.memory}`);
      return real === undefined ? [] : [{ type: real, count }];
    });
    if (contents.length > 0) bins.push({ slot: bin.slot, contents });
  }
  return { bins, activeHosts: bins.length };
}
