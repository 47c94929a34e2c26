import { within, withSlack } from "../capacity.js";
import type { Assignment, Configuration, VmDemand } from "../configuration.js";
import type { NodeBudget } from "./node-budget.js";
import { fractionOf, hostScales, sizeOf } from "./packing-problem.js";

/**
 * Empties active hosts of an assignment one at a time, moving as few bytes as it can: the local
 * search that takes Entropy below a heuristic's host count on large clouds, where a search of the
 * whole packing from scratch cannot (it ends at first-fit's count, and moves most VMs to get
 * there). Hosts are tried by increasing memory held (the cheapest to empty first; ties by fewer
 * VMs, then index); a host is emptied when each of its VMs (largest first) finds room on another
 * active host, either directly (the host it fills best) or by an ejection: a VM w of a host g makes
 * room for it there and goes to a third host itself (among the ejections that work, the one that
 * moves the least memory; one level deep). When a VM finds no room, the host's moves are undone
 * and the next host is tried. A pass over every candidate ends when no host could be emptied;
 * passes repeat while one is. Hosts with pinned VMs are never emptied. Each host examined for a
 * VM is a node; stops where the budget runs out, with the hosts emptied so far.
 *
 * The result never has more active hosts than `start`, and only the VMs of emptied hosts and the
 * VMs they ejected move from where `start` put them.
 */
export function emptyActiveHosts(
  configuration: Configuration,
  start: Assignment,
  budget: NodeBudget,
  reference = false,
): Assignment {
  const state = new EmptyingState(configuration, start, reference);
  let emptied = true;
  while (emptied) {
    emptied = false;
    for (const h of state.candidates()) {
      if (state.count[h] === 0) continue;
      if (state.tryEmpty(h, budget)) emptied = true;
      else if (budget.exhausted) return state.target;
    }
  }
  return state.target;
}

/** A tentative move, undone if the host being emptied cannot be. */
interface Move {
  readonly vm: VmDemand;
  readonly from: number;
  readonly to: number;
}

class EmptyingState {
  readonly target: (number | undefined)[];
  readonly count: Int32Array;
  private readonly cpu: Float64Array;
  private readonly memory: Float64Array;
  private readonly pinned: Uint8Array;
  /** VMs on each host (indices into `configuration.hosts`), not in any order. */
  private readonly on: VmDemand[][];
  private readonly index: Map<number, number>;
  private readonly size: (vm: VmDemand) => number;

  /**
   * Active hosts by free memory (see FreeMemoryIndex): only those with room for a VM's memory are
   * examined. Undefined in the reference mode, which examines every active host: the same
   * choices, more nodes.
   */
  private readonly free: FreeMemoryIndex | undefined;

  constructor(
    private readonly configuration: Configuration,
    start: Assignment,
    reference: boolean,
  ) {
    const { hosts, vms } = configuration;
    this.target = [...start];
    this.index = new Map(hosts.map((host, i) => [host.id, i]));
    this.cpu = new Float64Array(hosts.length);
    this.memory = new Float64Array(hosts.length);
    this.count = new Int32Array(hosts.length);
    this.pinned = new Uint8Array(hosts.length);
    this.on = hosts.map(() => []);
    for (const vm of vms) {
      const at = this.index.get(start[vm.id] ?? -1);
      if (at === undefined) continue;
      this.add(vm, at);
      if (vm.pinned) this.pinned[at] = 1;
    }
    const scales = hostScales(hosts);
    this.size = (vm) => sizeOf(vm, scales);
    if (!reference) {
      this.free = new FreeMemoryIndex(scales.memory, hosts.length);
      for (let h = 0; h < hosts.length; h++) {
        if ((this.count[h] as number) > 0) this.free.set(h, this.freeMemory(h));
      }
    }
  }

  /** Active hosts with no pinned VM, by increasing memory held, then VMs, then index. */
  candidates(): number[] {
    const hosts: number[] = [];
    for (let h = 0; h < this.count.length; h++) {
      if ((this.count[h] as number) > 0 && this.pinned[h] === 0) hosts.push(h);
    }
    return hosts.sort(
      (a, b) =>
        (this.memory[a] as number) - (this.memory[b] as number) ||
        (this.count[a] as number) - (this.count[b] as number) ||
        a - b,
    );
  }

