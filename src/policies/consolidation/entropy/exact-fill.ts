import type { SearchOutcome } from "./bin-completion.js";
import type { NodeBudget } from "./node-budget.js";
import type { PackedBin, Packing, PackingProblem, TypeCount } from "./packing-problem.js";

/**
 * The resource in which every host must be filled exactly at `target` hosts, when the problem is
 * one-dimensional in it: identical hosts, no pinned VM, no VM demanding the other resource, integer
 * demands (so sums are exact) and a total demand of exactly `target` hosts' capacity. This is
 * Falkenauer's triplets at their lower bound: then no host may waste anything, and the search of
 * `searchExactFill` applies. Undefined otherwise.
 */
export function exactFillResource(
  problem: PackingProblem,
  target: number,
): "cpu" | "memory" | undefined {
  const { classes, forced, types } = problem;
  const only = classes[0];
  if (classes.length !== 1 || only === undefined || forced.length > 0 || types.length === 0) {
    return undefined;
  }
  if (only.hosts.length < target) return undefined;
  const exact = (resource: "cpu" | "memory", other: "cpu" | "memory"): boolean => {
    const capacity = only[resource];
    if (!Number.isSafeInteger(capacity) || capacity <= 0) return false;
    let total = 0;
    for (const type of types) {
      const demand = type[resource];
      if (type[other] !== 0 || !Number.isSafeInteger(demand) || demand <= 0) return false;
      total += demand * type.vms.length;
    }
    return Number.isSafeInteger(total) && total === target * capacity;
  };
  if (exact("memory", "cpu")) return "memory";
  if (exact("cpu", "memory")) return "cpu";
  return undefined;
}

/**
 * Whether the VMs can fill hosts exactly (as many as their total demand over a host's capacity),
 * in a problem and resource that `exactFillResource` gives for that target. With no waste allowed, a host's completions are the multisets of VMs left that sum to
 * its room exactly: there are few, so they are all listed (no truncation, unlike bin completion,
 * whose list of the fullest completions can miss every exact one).
 *
 * Each host is opened with the VM that has the fewest completions (fail first; ties: the largest,
 * the first type): one with none proves the branch dead, one with a single completion is placed
 * without branching. Counting stops at the count to beat, which keeps choosing cheap. Equal VMs
 * are one type: the search chooses how many of a type, never which.
 *
 * The tree is searched by limited discrepancy (Harvey & Ginsberg 1995): pass k allows at most k
 * choices other than the first completion on the way down, so that an early wrong choice (the usual
 * failure of depth-first search on large instances) is undone cheaply. The last pass allows any
 * number, and is exhaustive: its failure proves that no exact packing exists.
 */
export function searchExactFill(
  problem: PackingProblem,
  resource: "cpu" | "memory",
  budget: NodeBudget,
): ExactFillResult {
  const search = new ExactFill(problem, resource, budget);
  for (let discrepancies = 0; ; discrepancies++) {
    const exhaustive = discrepancies >= MAX_DISCREPANCIES;
    search.reset(exhaustive ? Infinity : discrepancies);
    if (search.solve()) {
      const packing = search.packing(search.bins);
      return { outcome: { kind: "found", packing }, closest: packing };
    }
    if (search.aborted || exhaustive || !search.cutByDiscrepancy) {
      return {
        outcome: search.aborted ? { kind: "incomplete" } : { kind: "infeasible" },
        closest: search.packing(search.deepest),
      };
    }
  }
}

export interface ExactFillResult {
  readonly outcome: SearchOutcome;
  /**
   * A packing of every VM: the most hosts filled exactly on any path of the search, the VMs left
   * first-fit decreasing on more hosts. Its waste is on those few hosts, where the local searches
   * (`repackSubsets`) can remove it, rather than spread as first-fit decreasing spreads it.
   */
  readonly closest: Packing;
}

/** Passes with a bounded number of discrepancies before the unbounded one. */
const MAX_DISCREPANCIES = 3;

