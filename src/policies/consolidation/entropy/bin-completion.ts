import { within, withSlack } from "../capacity.js";
import { martelloTothL2Grouped } from "./lower-bounds.js";
import type { NodeBudget } from "./node-budget.js";
import {
  type BinSlot,
  type PackedBin,
  type Packing,
  type PackingProblem,
  type TypeCount,
  fractionOf,
} from "./packing-problem.js";

/**
 * Bin completion (Korf 2002, "A new algorithm for optimal bin packing"; 2003, "An improved
 * algorithm..."): is there a packing of the free VMs with at most `target` active hosts?
 *
 * The search fills one host at a time. Hosts with pinned VMs come first (they are active anyway);
 * then each new host is opened with the largest VM left (it has to go somewhere, and the largest
 * has the fewest places), on each class of identical hosts in turn (the hosts of a class are
 * interchangeable: symmetry breaking). For a host, the search lists its completions, the sets of
 * VMs left that fit with it, and tries them fullest first (so the first descent is Gupta and Ho's
 * minimum bin slack heuristic, with the largest VM in each bin). Pruning:
 * - capacity: after this host, the VMs left must fit in the room of the forced hosts to come plus
 *   the largest hosts that may still be opened (`target` minus the active ones). So the host must
 *   take at least `need` of each resource: Korf's waste bound, generalised to classes and two
 *   resources. On identical hosts, Martello–Toth L2 of the VMs left is checked at each new host.
 * - dominance: a completion to which another VM left could be added is never needed (moving that
 *   VM here cannot hurt); nor one where one or two of its VMs could be swapped for an excluded one
 *   at least as large as them together in both resources (Martello–Toth dominance).
 * - fail first: when the room left is less than the smallest VM (every host must be filled
 *   exactly, as in Falkenauer's triplets), a new host is opened with the VM that has the fewest
 *   completions, not the largest: one with none prunes the node, one with a single completion is
 *   placed without branching.
 * - equal VMs are one type: the search chooses how many of a type, never which.
 * A host keeps only its MAX_COMPLETIONS fullest completions (a branch and bound on fill finds
 * them), and its enumeration stops after a share of nodes proportional to the number of types once
 * it has one: either way the search is no longer exhaustive, and its failure proves nothing
 * ("incomplete").
 */
export type SearchOutcome =
  | { readonly kind: "found"; readonly packing: Packing }
  /** Exhausted without a packing: none exists with `target` hosts. */
  | { readonly kind: "infeasible" }
  /** Out of budget, or enumerations were cut short: nothing proven. */
  | { readonly kind: "incomplete" };

/** The fullest completions of a host that are kept and tried. */
const MAX_COMPLETIONS = 128;
/** Once a host has a completion, its enumeration may go on for this many nodes per item type. */
const HOST_NODES_PER_TYPE = 4;
/** ...and at least this many. */
const MIN_HOST_NODES = 4096;

export function searchPacking(
  problem: PackingProblem,
  target: number,
  budget: NodeBudget,
): SearchOutcome {
  const search = new BinCompletion(problem, target, budget);
  if (search.solve(0, 0, 0)) return { kind: "found", packing: search.packing() };
  return search.aborted || search.truncated ? { kind: "incomplete" } : { kind: "infeasible" };
}

interface Completion {
  readonly contents: TypeCount[];
  readonly addedCpu: number;
  readonly addedMemory: number;
  readonly items: number;
  /** Fraction of the host's cpu plus fraction of its memory that the completion fills. */
  readonly fill: number;
}

/** One host being completed. */
interface HostContext {
  readonly capacityCpu: number;
  readonly capacityMemory: number;
  /** Least CPU and memory the completion must add for the target to remain reachable. */
  readonly needCpu: number;
  readonly needMemory: number;
  readonly chosenStart: number;
  /** Where the chosen VMs that a swap may take out start (after the one that opened the host). */
  readonly swappableStart: number;
  readonly excludedStart: number;
  /** Node count past which the enumeration stops once it has a completion. */
  readonly nodeLimit: number;
  /** The fullest completions found so far, fullest first (ties: first found first, as inserted). */
  readonly completions: Completion[];
  /** Stop once this many completions are found (the caller only needs to know there are that many). */
  readonly stopAt: number;
  stopped: boolean;
}