  /** Moves every VM off host `h`, or nothing (false). */
  tryEmpty(h: number, budget: NodeBudget): boolean {
    const residents = [...(this.on[h] as VmDemand[])].sort(
      (a, b) => this.size(b) - this.size(a) || b.memory - a.memory || a.id - b.id,
    );
    const moves: Move[] = [];
    for (const vm of residents) {
      const to = this.bestHost(vm, h, -1, budget);
      if (to >= 0) {
        this.move(vm, h, to, moves);
        continue;
      }
      if (!this.eject(vm, h, budget, moves)) {
        for (let m = moves.length - 1; m >= 0; m--) {
          const { vm: back, from, to: at } = moves[m] as Move;
          this.remove(back, at);
          this.add(back, from);
          this.target[back.id] = this.configuration.hosts[from]?.id;
        }
        return false;
      }
    }
    return true;
  }

  /**
   * Makes room for `vm` (leaving `h`) on another active host g by sending one of g's VMs to a
   * third active host: of the pairs that work, the ejected VM of least memory (ties: the lowest
   * g, then the lowest VM id). The pairs that make room on g are listed first (a node per host
   * examined), then tried in that order until one's VM finds a third host. The ejected VM needs
   * a third host with room for its memory, so it has no more than the most any host has free,
   * and g has at least `vm`'s memory less that free: only such hosts are examined. False if none
   * works or the budget runs out.
   */
  private eject(vm: VmDemand, h: number, budget: NodeBudget, moves: Move[]): boolean {
    const hosts = this.configuration.hosts;
    const roomiest = this.largestFree(h);
    const pairs: { ejected: VmDemand; g: number }[] = [];
    const examine = (g: number): boolean => {
      if (g === h) return true;
      if (!budget.spend()) return false;
      const host = hosts[g] as (typeof hosts)[number];
      for (const ejected of this.on[g] as VmDemand[]) {
        if (ejected.pinned || ejected.memory > roomiest) continue;
        const cpuAfter = (this.cpu[g] as number) - ejected.cpu + vm.cpu;
        const memoryAfter = (this.memory[g] as number) - ejected.memory + vm.memory;
        if (within(cpuAfter, host.cpu) && within(memoryAfter, host.memory)) {
          pairs.push({ ejected, g });
        }
      }
      return true;
    };
    if (this.free === undefined) {
      for (let g = 0; g < hosts.length; g++) {
        if ((this.count[g] as number) > 0 && !examine(g)) return false;
      }
    } else if (!this.free.forEachWithRoom(vm.memory - roomiest, examine)) return false;
    pairs.sort(
      (a, b) => a.ejected.memory - b.ejected.memory || a.g - b.g || a.ejected.id - b.ejected.id,
    );
    for (const { ejected, g } of pairs) {
      const f = this.bestHost(ejected, h, g, budget);
      if (budget.exhausted) return false;
      if (f < 0) continue;
      this.move(ejected, g, f, moves);
      this.move(vm, h, g, moves);
      return true;
    }
    return false;
  }

  /**
   * At least the memory any active host but `h` has free, with the capacity slack: exactly that
   * in the reference mode, the top of the index's fullest bucket otherwise (at least as much).
   */
  private largestFree(h: number): number {
    const hosts = this.configuration.hosts;
    if (this.free !== undefined) return this.free.largestFree();
    let largest = -Infinity;
    for (let g = 0; g < hosts.length; g++) {
      if (g === h || (this.count[g] as number) === 0) continue;
      const host = hosts[g] as (typeof hosts)[number];
      largest = Math.max(largest, withSlack(host.memory) - (this.memory[g] as number));
    }
    return largest;
  }

  /**
   * The active host other than `h` and `g` that `vm` fills best (fullest after; ties: lowest
   * index), or -1.
   */
  private bestHost(vm: VmDemand, h: number, g: number, budget: NodeBudget): number {
    const hosts = this.configuration.hosts;
    let chosen = -1;
    let fill = -Infinity;
    const examine = (to: number): boolean => {
      if (to === h || to === g) return true;
      if (!budget.spend()) return false;
      const host = hosts[to] as (typeof hosts)[number];
      const cpuAfter = (this.cpu[to] as number) + vm.cpu;
      const memoryAfter = (this.memory[to] as number) + vm.memory;
      if (!within(cpuAfter, host.cpu) || !within(memoryAfter, host.memory)) return true;
      const after = fractionOf(cpuAfter, host.cpu) + fractionOf(memoryAfter, host.memory);
      if (after > fill || (after === fill && to < chosen)) {
        fill = after;
        chosen = to;
      }
      return true;
    };
    if (this.free === undefined) {
      for (let to = 0; to < hosts.length; to++) {
        if ((this.count[to] as number) > 0 && !examine(to)) return -1;
      }
    } else if (!this.free.forEachWithRoom(vm.memory, examine)) return -1;
    return chosen;
  }