class ExactFill {
  aborted = false;
  /** The current pass skipped a branch because it had used its discrepancies. */
  cutByDiscrepancy = false;
  private readonly typeCount: number;
  private readonly counts: Int32Array;
  /** Demand in the resource filled, by type: strictly decreasing (types are distinct). */
  private readonly demand: Float64Array;
  private readonly capacity: number;
  private readonly smallest: number;
  private remainingItems = 0;
  private allowed = 0;
  readonly bins: PackedBin[] = [];
  /** The most hosts filled exactly so far, on any path of any pass. */
  deepest: PackedBin[] = [];
  /** Types picked so far for the completion being listed (with repeats). */
  private readonly picked: number[] = [];

  constructor(
    private readonly problem: PackingProblem,
    resource: "cpu" | "memory",
    private readonly budget: NodeBudget,
  ) {
    const { types, classes } = problem;
    this.typeCount = types.length;
    this.counts = Int32Array.from(types, (t) => t.vms.length);
    this.demand = Float64Array.from(types, (t) => t[resource]);
    this.capacity = classes[0]?.[resource] ?? 0;
    this.smallest = types.reduce((min, t) => Math.min(min, t[resource]), Infinity);
  }

  reset(allowed: number): void {
    this.counts.set(this.problem.types.map((t) => t.vms.length));
    this.remainingItems = this.problem.types.reduce((sum, t) => sum + t.vms.length, 0);
    this.bins.length = 0;
    this.allowed = allowed;
    this.cutByDiscrepancy = false;
  }

  /** `exact` hosts, plus the VMs they leave first-fit decreasing on new hosts. */
  packing(exact: readonly PackedBin[]): Packing {
    const left = Int32Array.from(this.problem.types, (t) => t.vms.length);
    for (const bin of exact) {
      for (const { type, count } of bin.contents) left[type] = (left[type] ?? 0) - count;
    }
    const extra: { load: number; items: number[] }[] = [];
    for (let t = 0; t < this.typeCount; t++) {
      const demand = this.demand[t] ?? 0;
      for (let q = 0; q < (left[t] ?? 0); q++) {
        const home = extra.find((bin) => bin.load + demand <= this.capacity);
        if (home === undefined) extra.push({ load: demand, items: [t] });
        else {
          home.load += demand;
          home.items.push(t);
        }
      }
    }
    const bins = [
      ...exact,
      ...extra.map((bin): PackedBin => ({
        slot: { kind: "class", index: 0 },
        contents: typeCounts(bin.items),
      })),
    ];
    return { bins, activeHosts: bins.length };
  }

  /** Fills hosts until no VM is left; `allowed` discrepancies may still be taken. */
  solve(): boolean {
    if (this.remainingItems === 0) return true;
    // The types left, so that listing skips the used up ones (one node each to gather).
    if (!this.budget.spend(this.typeCount)) {
      this.aborted = true;
      return false;
    }
    const live = Int32Array.from(this.liveTypes());
    let anchor = -1;
    let fewest = Infinity;
    for (const t of live) {
      if (fewest === 0) break;
      const found = this.withAnchor(t, () =>
        this.fill(live, 0, this.capacity - (this.demand[t] ?? 0), fewest, undefined),
      );
      if (this.aborted) return false;
      if (found < fewest) {
        fewest = found;
        anchor = t;
      }
    }
    if (anchor < 0 || fewest === 0) return false;
    const completions: number[][] = [];
    this.withAnchor(anchor, () =>
      this.fill(live, 0, this.capacity - (this.demand[anchor] ?? 0), Infinity, completions),
    );
    if (this.aborted) return false;
    for (let c = 0; c < completions.length; c++) {
      if (c > 0 && this.allowed <= 0) {
        this.cutByDiscrepancy = true;
        return false;
      }
      const items = [anchor, ...(completions[c] ?? [])];
      if (c > 0) this.allowed--;
      for (const t of items) this.counts[t] = (this.counts[t] ?? 0) - 1;
      this.remainingItems -= items.length;
      this.bins.push({ slot: { kind: "class", index: 0 }, contents: typeCounts(items) });
      if (this.bins.length > this.deepest.length) this.deepest = [...this.bins];
      const done = this.solve();
      if (done) return true;
      this.bins.pop();
      this.remainingItems += items.length;
      for (const t of items) this.counts[t] = (this.counts[t] ?? 0) + 1;
      if (c > 0) this.allowed++;
      if (this.outOfBudget()) return false;
    }
    return false;
  }