class BinCompletion {
  aborted = false;
  truncated = false;
  private readonly typeCount: number;
  private readonly counts: Int32Array;
  private readonly cpu: Float64Array;
  private readonly memory: Float64Array;
  private readonly size: Float64Array;
  /** Type indices by increasing cpu, and by increasing memory. */
  private readonly increasingCpu: Int32Array;
  private readonly increasingMemory: Int32Array;
  /** The smallest demands of any VM: no more than gap / smallest VMs fit in a gap. */
  private readonly smallestCpu: number;
  private readonly smallestMemory: number;
  private remainingCpu = 0;
  private remainingMemory = 0;
  private remainingItems = 0;
  /** Unopened hosts per class. */
  private readonly available: Int32Array;
  private readonly classesByCpu: number[];
  private readonly classesByMemory: number[];
  /** Room (capacity - pinned load) of forced hosts f.. : roomAfterCpu[f]. */
  private readonly roomAfterCpu: Float64Array;
  private readonly roomAfterMemory: Float64Array;
  /** Type indices (and counts) of the host being completed, in pairs; and excluded types. */
  private readonly chosen: number[] = [];
  private readonly excluded: number[] = [];
  private readonly bins: PackedBin[] = [];

  constructor(
    private readonly problem: PackingProblem,
    private readonly target: number,
    private readonly budget: NodeBudget,
  ) {
    const { types, classes, forced } = problem;
    this.typeCount = types.length;
    this.counts = Int32Array.from(types, (t) => t.vms.length);
    this.cpu = Float64Array.from(types, (t) => t.cpu);
    this.memory = Float64Array.from(types, (t) => t.memory);
    this.size = Float64Array.from(types, (t) => t.size);
    const byDemand = (demand: Float64Array) =>
      Int32Array.from(types, (_, i) => i).sort(
        (a, b) => (demand[a] ?? 0) - (demand[b] ?? 0) || a - b,
      );
    this.increasingCpu = byDemand(this.cpu);
    this.increasingMemory = byDemand(this.memory);
    this.smallestCpu = types.reduce((min, t) => Math.min(min, t.cpu), Infinity);
    this.smallestMemory = types.reduce((min, t) => Math.min(min, t.memory), Infinity);
    for (const type of types) {
      this.remainingCpu += type.cpu * type.vms.length;
      this.remainingMemory += type.memory * type.vms.length;
      this.remainingItems += type.vms.length;
    }
    this.available = Int32Array.from(classes, (c) => c.hosts.length);
    const order = classes.map((_, i) => i);
    const cap = (i: number) => classes[i] ?? { cpu: 0, memory: 0 };
    this.classesByCpu = [...order].sort((a, b) => cap(b).cpu - cap(a).cpu || a - b);
    this.classesByMemory = [...order].sort((a, b) => cap(b).memory - cap(a).memory || a - b);
    this.roomAfterCpu = new Float64Array(forced.length + 1);
    this.roomAfterMemory = new Float64Array(forced.length + 1);
    for (let f = forced.length - 1; f >= 0; f--) {
      const host = forced[f];
      if (host === undefined) continue;
      this.roomAfterCpu[f] =
        (this.roomAfterCpu[f + 1] ?? 0) + Math.max(0, withSlack(host.capacityCpu) - host.pinnedCpu);
      this.roomAfterMemory[f] =
        (this.roomAfterMemory[f + 1] ?? 0) +
        Math.max(0, withSlack(host.capacityMemory) - host.pinnedMemory);
    }
  }

  /** (A method, not the field: the search below may have set it since the last look.) */
  private outOfBudget(): boolean {
    return this.aborted;
  }

  packing(): Packing {
    const classBins = this.bins.filter((bin) => bin.slot.kind === "class").length;
    return { bins: [...this.bins], activeHosts: this.problem.forced.length + classBins };
  }

