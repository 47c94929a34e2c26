import type { Configuration } from "../configuration.js";
import { searchPacking } from "./bin-completion.js";
import { exactFillResource, searchExactFill } from "./exact-fill.js";
import { NodeBudget } from "./node-budget.js";
import {
  type PackedBin,
  type Packing,
  type PackingProblem,
  type TypeCount,
  buildPackingProblem,
} from "./packing-problem.js";
import { Xorshift32 } from "./xorshift.js";

/**
 * Large neighbourhood search (Shaw 1998): take a few hosts of one class, the least full ones until
 * their free room adds up to a whole host, plus others drawn at random; pack their VMs exactly
 * (bin completion, or the exact-fill search when those hosts then leave no waste at all) into one
 * host fewer. When every host must be filled exactly (Falkenauer's triplets), the local search of
 * `emptyHosts` stalls one host above the optimum, with the waste spread over a few hosts; a small
 * exact search over those hosts and some full ones removes it.
 * Each attempt is a small tree search with its own slice of the budget.
 */
export function repackSubsets(
  problem: PackingProblem,
  packing: Packing,
  lowerBound: number,
  budget: NodeBudget,
): Packing {
  let best = packing;
  const pick = new Xorshift32(SEED);
  while (best.activeHosts > lowerBound && !budget.exhausted) {
    // Choosing the hosts and setting up the subproblem is linear work: charged as nodes too.
    if (!budget.spend(best.bins.length)) break;
    const attempt = new NodeBudget(Math.min(NODES_PER_ATTEMPT, budget.limit - budget.nodes));
    const fewer = repackSome(problem, best, pick, attempt);
    budget.spend(attempt.nodes);
    if (fewer === "hopeless") break;
    if (fewer !== undefined) best = fewer;
  }
  return best;
}

/** Hosts repacked at once, at most. */
const MAX_HOSTS = 12;
/** Nodes of the exact search over one subset. */
const NODES_PER_ATTEMPT = 20_000;
const SEED = 0x2545f491;

function repackSome(
  problem: PackingProblem,
  packing: Packing,
  pick: Xorshift32,
  budget: NodeBudget,
): Packing | "hopeless" | undefined {
  const loadOf = (bin: PackedBin) => {
    let cpu = 0;
    let memory = 0;
    for (const { type, count } of bin.contents) {
      cpu += (problem.types[type]?.cpu ?? 0) * count;
      memory += (problem.types[type]?.memory ?? 0) * count;
    }
    return { cpu, memory };
  };
  const classBins = packing.bins
    .map((bin, i) => ({ bin, i, load: loadOf(bin) }))
    .filter(({ bin }) => bin.slot.kind === "class");
  const fill = (entry: (typeof classBins)[number]): number => {
    const hostClass = problem.classes[entry.bin.slot.index];
    return entry.load.cpu / (hostClass?.cpu ?? 1) + entry.load.memory / (hostClass?.memory ?? 1);
  };
  classBins.sort((a, b) => fill(a) - fill(b) || a.i - b.i);
  const least = classBins[0];
  if (least === undefined) return "hopeless";
  const classIndex = least.bin.slot.index;
  const hostClass = problem.classes[classIndex];
  if (hostClass === undefined) return undefined;
  const sameClass = classBins.filter(({ bin }) => bin.slot.index === classIndex);
  // The least full, until their room adds up to a host in both resources (hopeless if even
  // MAX_HOSTS of them do not: the waste is spread too thin for this neighbourhood)...
  const chosen: (typeof classBins)[number][] = [];
  let roomCpu = 0;
  let roomMemory = 0;
  for (const entry of sameClass) {
    if (roomCpu >= hostClass.cpu && roomMemory >= hostClass.memory) break;
    if (chosen.length >= MAX_HOSTS) return "hopeless";
    chosen.push(entry);
    roomCpu += hostClass.cpu - entry.load.cpu;
    roomMemory += hostClass.memory - entry.load.memory;
  }
  if (roomCpu < hostClass.cpu || roomMemory < hostClass.memory) return "hopeless";
  // ...then others at random, so that each attempt looks at a different neighbourhood.
  const others = sameClass.filter((entry) => !chosen.includes(entry));
  while (chosen.length < MAX_HOSTS && others.length > 0) {
    chosen.push(...others.splice(pick.below(others.length), 1));
  }
  if (chosen.length < 2) return "hopeless";

  const typeOf: number[] = [];
  const configuration: Configuration = {
    hosts: chosen.map((_, id) => ({ id, cpu: hostClass.cpu, memory: hostClass.memory })),
    vms: chosen.flatMap(({ bin }) =>
      bin.contents.flatMap(({ type, count }) =>
        Array.from({ length: count }, () => {
          typeOf.push(type);
          const demand = problem.types[type] ?? { cpu: 0, memory: 0 };
          return {
            id: typeOf.length - 1,
            cpu: demand.cpu,
            memory: demand.memory,
            host: undefined,
            pinned: false,
          };
        }),
      ),
    ),
  };
  const sub = buildPackingProblem(configuration);
  const exact = exactFillResource(sub, chosen.length - 1);
  const outcome =
    exact === undefined
      ? searchPacking(sub, chosen.length - 1, budget)
      : searchExactFill(sub, exact, budget).outcome;
  if (outcome.kind !== "found") return undefined;
  const repacked: PackedBin[] = outcome.packing.bins.map((bin) => ({
    slot: { kind: "class", index: classIndex },
    contents: bin.contents.map(({ type, count }): TypeCount => ({
      type: typeOf[sub.types[type]?.vms[0] ?? 0] ?? 0,
      count,
    })),
  }));
  const replaced = new Set(chosen.map(({ i }) => i));
  return {
    bins: [...packing.bins.filter((_, i) => !replaced.has(i)), ...repacked],
    activeHosts: packing.activeHosts - chosen.length + repacked.length,
  };
}