  /** (A method, not the field: the search below may have set it since the last look.) */
  private outOfBudget(): boolean {
    return this.aborted;
  }

  /** Runs `action` with one VM of type `anchor` taken out. */
  private withAnchor(anchor: number, action: () => number): number {
    this.counts[anchor] = (this.counts[anchor] ?? 0) - 1;
    const result = action();
    this.counts[anchor] = (this.counts[anchor] ?? 0) + 1;
    return result;
  }

  private *liveTypes(): Generator<number> {
    for (let t = 0; t < this.typeCount; t++) if ((this.counts[t] ?? 0) > 0) yield t;
  }

  /**
   * Counts the multisets of VMs left, of types `live[from]` onwards, that sum to `residual`
   * exactly; stops at `limit`. Each is appended to `sink` (types in increasing order) when given.
   * One node per type examined.
   */
  private fill(
    live: Int32Array,
    from: number,
    residual: number,
    limit: number,
    sink: number[][] | undefined,
  ): number {
    if (residual === 0) {
      sink?.push([...this.picked]);
      return 1;
    }
    // No more than residual / smallest VMs fit in the residual.
    const most = Math.floor(residual / this.smallest);
    if (most === 1) return this.fillWithOne(live, from, residual, sink);
    let found = 0;
    for (let k = Math.max(from, this.firstAtMost(live, residual)); k < live.length; k++) {
      if (!this.budget.spend()) {
        this.aborted = true;
        return found;
      }
      const j = live[k] ?? 0;
      const demand = this.demand[j] ?? 0;
      // Demands decrease from k on: if even `most` of this one fall short, so does everything.
      if (demand * most < residual) break;
      if ((this.counts[j] ?? 0) === 0) continue;
      this.counts[j] = (this.counts[j] ?? 0) - 1;
      this.picked.push(j);
      found += this.fill(live, k, residual - demand, limit - found, sink);
      this.picked.pop();
      this.counts[j] = (this.counts[j] ?? 0) + 1;
      if (found >= limit || this.aborted) return found;
    }
    return found;
  }

  /** `fill` when only one more VM fits: the one whose demand is the residual, if any (a node). */
  private fillWithOne(
    live: Int32Array,
    from: number,
    residual: number,
    sink: number[][] | undefined,
  ): number {
    if (!this.budget.spend()) {
      this.aborted = true;
      return 0;
    }
    const k = Math.max(from, this.firstAtMost(live, residual));
    const j = live[k] ?? -1;
    if (j < 0 || this.demand[j] !== residual || (this.counts[j] ?? 0) === 0) return 0;
    sink?.push([...this.picked, j]);
    return 1;
  }

  /** First position in `live` whose type's demand is at most `value` (demands decrease). */
  private firstAtMost(live: Int32Array, value: number): number {
    let low = 0;
    let high = live.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.demand[live[mid] ?? 0] ?? 0) <= value) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/** Types (with repeats) as counts by increasing type. */
function typeCounts(items: readonly number[]): TypeCount[] {
  const contents: TypeCount[] = [];
  for (const type of [...items].sort((a, b) => a - b)) {
    const last = contents.at(-1);
    if (last?.type === type) contents[contents.length - 1] = { type, count: last.count + 1 };
    else contents.push({ type, count: 1 });
  }
  return contents;
}
