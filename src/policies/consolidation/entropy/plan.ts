import type { Assignment, Configuration, HostCapacity, VmDemand } from "../configuration.js";
import { type PlanAction, type PlanPool, departureHost } from "./plan-actions.js";
import { type PlanDurationOptions, planCost, planDuration } from "./plan-cost.js";
import { type PendingMove, closedCycles } from "./plan-cycles.js";
import { type Load, fits, loadsOf } from "./plan-room.js";
import { checkPlanTarget } from "./plan-target.js";

export interface PlanOptions extends PlanDurationOptions {
  /**
   * VMs with no host whose image is suspended: they come back by `resume`; the other VMs with no
   * host have never run and start by `run`. Ignored for VMs that have a host.
   */
  readonly suspended?: ReadonlySet<number>;
  /** Continuous constraints the plan keeps between its actions (see buildPlan); none if undefined. */
  readonly guard?: PlanGuard;
}

/**
 * What must hold at every instant of a plan besides room: whether VM `vm` may arrive on `host`
 * in the pool being built, every VM occupying `occupancy(id)` during it (the host it is on when
 * the pool starts, and the one it arrives on in the pool, if any). Only constraints closed under
 * subsets may be guarded (if they hold over some VMs' hosts, they hold over fewer), and only
 * those the target keeps: then every arrival on its target is eventually admitted.
 */
export interface PlanGuard {
  admits(vm: number, host: number, occupancy: (vm: number) => readonly number[]): boolean;
}

export interface ReconfigurationPlan {
  /** Run one after another; the actions of a pool together, listed by VM id. */
  readonly pools: readonly PlanPool[];
  /** Bytes the plan moves (see actionCost): each migration, suspend and resume moves the VM's RAM. */
  readonly cost: number;
  /** Migrations, bypasses included. */
  readonly migrations: number;
  /** Migrations to a pivot host that is not the VM's target, to break a cycle. */
  readonly bypasses: number;
  /** Expected seconds: the sum over pools of the longest action (see planDuration). */
  readonly duration: number;
}

/** A pending migration of a VM that is on a host: from where it is now to its target. */
interface Move extends PendingMove {
  readonly vm: VmDemand;
}

interface PlanState {
  readonly hosts: ReadonlyMap<number, HostCapacity>;
  /** Host ids in increasing order: the order pivots are tried in. */
  readonly hostIds: readonly number[];
  /** Load each host holds now, plus the arrivals accepted into the pool being built. */
  readonly loads: ReadonlyMap<number, Load>;
  /** Where each VM is now (by VM id). */
  readonly location: (number | undefined)[];
  /** Whether the VM's image is suspended: it comes back by resume rather than run. */
  readonly imageSuspended: boolean[];
  /** Whether the VM has been through a pivot already: it never bypasses twice. */
  readonly bypassed: boolean[];
  /** Where VMs arrive in the pool being built (by VM id). */
  readonly arriving: Map<number, number>;
  readonly guard: PlanGuard | undefined;
}

/**
 * The plan that switches the cluster from `configuration` to `target`, in pools. Throws when the
 * target is not viable (see checkPlanTarget): that is the caller's bug.
 *
 * Pool by pool:
 * 1. Pool 0 suspends every running VM whose target is "not running": a suspend needs no room.
 * 2. Every VM not yet on its target is tried in VM id order; it joins the pool if its target has
 *    room for it on top of what the host holds at the start of the pool (VMs leaving during the
 *    pool included: their room is free only for the next pool) and of the arrivals already in.
 *    This is greedy: each action goes to the earliest pool where it fits, given the earlier ones.
 * 3. A closed cycle of migrations (see closedCycles) none of whose hosts loses a VM in this pool
 *    is stuck for good: one of its migrations is made a bypass, to the pivot host with the most
 *    free memory (tie: smallest id) that has room for the VM now, the VM being the cheapest to
 *    move (least memory, tie: smallest id) that has not bypassed yet and for which a pivot has
 *    room. One bypass per cycle per pool; cycles are broken in the same pool as the other actions.
 *    A cycle is broken only when it is stuck for good, so no bypass is paid that waiting avoids.
 * 4. If the pool is still empty (no room anywhere), the cheapest VM of a closed cycle (least
 *    memory, tie: smallest id) is suspended; it is resumed on its target in a later pool. With a
 *    guard and no closed cycle, the cheapest VM of all that are on a host and not on their target.
 *
 * A guard (continuous constraints) refuses arrivals and pivots as room does: a refused arrival
 * waits for VMs of its constraint to leave. Since the target keeps the guarded constraints and
 * they are closed under subsets, an arrival on its target is refused only while some VM that is
 * not on its target yet sits on a host: a VM that step 4 can suspend.
 *
 * Termination and completeness. Every pool has an action: if steps 1-3 add none, some VM is not
 * on its target and nothing fits; take such a VM v for host t: the VMs on t that belong there,
 * with v, are part of t's viable target, so t also holds a VM that must leave by migration (the
 * suspends were all in pool 0). Following migrations from host to host (each destination is full
 * too) must come back to a host already seen: a cycle exists, and a sink of the graph of cycles is
 * a closed cycle, so step 4 finds a VM. And a VM takes at most three actions besides the pool-0
 * suspend: one bypass (never two), one last-resort suspend (it is then off every host and only
 * ever resumed on its target), one arrival on its target (after which it is never moved). So the
 * loop ends after at most 3 x (VMs) pools, and it ends only when every VM is where `target` says.
 */
