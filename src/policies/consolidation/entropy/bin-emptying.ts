import { within, withSlack } from "../capacity.js";
import type { NodeBudget } from "./node-budget.js";
import { Xorshift32 } from "./xorshift.js";
import {
  type BinSlot,
  type PackedBin,
  type Packing,
  type PackingProblem,
  type TypeCount,
  fractionOf,
} from "./packing-problem.js";

/**
 * Local search that removes hosts from a packing, one at a time: empty the least full host, then
 * make the other hosts fuller by swapping their VMs with the freed ones, until the freed VMs fit
 * in the room left (success: one host fewer) or no swap helps (then try emptying the next least
 * full host, with a few others, instead). This is the dominance-based local search of Falkenauer's grouping genetic
 * algorithm and of Levine and Ducatelle (2004, "Ant colony optimization and local search for bin
 * packing"): a swap of up to two VMs of a host for up to two freed ones, taken when it fills the
 * host more, leaves fewer, smaller freed VMs, which fit more easily. It finds the packings with
 * one host fewer that the tree search misses when its first choices were wrong.
 *
 * "Fuller" is cpu/capacity + memory/capacity, so that both resources count. Hosts with pinned VMs
 * are never emptied (they stay active) but do take part in swaps. Each swap or placement tried is
 * a node.
 */
export function emptyHosts(
  problem: PackingProblem,
  packing: Packing,
  lowerBound: number,
  budget: NodeBudget,
): Packing {
  let best = packing;
  let current = packing;
  const pick = new Xorshift32(SEED);
  while (best.activeHosts > lowerBound && !budget.exhausted) {
    const next = ruinAndRefill(problem, current, pick, budget);
    if (next === undefined) break;
    if (
      next.activeHosts < best.activeHosts ||
      (next.activeHosts === best.activeHosts && fitness(problem, next) > fitness(problem, best))
    ) {
      best = next;
    }
    // Accept a packing as good as the best, or one that gives back at most a host: the walk
    // needs room to move, and the best is kept apart.
    current = next.activeHosts <= best.activeHosts + 1 ? next : best;
  }
  return best;
}

/**
 * Falkenauer's fitness: the sum of squared fills. Among packings with as many hosts, it prefers
 * the one whose free room is gathered on few hosts, the easiest to empty next.
 */
function fitness(problem: PackingProblem, packing: Packing): number {
  return workBins(problem, packing).reduce((sum, bin) => sum + fillOf(bin) ** 2, 0);
}

/** Hosts emptied at once: between 1 and this many. */
const MAX_EMPTIED = 3;
/** Fixed seed: the walk is the same on every run. */
const SEED = 0x9e3779b9;

/**
 * Empties the least full host and up to MAX_EMPTIED - 1 others (never forced ones), swaps to fill
 * the others, then places what is left first-fit, on new hosts if need be. Undefined when out of
 * budget.
 */
function ruinAndRefill(
  problem: PackingProblem,
  packing: Packing,
  pick: Xorshift32,
  budget: NodeBudget,
): Packing | undefined {
  const bins = workBins(problem, packing);
  const byFill = bins
    .map((bin, i) => ({ i, fill: fillOf(bin), kind: bin.slot.kind }))
    .filter((c) => c.kind === "class")
    .sort((a, b) => a.fill - b.fill || b.i - a.i)
    .map((c) => c.i);
  // The least full host, and others drawn with a bias towards the less full (min of two draws).
  const chosen = new Set(byFill.slice(0, 1));
  const count = Math.min(byFill.length, 1 + pick.below(MAX_EMPTIED));
  while (chosen.size < count) {
    const rank = Math.min(pick.below(byFill.length), pick.below(byFill.length));
    chosen.add(byFill[rank] ?? 0);
  }
  const emptiable = [...chosen].sort((a, b) => b - a);
  const freed: number[] = [];
  for (const i of emptiable) freed.push(...(bins.splice(i, 1)[0]?.items ?? []));
  if (!repack(problem, bins, freed, budget)) {
    if (budget.exhausted) return undefined;
    if (!openHostsFor(problem, bins, freed, budget)) return undefined;
  }
  const kept = bins.filter((b) => b.items.length > 0 || b.slot.kind === "forced");
  return {
    bins: kept.map(packedBin),
    activeHosts: problem.forced.length + kept.filter((b) => b.slot.kind === "class").length,
  };
}