  /**
   * Completes forced host `forcedDone` onwards, or opens a new host when they are all done.
   * `opened` free hosts are active so far; types before `anchorFrom` are all placed.
   */
  solve(forcedDone: number, opened: number, anchorFrom: number): boolean {
    if (this.remainingItems === 0) return true;
    const { forced, classes } = this.problem;
    const host = forced[forcedDone];
    if (host !== undefined) {
      const completions = this.completionsOf(
        withSlack(host.capacityCpu),
        withSlack(host.capacityMemory),
        host.pinnedCpu,
        host.pinnedMemory,
        -1,
        0,
        forcedDone + 1,
        opened,
      );
      const slot: BinSlot = { kind: "forced", index: forcedDone };
      return this.descend(slot, completions, forcedDone + 1, opened, anchorFrom);
    }
    if (forced.length + opened >= this.target) return false;
    if (forced.length + opened + this.remainingLowerBound() > this.target) return false;
    let anchor = anchorFrom;
    while (anchor < this.typeCount && this.counts[anchor] === 0) anchor++;
    const only = classes[0];
    if (classes.length === 1 && only !== undefined && this.isTight(forcedDone, opened)) {
      return this.openMostConstrained(only, forcedDone, opened, anchor);
    }
    const anchorCpu = this.cpu[anchor] ?? 0;
    const anchorMemory = this.memory[anchor] ?? 0;
    for (let c = 0; c < classes.length; c++) {
      const hostClass = classes[c];
      if (hostClass === undefined || (this.available[c] ?? 0) === 0) continue;
      if (!within(anchorCpu, hostClass.cpu) || !within(anchorMemory, hostClass.memory)) continue;
      const slot: BinSlot = { kind: "class", index: c };
      this.available[c] = (this.available[c] ?? 0) - 1;
      const completions = this.completionsOf(
        withSlack(hostClass.cpu),
        withSlack(hostClass.memory),
        0,
        0,
        anchor,
        anchor,
        forcedDone,
        opened + 1,
      );
      const found = this.descend(slot, completions, forcedDone, opened + 1, anchor);
      this.available[c] = (this.available[c] ?? 0) + 1;
      if (found || this.aborted) return found;
    }
    return false;
  }

  /**
   * Whether the hosts must be filled (almost) exactly: in some resource, the room left beyond the
   * demand is less than the smallest VM. Falkenauer's triplets are so from the start.
   */
  private isTight(forcedDone: number, opened: number): boolean {
    const mayOpen = this.target - this.problem.forced.length - opened;
    const slackCpu =
      (this.roomAfterCpu[forcedDone] ?? 0) +
      this.largestRoom(mayOpen, this.classesByCpu, "cpu") -
      this.remainingCpu;
    const slackMemory =
      (this.roomAfterMemory[forcedDone] ?? 0) +
      this.largestRoom(mayOpen, this.classesByMemory, "memory") -
      this.remainingMemory;
    return (
      (this.smallestCpu > 0 && slackCpu < this.smallestCpu) ||
      (this.smallestMemory > 0 && slackMemory < this.smallestMemory)
    );
  }

  /**
   * Fail first: when hosts must be filled exactly, open the next host with the VM that has the
   * fewest completions (ties: the largest), rather than the largest. A VM with none proves the
   * target unreachable at once; one with a single completion is placed without branching. Any VM
   * may open the host (every VM is in some host), so the search stays complete.
   */
  private openMostConstrained(
    hostClass: { readonly cpu: number; readonly memory: number },
    forcedDone: number,
    opened: number,
    anchorFrom: number,
  ): boolean {
    const free = this.available[0] ?? 0;
    if (free === 0) return false;
    this.available[0] = free - 1;
    let fewest: Completion[] | undefined;
    for (let t = anchorFrom; t < this.typeCount; t++) {
      if ((this.counts[t] ?? 0) === 0) continue;
      const completions = this.completionsOf(
        withSlack(hostClass.cpu),
        withSlack(hostClass.memory),
        0,
        0,
        t,
        anchorFrom,
        forcedDone,
        opened + 1,
        fewest?.length ?? Infinity,
      );
      if (this.aborted) break;
      if (fewest === undefined || completions.length < fewest.length) fewest = completions;
      if (fewest.length <= 1) break;
    }
    const found = this.descend(
      { kind: "class", index: 0 },
      fewest ?? [],
      forcedDone,
      opened + 1,
      anchorFrom,
    );
    this.available[0] = free;
    return found;
  }