export function buildPlan(
  configuration: Configuration,
  target: Assignment,
  options: PlanOptions = {},
): ReconfigurationPlan {
  checkPlanTarget(configuration, target);
  const { hosts, vms } = configuration;
  const location = vms.map((vm) => vm.host);
  const state: PlanState = {
    hosts: new Map(hosts.map((host) => [host.id, host])),
    hostIds: hosts.map((host) => host.id).sort((a, b) => a - b),
    loads: loadsOf(hosts, vms, location),
    location,
    imageSuspended: vms.map(
      (vm) => vm.host === undefined && options.suspended?.has(vm.id) === true,
    ),
    bypassed: vms.map(() => false),
    arriving: new Map(),
    guard: options.guard,
  };
  const pools: PlanPool[] = [];
  let suspends: PlanAction[] = [];
  for (const vm of vms) {
    if (vm.host !== undefined && target[vm.id] === undefined) {
      suspends.push({ kind: "suspend", vm: vm.id, on: vm.host });
    }
  }
  for (;;) {
    const pending = vms.filter((vm) => {
      const to = target[vm.id];
      return to !== undefined && state.location[vm.id] !== to;
    });
    if (pending.length === 0 && suspends.length === 0) break;
    const moves: Move[] = [];
    for (const vm of pending) {
      const from = state.location[vm.id];
      const to = target[vm.id];
      if (from !== undefined && to !== undefined) moves.push({ vm, from, to });
    }
    const cycles = closedCycles(state.hostIds, moves);
    const pool = [...suspends, ...arrivalsThatFit(state, pending, target)];
    pool.push(...bypasses(state, moves, cycles, pool));
    if (pool.length === 0) pool.push(lastResortSuspend(moves, cycles, state.guard !== undefined));
    endPool(state, vms, pool);
    pools.push(pool.sort((a, b) => a.vm - b.vm));
    suspends = [];
  }
  const migrations = pools.flat().filter((action) => action.kind === "migrate");
  return {
    pools,
    cost: planCost(configuration, pools),
    migrations: migrations.length,
    bypasses: migrations.filter((action) => action.to !== target[action.vm]).length,
    duration: planDuration(configuration, pools, options),
  };
}

function hostAndLoad(state: PlanState, id: number): [HostCapacity, Load] {
  const host = state.hosts.get(id);
  const load = state.loads.get(id);
  if (host === undefined || load === undefined) throw new Error(`unknown host ${id}`);
  return [host, load];
}

function hold(load: Load, vm: VmDemand): void {
  load.cpu += vm.cpu;
  load.memory += vm.memory;
}

/** Whether the VM may arrive on the host in this pool, given the VMs already arriving in it. */
function admitted(state: PlanState, vm: number, host: number): boolean {
  const { guard, location, arriving } = state;
  if (guard === undefined) return true;
  return guard.admits(vm, host, (other) => {
    const now = location[other];
    const then = arriving.get(other);
    return [...(now === undefined ? [] : [now]), ...(then === undefined ? [] : [then])];
  });
}