  private freeMemory(h: number): number {
    return (this.configuration.hosts[h]?.memory ?? 0) - (this.memory[h] as number);
  }

  private move(vm: VmDemand, from: number, to: number, moves: Move[]): void {
    this.remove(vm, from);
    this.add(vm, to);
    this.target[vm.id] = this.configuration.hosts[to]?.id;
    moves.push({ vm, from, to });
  }

  private add(vm: VmDemand, at: number): void {
    this.cpu[at] = (this.cpu[at] as number) + vm.cpu;
    this.memory[at] = (this.memory[at] as number) + vm.memory;
    this.count[at] = (this.count[at] as number) + 1;
    (this.on[at] as VmDemand[]).push(vm);
    this.free?.set(at, this.freeMemory(at));
  }

  private remove(vm: VmDemand, at: number): void {
    this.cpu[at] = (this.cpu[at] as number) - vm.cpu;
    this.memory[at] = (this.memory[at] as number) - vm.memory;
    this.count[at] = (this.count[at] as number) - 1;
    const list = this.on[at] as VmDemand[];
    list.splice(list.indexOf(vm), 1);
    if (this.count[at] === 0) this.free?.delete(at);
    else this.free?.set(at, this.freeMemory(at));
  }
}

/**
 * Hosts bucketed by free memory, in BUCKETS equal slices of the largest host's memory: a VM of
 * memory m is looked for only in the buckets whose hosts may have m free (from the one holding
 * m, less the capacity slack, upwards). On a consolidated cloud most hosts are nearly full, so a
 * large VM meets a few hosts instead of all of them.
 */
class FreeMemoryIndex {
  private readonly buckets: number[][] = Array.from({ length: BUCKETS }, () => []);
  /** Bucket of each host, -1 if not indexed; its position in the bucket. */
  private readonly bucketOf: Int32Array;
  private readonly position: Int32Array;

  constructor(
    private readonly scale: number,
    hosts: number,
  ) {
    this.bucketOf = new Int32Array(hosts).fill(-1);
    this.position = new Int32Array(hosts);
  }

  set(host: number, free: number): void {
    const bucket = this.bucket(free);
    if (this.bucketOf[host] === bucket) return;
    this.delete(host);
    const list = this.buckets[bucket] as number[];
    this.bucketOf[host] = bucket;
    this.position[host] = list.length;
    list.push(host);
  }

  delete(host: number): void {
    const bucket = this.bucketOf[host] as number;
    if (bucket < 0) return;
    const list = this.buckets[bucket] as number[];
    const at = this.position[host] as number;
    const last = list.pop() as number;
    if (last !== host) {
      list[at] = last;
      this.position[last] = at;
    }
    this.bucketOf[host] = -1;
  }

  /** At least the free memory of any host indexed, with the slack (-Infinity if none is). */
  largestFree(): number {
    for (let b = BUCKETS - 1; b >= 0; b--) {
      if ((this.buckets[b] as number[]).length === 0) continue;
      // Bucket b holds free memory below (b + 1) / BUCKETS of the scale, or above it in the last.
      return b === BUCKETS - 1
        ? Infinity
        : withSlack(this.scale) - this.scale + ((b + 1) / BUCKETS) * this.scale;
    }
    return -Infinity;
  }

  /** Calls `visit` with every host that may have `memory` free; false if a visit said stop. */
  forEachWithRoom(memory: number, visit: (host: number) => boolean): boolean {
    for (let b = this.bucket(memory - withSlack(this.scale) + this.scale); b < BUCKETS; b++) {
      for (const host of this.buckets[b] as number[]) if (!visit(host)) return false;
    }
    return true;
  }

  private bucket(free: number): number {
    if (!(this.scale > 0)) return 0;
    return Math.max(0, Math.min(BUCKETS - 1, Math.floor((free / this.scale) * BUCKETS)));
  }
}

const BUCKETS = 256;