  /**
   * On identical hosts, Martello–Toth L2 of the VMs left, per resource (O(types log types),
   * counted as that many nodes); 0 otherwise (the capacity bound of `completeHost` still holds).
   */
  private remainingLowerBound(): number {
    const only = this.problem.classes[0];
    if (this.problem.classes.length !== 1 || only === undefined) return 0;
    this.budget.spend(this.typeCount);
    const bound = (order: Int32Array, demand: Float64Array, capacity: number): number => {
      const sizes = new Float64Array(order.length);
      const counts = new Float64Array(order.length);
      order.forEach((t, i) => {
        sizes[i] = demand[t] ?? 0;
        counts[i] = this.counts[t] ?? 0;
      });
      return martelloTothL2Grouped(sizes, counts, capacity);
    };
    return Math.max(
      bound(this.increasingCpu, this.cpu, withSlack(only.cpu)),
      bound(this.increasingMemory, this.memory, withSlack(only.memory)),
    );
  }

  /** Sum of the `count` largest capacities of unopened hosts, in one resource. */
  private largestRoom(count: number, byResource: readonly number[], resource: "cpu" | "memory") {
    let room = 0;
    let left = count;
    for (const c of byResource) {
      if (left <= 0) break;
      const take = Math.min(left, this.available[c] ?? 0);
      room += take * (this.problem.classes[c]?.[resource] ?? 0);
      left -= take;
    }
    return room;
  }

  /**
   * The completions of a host with this capacity and pinned load, holding one VM of type `anchor`
   * (none when -1), fullest first; types before `from` are all placed. `nextForced` and `opened`
   * describe the search once this host is done, for the capacity bound. Empty when pruned.
   */
  private completionsOf(
    capacityCpu: number,
    capacityMemory: number,
    pinnedCpu: number,
    pinnedMemory: number,
    anchor: number,
    from: number,
    nextForced: number,
    opened: number,
    stopAt = Infinity,
  ): Completion[] {
    const mayOpen = this.target - this.problem.forced.length - opened;
    if (mayOpen < 0) return [];
    const needCpu =
      this.remainingCpu -
      (this.roomAfterCpu[nextForced] ?? 0) -
      this.largestRoom(mayOpen, this.classesByCpu, "cpu");
    const needMemory =
      this.remainingMemory -
      (this.roomAfterMemory[nextForced] ?? 0) -
      this.largestRoom(mayOpen, this.classesByMemory, "memory");
    if (needCpu > capacityCpu - pinnedCpu || needMemory > capacityMemory - pinnedMemory) {
      return [];
    }
    const host: HostContext = {
      capacityCpu,
      capacityMemory,
      needCpu,
      needMemory,
      chosenStart: this.chosen.length,
      swappableStart: this.chosen.length + (anchor >= 0 ? 2 : 0),
      excludedStart: this.excluded.length,
      nodeLimit: this.budget.nodes + Math.max(MIN_HOST_NODES, HOST_NODES_PER_TYPE * this.typeCount),
      completions: [],
      stopAt,
      stopped: false,
    };
    if (anchor >= 0) {
      const cpu = this.cpu[anchor] ?? 0;
      const memory = this.memory[anchor] ?? 0;
      this.counts[anchor] = (this.counts[anchor] ?? 0) - 1;
      this.chosen.push(anchor, 1);
      this.enumerate(host, from, pinnedCpu + cpu, pinnedMemory + memory, cpu, memory, 1);
      this.chosen.length -= 2;
      this.counts[anchor] = (this.counts[anchor] ?? 0) + 1;
    } else {
      this.enumerate(host, from, pinnedCpu, pinnedMemory, 0, 0, 0);
    }
    return host.completions;
  }

  /** Tries each completion in turn on `slot`, and the rest of the search below it. */
  private descend(
    slot: BinSlot,
    completions: readonly Completion[],
    nextForced: number,
    opened: number,
    anchorFrom: number,
  ): boolean {
    if (this.aborted) return false;
    for (const completion of completions) {
      const saved = [this.remainingCpu, this.remainingMemory, this.remainingItems] as const;
      for (const { type, count } of completion.contents) {
        this.counts[type] = (this.counts[type] ?? 0) - count;
      }
      this.remainingCpu -= completion.addedCpu;
      this.remainingMemory -= completion.addedMemory;
      this.remainingItems -= completion.items;
      this.bins.push({ slot, contents: completion.contents });
      if (this.solve(nextForced, opened, anchorFrom)) return true;
      this.bins.pop();
      [this.remainingCpu, this.remainingMemory, this.remainingItems] = saved;
      for (const { type, count } of completion.contents) {
        this.counts[type] = (this.counts[type] ?? 0) + count;
      }
      if (this.outOfBudget()) return false;
    }
    return false;
  }