/** The arrivals on their targets that fit this pool, VMs in id order; their load is held. */
function arrivalsThatFit(
  state: PlanState,
  pending: readonly VmDemand[],
  target: Assignment,
): PlanAction[] {
  const arrivals: PlanAction[] = [];
  for (const vm of pending) {
    const to = target[vm.id];
    if (to === undefined) continue;
    const [host, load] = hostAndLoad(state, to);
    if (!fits(load, vm, host) || !admitted(state, vm.id, to)) continue;
    hold(load, vm);
    state.arriving.set(vm.id, to);
    const from = state.location[vm.id];
    if (from !== undefined) arrivals.push({ kind: "migrate", vm: vm.id, from, to });
    else
      arrivals.push({
        kind: state.imageSuspended[vm.id] === true ? "resume" : "run",
        vm: vm.id,
        to,
      });
  }
  return arrivals;
}

/** Least memory first, then smallest VM id: the order of the cheapest VM to move aside. */
function cheapestFirst(moves: readonly Move[]): Move[] {
  return [...moves].sort((a, b) => a.vm.memory - b.vm.memory || a.vm.id - b.vm.id);
}

/** Step 3 of buildPlan: one bypass per closed cycle stuck for good; the pivots' load is held. */
function bypasses(
  state: PlanState,
  moves: readonly Move[],
  cycles: ReadonlyMap<number, number>,
  pool: readonly PlanAction[],
): PlanAction[] {
  const stuck = new Set(cycles.values());
  for (const action of pool) {
    const from = departureHost(action);
    const cycle = from === undefined ? undefined : cycles.get(from);
    if (cycle !== undefined) stuck.delete(cycle);
  }
  const chosen: PlanAction[] = [];
  for (const move of cheapestFirst(moves)) {
    const cycle = cycles.get(move.from);
    if (cycle === undefined || !stuck.has(cycle) || state.bypassed[move.vm.id] === true) continue;
    const pivot = roomiestPivot(state, move);
    if (pivot === undefined) continue;
    hold(pivot[1], move.vm);
    state.arriving.set(move.vm.id, pivot[0].id);
    state.bypassed[move.vm.id] = true;
    stuck.delete(cycle);
    chosen.push({ kind: "migrate", vm: move.vm.id, from: move.from, to: pivot[0].id });
  }
  return chosen;
}

/** The host other than the move's ends with room for its VM and the most free memory (tie: id). */
function roomiestPivot(state: PlanState, move: Move): [HostCapacity, Load] | undefined {
  let best: [HostCapacity, Load] | undefined;
  for (const id of state.hostIds) {
    if (id === move.from || id === move.to) continue;
    const [host, load] = hostAndLoad(state, id);
    if (!fits(load, move.vm, host) || !admitted(state, move.vm.id, id)) continue;
    if (best === undefined || host.memory - load.memory > best[0].memory - best[1].memory) {
      best = [host, load];
    }
  }
  return best;
}

/** Step 4 of buildPlan: suspend the cheapest VM of a closed cycle (or, guarded, of all moves). */
function lastResortSuspend(
  moves: readonly Move[],
  cycles: ReadonlyMap<number, number>,
  guarded: boolean,
): PlanAction {
  const cheapest = cheapestFirst(moves);
  const move =
    cheapest.find((candidate) => cycles.has(candidate.from)) ?? (guarded ? cheapest[0] : undefined);
  if (move === undefined) {
    // Unreachable for a viable target (see buildPlan's proof): reaching it is a bug here.
    throw new Error("reconfiguration plan: no action fits and no cycle blocks them");
  }
  return { kind: "suspend", vm: move.vm.id, on: move.from };
}

/** What changes once every action of the pool has ended: departures free their hosts. */
function endPool(state: PlanState, vms: readonly VmDemand[], pool: readonly PlanAction[]): void {
  state.arriving.clear();
  for (const action of pool) {
    const from = departureHost(action);
    const vm = vms[action.vm];
    if (from !== undefined && vm !== undefined) {
      const [, load] = hostAndLoad(state, from);
      load.cpu -= vm.cpu;
      load.memory -= vm.memory;
    }
    if (action.kind === "suspend") {
      state.location[action.vm] = undefined;
      state.imageSuspended[action.vm] = true;
    } else state.location[action.vm] = action.to;
  }
}