/** First-fit decreasing of the VMs left on new hosts, the largest class first. */
function openHostsFor(
  problem: PackingProblem,
  bins: WorkBin[],
  freed: number[],
  budget: NodeBudget,
): boolean {
  const used = new Int32Array(problem.classes.length);
  for (const bin of bins) {
    if (bin.slot.kind === "class") used[bin.slot.index] = (used[bin.slot.index] ?? 0) + 1;
  }
  for (const t of [...freed].sort((a, b) => a - b)) {
    const type = problem.types[t];
    if (type === undefined) continue;
    let home = bins.find(
      (bin) =>
        bin.cpu + type.cpu <= bin.capacityCpu && bin.memory + type.memory <= bin.capacityMemory,
    );
    if (!budget.spend()) return false;
    if (home === undefined) {
      const c = problem.classes.findIndex(
        (hostClass, i) =>
          (used[i] ?? 0) < hostClass.hosts.length &&
          within(type.cpu, hostClass.cpu) &&
          within(type.memory, hostClass.memory),
      );
      if (c < 0) return false;
      used[c] = (used[c] ?? 0) + 1;
      home = workBins(problem, {
        bins: [{ slot: { kind: "class", index: c }, contents: [] }],
        activeHosts: 1,
      })[0];
      if (home === undefined) return false;
      bins.push(home);
    }
    home.items.push(t);
    recomputeLoad(problem, home);
  }
  freed.length = 0;
  return true;
}

interface WorkBin {
  readonly slot: BinSlot;
  readonly capacityCpu: number;
  readonly capacityMemory: number;
  /** Type indices of the free VMs in the host, decreasing size. */
  items: number[];
  /** Load of the pinned VMs, and load including them. */
  readonly pinnedCpu: number;
  readonly pinnedMemory: number;
  cpu: number;
  memory: number;
}

function workBins(problem: PackingProblem, packing: Packing): WorkBin[] {
  return packing.bins.map((bin) => {
    const { capacityCpu, capacityMemory, cpu, memory } = slotCapacity(problem, bin.slot);
    const items = bin.contents.flatMap(({ type, count }) => new Array<number>(count).fill(type));
    const work = {
      slot: bin.slot,
      capacityCpu,
      capacityMemory,
      items,
      pinnedCpu: cpu,
      pinnedMemory: memory,
      cpu,
      memory,
    };
    recomputeLoad(problem, work);
    return work;
  });
}

/** Load summed afresh from the items (no drift from adding and subtracting). */
function recomputeLoad(problem: PackingProblem, bin: WorkBin): void {
  bin.items.sort((a, b) => a - b);
  bin.cpu = bin.pinnedCpu;
  bin.memory = bin.pinnedMemory;
  for (const t of bin.items) {
    bin.cpu += problem.types[t]?.cpu ?? 0;
    bin.memory += problem.types[t]?.memory ?? 0;
  }
}

function slotCapacity(problem: PackingProblem, slot: BinSlot) {
  if (slot.kind === "forced") {
    const host = problem.forced[slot.index];
    return {
      capacityCpu: withSlack(host?.capacityCpu ?? 0),
      capacityMemory: withSlack(host?.capacityMemory ?? 0),
      cpu: host?.pinnedCpu ?? 0,
      memory: host?.pinnedMemory ?? 0,
    };
  }
  const hostClass = problem.classes[slot.index];
  return {
    capacityCpu: withSlack(hostClass?.cpu ?? 0),
    capacityMemory: withSlack(hostClass?.memory ?? 0),
    cpu: 0,
    memory: 0,
  };
}

function fillOf(bin: WorkBin): number {
  return fractionOf(bin.cpu, bin.capacityCpu) + fractionOf(bin.memory, bin.capacityMemory);
}

function packedBin(bin: WorkBin): PackedBin {
  const contents: TypeCount[] = [];
  for (const type of [...bin.items].sort((a, b) => a - b)) {
    const last = contents.at(-1);
    if (last?.type === type) contents[contents.length - 1] = { type, count: last.count + 1 };
    else contents.push({ type, count: 1 });
  }
  return { slot: bin.slot, contents };
}

