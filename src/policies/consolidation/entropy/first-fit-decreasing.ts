import { within } from "../capacity.js";
import type { Assignment, Configuration } from "../configuration.js";
import { currentAssignment } from "./assignment-metrics.js";
import {
  type BinSlot,
  type PackedBin,
  type Packing,
  type PackingProblem,
  type TypeCount,
  buildPackingProblem,
} from "./packing-problem.js";

/**
 * First-fit decreasing for two resources, the upper bound of the packing search.
 *
 * Sort key: decreasing size = max(cpu / largest host cpu, memory / largest host memory), the
 * share of a host the VM needs in its tighter resource; then decreasing cpu, decreasing memory,
 * increasing id. Host order: hosts with pinned VMs first (they are active anyway), by index in the
 * configuration; then the others by decreasing memory capacity, decreasing cpu capacity,
 * decreasing memory of the free VMs they hold now (so loaded hosts are kept), increasing id. Each
 * free VM goes to the first host where both its cpu and memory still fit (see `within`); pinned
 * VMs stay where they are. O(VMs x hosts), not counted in the search budget.
 */
export interface FirstFitDecreasingResult {
  /** Target of every VM; a VM that fits nowhere keeps its current host. */
  readonly assignment: Assignment;
  /** Hosts holding at least one VM (pinned or placed) in the assignment. */
  readonly activeHosts: number;
  /** False when some free VM fits on no host: the assignment is then not viable. */
  readonly placedAll: boolean;
}

export function firstFitDecreasing(configuration: Configuration): FirstFitDecreasingResult {
  const ffd = packFirstFitDecreasing(buildPackingProblem(configuration));
  return {
    assignment: ffd.assignment,
    activeHosts: ffd.packing?.activeHosts ?? ffd.usedHosts,
    placedAll: ffd.packing !== undefined,
  };
}

export interface ProblemFirstFit {
  readonly assignment: Assignment;
  /** The same placement by type, or undefined when some VM fits nowhere. */
  readonly packing: Packing | undefined;
  /** Hosts used, forced ones included, even when not every VM was placed. */
  readonly usedHosts: number;
}

/** First-fit decreasing on a packing problem (see `firstFitDecreasing` for the orders). */
export function packFirstFitDecreasing(problem: PackingProblem): ProblemFirstFit {
  const { configuration, forced, classes, types } = problem;
  const slots: { host: number; slot: BinSlot }[] = [
    ...forced.map((f, index) => ({ host: f.host, slot: { kind: "forced", index } as const })),
    ...classes.flatMap((c, index) =>
      c.hosts.map((host) => ({ host, slot: { kind: "class", index } as const })),
    ),
  ];
  const cpu = new Float64Array(slots.length);
  const memory = new Float64Array(slots.length);
  forced.forEach((f, i) => {
    cpu[i] = f.pinnedCpu;
    memory[i] = f.pinnedMemory;
  });
  const capacity = slots.map(({ host }) => configuration.hosts[host] ?? { cpu: 0, memory: 0 });
  const contents: TypeCount[][] = slots.map(() => []);
  const assignment = currentAssignment(configuration);
  let placedAll = true;
  for (let t = 0; t < types.length; t++) {
    const type = types[t];
    if (type === undefined) continue;
    for (const vm of type.vms) {
      let at = 0;
      for (; at < slots.length; at++) {
        const cap = capacity[at] ?? { cpu: 0, memory: 0 };
        if (
          within((cpu[at] ?? 0) + type.cpu, cap.cpu) &&
          within((memory[at] ?? 0) + type.memory, cap.memory)
        )
          break;
      }
      const bin = contents[at];
      if (bin === undefined) {
        placedAll = false;
        continue;
      }
      cpu[at] = (cpu[at] ?? 0) + type.cpu;
      memory[at] = (memory[at] ?? 0) + type.memory;
      assignment[vm] = configuration.hosts[slots[at]?.host ?? -1]?.id;
      const last = bin.at(-1);
      if (last?.type === t) bin[bin.length - 1] = { type: t, count: last.count + 1 };
      else bin.push({ type: t, count: 1 });
    }
  }
  const bins: PackedBin[] = slots.flatMap(({ slot }, i) => {
    const binContents = contents[i] ?? [];
    return binContents.length > 0 ? [{ slot, contents: binContents }] : [];
  });
  const usedHosts = forced.length + bins.filter((bin) => bin.slot.kind === "class").length;
  return {
    assignment,
    packing: placedAll ? { bins, activeHosts: usedHosts } : undefined,
    usedHosts,
  };
}