  /** First type index whose size is at most `size` (types are by decreasing size). */
  private firstTypeAtMost(size: number): number {
    // Sizes are quotients: allow for their rounding, so that no type that fits is skipped.
    const limit = size * (1 + 1e-9);
    let low = 0;
    let high = this.typeCount;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.size[mid] ?? 0) <= limit) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** At most how many more VMs fit in a gap, from the smallest demands. */
  private mostItemsIn(gapCpu: number, gapMemory: number): number {
    let most = Infinity;
    if (this.smallestCpu > 0) most = Math.min(most, Math.floor(gapCpu / this.smallestCpu));
    if (this.smallestMemory > 0) most = Math.min(most, Math.floor(gapMemory / this.smallestMemory));
    return most;
  }

  /**
   * Lists the completions of `host` that decide types `from` onwards, given what is in it so far
   * (`fill*`, of which `added*` and `items` are free VMs). Tries as many VMs of a type as fit
   * first, down to none.
   */
  private enumerate(
    host: HostContext,
    from: number,
    fillCpu: number,
    fillMemory: number,
    addedCpu: number,
    addedMemory: number,
    items: number,
  ): void {
    const { capacityCpu, capacityMemory } = host;
    const { cpuScale, memoryScale } = this.problem;
    const gapCpu = capacityCpu - fillCpu;
    const gapMemory = capacityMemory - fillMemory;
    let j = Math.max(
      from,
      this.firstTypeAtMost(
        Math.max(fractionOf(gapCpu, cpuScale), fractionOf(gapMemory, memoryScale)),
      ),
    );
    for (; j < this.typeCount; j++) {
      if (!this.budget.spend()) {
        this.aborted = true;
        return;
      }
      if (
        (this.counts[j] ?? 0) > 0 &&
        fillCpu + (this.cpu[j] ?? 0) <= capacityCpu &&
        fillMemory + (this.memory[j] ?? 0) <= capacityMemory
      ) {
        break;
      }
    }
    if (j >= this.typeCount) {
      this.completeWith(host, fillCpu, fillMemory, addedCpu, addedMemory, items);
      return;
    }
    // Every VM still to decide is at most size[j] of a host in each resource: if even the most
    // that fit cannot bring the host to its need, no completion is down this way.
    const most = this.mostItemsIn(gapCpu, gapMemory);
    // (Rounded up a little: sizes are quotients, and the bound must never cut an exact fill.)
    const reach = most * (this.size[j] ?? 0) * (1 + 1e-9);
    const reachCpu = Number.isFinite(reach) ? Math.min(gapCpu, reach * cpuScale) : gapCpu;
    const reachMemory = Number.isFinite(reach)
      ? Math.min(gapMemory, reach * memoryScale)
      : gapMemory;
    if (addedCpu + reachCpu < host.needCpu || addedMemory + reachMemory < host.needMemory) return;
    // Nor if it cannot beat the least full of a full list of completions.
    const kept = host.completions;
    const worst = kept.length >= MAX_COMPLETIONS ? kept[kept.length - 1] : undefined;
    if (
      worst !== undefined &&
      fractionOf(addedCpu + reachCpu, capacityCpu) +
        fractionOf(addedMemory + reachMemory, capacityMemory) <=
        worst.fill
    ) {
      this.truncated = true;
      return;
    }

    const cpu = this.cpu[j] ?? 0;
    const memory = this.memory[j] ?? 0;
    const left = this.counts[j] ?? 0;
    const fills = [{ fillCpu, fillMemory, addedCpu, addedMemory }];
    for (let q = 0; q < left; q++) {
      const last = fills[q] ?? { fillCpu, fillMemory, addedCpu, addedMemory };
      if (last.fillCpu + cpu > capacityCpu || last.fillMemory + memory > capacityMemory) break;
      fills.push({
        fillCpu: last.fillCpu + cpu,
        fillMemory: last.fillMemory + memory,
        addedCpu: last.addedCpu + cpu,
        addedMemory: last.addedMemory + memory,
      });
    }
    for (let q = fills.length - 1; q >= 0; q--) {
      const at = fills[q] ?? { fillCpu, fillMemory, addedCpu, addedMemory };
      const excluding = q < left;
      if (q > 0) this.chosen.push(j, q);
      if (excluding) this.excluded.push(j);
      this.counts[j] = left - q;
      this.enumerate(
        host,
        j + 1,
        at.fillCpu,
        at.fillMemory,
        at.addedCpu,
        at.addedMemory,
        items + q,
      );
      this.counts[j] = left;
      if (excluding) this.excluded.pop();
      if (q > 0) this.chosen.length -= 2;
      if (host.stopped || this.aborted) return;
    }
  }

  /**
   * Whether replacing one VM of type l (and one of type m, if m >= 0) by one of the excluded type
   * e still fits, e being at least as large as them together in both resources: then the
   * completion is dominated (Martello–Toth), since the swapped VMs fit wherever e would go.
   */
  private swapFits(
    e: number,
    l: number,
    m: number,
    fillCpu: number,
    fillMemory: number,
    capacityCpu: number,
    capacityMemory: number,
  ): boolean {
    if (l === e || m === e) return false;
    const outCpu = (this.cpu[l] ?? 0) + (m >= 0 ? (this.cpu[m] ?? 0) : 0);
    const outMemory = (this.memory[l] ?? 0) + (m >= 0 ? (this.memory[m] ?? 0) : 0);
    const inCpu = this.cpu[e] ?? 0;
    const inMemory = this.memory[e] ?? 0;
    return (
      inCpu >= outCpu &&
      inMemory >= outMemory &&
      fillCpu - outCpu + inCpu <= capacityCpu &&
      fillMemory - outMemory + inMemory <= capacityMemory
    );
  }

  /** A leaf of the enumeration: keeps the completion unless it is short or dominated. */
  private completeWith(
    host: HostContext,
    fillCpu: number,
    fillMemory: number,
    addedCpu: number,
    addedMemory: number,
    items: number,
  ): void {
    if (!this.budget.spend()) {
      this.aborted = true;
      return;
    }
    if (addedCpu < host.needCpu || addedMemory < host.needMemory) return;
    const { capacityCpu, capacityMemory } = host;
    for (let x = host.excludedStart; x < this.excluded.length; x++) {
      const e = this.excluded[x] ?? 0;
      const cpuE = this.cpu[e] ?? 0;
      const memoryE = this.memory[e] ?? 0;
      // Not maximal: one more VM of type e fits.
      if (fillCpu + cpuE <= capacityCpu && fillMemory + memoryE <= capacityMemory) return;
      // The VM that opened the host stays: the host is the one holding it.
      for (let y = host.swappableStart; y < this.chosen.length; y += 2) {
        const l = this.chosen[y] ?? 0;
        if (this.swapFits(e, l, -1, fillCpu, fillMemory, capacityCpu, capacityMemory)) return;
        for (let z = y; z < this.chosen.length; z += 2) {
          const m = this.chosen[z] ?? 0;
          if (z === y && (this.chosen[y + 1] ?? 0) < 2) continue;
          if (this.swapFits(e, l, m, fillCpu, fillMemory, capacityCpu, capacityMemory)) return;
        }
      }
    }
    const contents: TypeCount[] = [];
    for (let y = host.chosenStart; y < this.chosen.length; y += 2) {
      const type = this.chosen[y] ?? 0;
      const count = this.chosen[y + 1] ?? 0;
      const last = contents.at(-1);
      if (last?.type === type) contents[contents.length - 1] = { type, count: last.count + count };
      else contents.push({ type, count });
    }
    const completion: Completion = {
      contents,
      addedCpu,
      addedMemory,
      items,
      fill: fractionOf(addedCpu, capacityCpu) + fractionOf(addedMemory, capacityMemory),
    };
    const kept = host.completions;
    let at = kept.length;
    while (at > 0 && (kept[at - 1]?.fill ?? 0) < completion.fill) at--;
    kept.splice(at, 0, completion);
    if (kept.length > MAX_COMPLETIONS) {
      kept.pop();
      this.truncated = true;
    }
    if (kept.length >= host.stopAt) host.stopped = true;
    if (this.budget.nodes >= host.nodeLimit) {
      host.stopped = true;
      this.truncated = true;
    }
  }
}