/** Swaps and placements until every freed VM is placed (true) or nothing helps (false). */
function repack(
  problem: PackingProblem,
  bins: WorkBin[],
  freed: number[],
  budget: NodeBudget,
): boolean {
  for (;;) {
    if (!placeFreed(problem, bins, freed, budget)) return false;
    if (freed.length === 0) return true;
    let improved = false;
    for (const bin of bins) {
      if (budget.exhausted) return false;
      if (bestSwap(problem, bin, freed, budget)) improved = true;
    }
    if (!improved) return false;
  }
}

/** First fit of the freed VMs, largest first; false when out of budget. */
function placeFreed(
  problem: PackingProblem,
  bins: WorkBin[],
  freed: number[],
  budget: NodeBudget,
): boolean {
  freed.sort((a, b) => a - b);
  const left: number[] = [];
  for (const t of freed) {
    const type = problem.types[t];
    if (type === undefined) continue;
    let placed = false;
    for (const bin of bins) {
      if (!budget.spend()) return false;
      if (bin.cpu + type.cpu <= bin.capacityCpu && bin.memory + type.memory <= bin.capacityMemory) {
        bin.items.push(t);
        recomputeLoad(problem, bin);
        placed = true;
        break;
      }
    }
    if (!placed) left.push(t);
  }
  freed.splice(0, freed.length, ...left);
  return true;
}

/**
 * The swap of at most two of the host's VMs for one or two freed VMs that fills the host the most,
 * if it fills it more than now; applied in place. Pairs of equal types are tried once.
 */
function bestSwap(
  problem: PackingProblem,
  bin: WorkBin,
  freed: number[],
  budget: NodeBudget,
): boolean {
  const out = subsetsOfAtMostTwo(bin.items, true);
  const into = subsetsOfAtMostTwo(freed, false);
  const demand = (subset: readonly number[]) => {
    let cpu = 0;
    let memory = 0;
    for (const i of subset) {
      cpu += problem.types[i]?.cpu ?? 0;
      memory += problem.types[i]?.memory ?? 0;
    }
    return { cpu, memory };
  };
  const gainOf = (cpu: number, memory: number) =>
    fractionOf(cpu, bin.capacityCpu) + fractionOf(memory, bin.capacityMemory);
  let best: { out: readonly number[]; into: readonly number[]; gain: number } | undefined;
  const outDemands = out.map(demand);
  const intoDemands = into.map(demand);
  for (let o = 0; o < out.length; o++) {
    const removed = outDemands[o] ?? { cpu: 0, memory: 0 };
    const cpuAfterOut = bin.cpu - removed.cpu;
    const memoryAfterOut = bin.memory - removed.memory;
    for (let n = 0; n < into.length; n++) {
      if (!budget.spend()) return applySwap(problem, bin, freed, best);
      const added = intoDemands[n] ?? { cpu: 0, memory: 0 };
      if (cpuAfterOut + added.cpu > bin.capacityCpu) continue;
      if (memoryAfterOut + added.memory > bin.capacityMemory) continue;
      const gain = gainOf(added.cpu, added.memory) - gainOf(removed.cpu, removed.memory);
      if (gain > 1e-12 && (best === undefined || gain > best.gain)) {
        best = { out: out[o] ?? [], into: into[n] ?? [], gain };
      }
    }
  }
  return applySwap(problem, bin, freed, best);
}

function applySwap(
  problem: PackingProblem,
  bin: WorkBin,
  freed: number[],
  swap: { out: readonly number[]; into: readonly number[] } | undefined,
): boolean {
  if (swap === undefined) return false;
  for (const t of swap.out) {
    bin.items.splice(bin.items.indexOf(t), 1);
    freed.push(t);
  }
  for (const t of swap.into) {
    freed.splice(freed.indexOf(t), 1);
    bin.items.push(t);
  }
  recomputeLoad(problem, bin);
  freed.sort((a, b) => a - b);
  return true;
}

/**
 * The distinct sub-multisets of one or two items of a sorted list of types (and the empty one
 * when `withEmpty`): equal types give one subset, not one per copy.
 */
function subsetsOfAtMostTwo(items: readonly number[], withEmpty: boolean): number[][] {
  const subsets: number[][] = withEmpty ? [[]] : [];
  const sorted = [...items].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] ?? 0;
    if (i > 0 && sorted[i - 1] === a) continue;
    subsets.push([a]);
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j] ?? 0;
      if (j > i + 1 && sorted[j - 1] === b) continue;
      subsets.push([a, b]);
    }
  }
  return subsets;
}
