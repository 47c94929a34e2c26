import { within } from "../capacity.js";
import type { RandomStream } from "../../../sim/random.js";
import type { ConsolidationPolicy, ConsolidationView } from "../consolidation-policy.js";
import type { VmDemand } from "../configuration.js";
import { type OverloadSettings, isOverloaded } from "./overload-detection.js";
import { type SelectionMethod, selectVm } from "./vm-selection.js";

export interface EnergyAwareOptions extends OverloadSettings {
  readonly selection: SelectionMethod;
  /** Samples of utilisation kept per host and of demand per VM (the paper keeps 30). */
  readonly history: number;
  /** Whether to empty underloaded hosts (the paper's last step); false: overloads only. */
  readonly underload: boolean;
}

/**
 * Beloglazov & Buyya's dynamic consolidation (CCPE 2012), as CloudSim's PlanetLab examples run it,
 * one decision per period:
 * 1. overload: every host found overloaded (THR, IQR, MAD, LR or LRR) sheds VMs, chosen by MMT,
 *    RS or MC, one at a time until it is not overloaded any more;
 * 2. PABFD: those VMs, by decreasing CPU demand, each go to the host whose power grows least,
 *    among hosts not overloaded (before or after taking it) with the RAM and cores for it; a VM
 *    with nowhere to go stays;
 * 3. underload: the least utilised host (not overloaded, not receiving VMs) is emptied if all its
 *    VMs fit elsewhere by PABFD (on hosts neither empty nor tried before), then the next, until
 *    none can be. Emptied hosts are left to the power policy to switch off.
 * Histories are the policy's own: a sample per host and per VM at each decision. Differences with
 * CloudSim's code (see README): local regression is the paper's weighted loess, the hosts
 * receiving VMs in step 2 are not emptied in step 3, decisions take no simulated time.
 */
export function energyAware(
  options: EnergyAwareOptions,
  stream: () => RandomStream,
): ConsolidationPolicy {
  const hostHistory = new Map<number, number[]>();
  const vmHistory = new Map<number, number[]>();
  let lastDecision: number | undefined;
  let period = 0;
  let random: RandomStream | undefined;
  const remember = (map: Map<number, number[]>, key: number, value: number): number[] => {
    const list = map.get(key) ?? [];
    list.push(value);
    if (list.length > options.history) list.shift();
    map.set(key, list);
    return list;
  };
  return {
    name: `${options.method}-${options.selection}`,
    decide(view) {
      if (lastDecision !== undefined && view.now > lastDecision) period = view.now - lastDecision;
      lastDecision = view.now;
      const state = new Tentative(view);
      for (const host of view.configuration.hosts) {
        remember(hostHistory, host.id, state.utilization(host.id));
      }
      for (const vm of view.configuration.vms) {
        if (vm.vm !== undefined && vm.host !== undefined) remember(vmHistory, vm.vm, vm.cpu);
      }
      const periodsOf = (host: number): number => migrationPeriods(view, state, host, period);
      const overloadedNow = (host: number): boolean =>
        isOverloaded(
          options,
          withLast(hostHistory.get(host), state.utilization(host)),
          periodsOf(host),
        );
      const overloaded = new Set(
        view.configuration.hosts.map((h) => h.id).filter((host) => overloadedNow(host)),
      );
      // 1. Each overloaded host sheds VMs until it is not overloaded.
      const leaving: VmDemand[] = [];
      for (const host of [...overloaded].sort((a, b) => a - b)) {
        for (;;) {
          const candidates = state.movableOn(host).map((vm) => ({
            id: vm.id,
            memory: vm.memory,
            history: vmHistory.get(vm.vm ?? -1) ?? [vm.cpu],
          }));
          const chosen = selectVm(options.selection, candidates, () =>
            (random ??= stream()).next(),
          );
          if (chosen === undefined) break;
          const vm = view.configuration.vms[chosen.id] as VmDemand;
          state.remove(vm);
          leaving.push(vm);
          if (!overloadedNow(host)) break;
        }
      }
      // 2. They go where power grows least; a VM with nowhere to go goes back.
      const fits = (host: number, vm: VmDemand): boolean =>
        state.fits(host, vm) &&
        (state.isEmpty(host) ||
          !isOverloaded(
            options,
            withLast(hostHistory.get(host), state.utilizationWith(host, vm)),
            periodsOf(host),
          ));
      const receivers = new Set<number>();
      for (const vm of byDemand(leaving)) {
        const to = state.leastPowerIncrease(vm, (host) => !overloaded.has(host) && fits(host, vm));
        state.place(vm, to ?? (vm.host as number));
        if (to !== undefined) receivers.add(to);
      }
      // 3. Underloaded hosts are emptied, least utilised first, when all their VMs fit elsewhere.
      if (options.underload) {
        const tried = new Set([...overloaded, ...receivers]);
        const closed = new Set([...overloaded]);
        for (const host of view.configuration.hosts) {
          if (state.isEmpty(host.id)) {
            tried.add(host.id);
            closed.add(host.id);
          }
        }
        for (;;) {
          const host = state.leastUtilised((h) => !tried.has(h));
          if (host === undefined) break;
          tried.add(host);
          closed.add(host);
          const vms = state.on(host);
          if (vms.some((vm) => vm.pinned)) continue;
          const moves: [VmDemand, number][] = [];
          for (const vm of byDemand(vms)) {
            state.remove(vm);
            const to = state.leastPowerIncrease(vm, (h) => !closed.has(h) && fits(h, vm));
            if (to === undefined) {
              state.place(vm, host);
              break;
            }
            state.place(vm, to);
            moves.push([vm, to]);
          }
          if (moves.length === vms.length) {
            for (const [, to] of moves) tried.add(to);
          } else {
            for (const [vm] of moves) state.place(vm, host);
          }
        }
      }
      return { target: state.target(), computeTime: 0 };
    },
  };
}

/** The history with its last sample (now) replaced by `now`: what a host would look like. */
function withLast(history: readonly number[] | undefined, now: number): number[] {
  const list = [...(history ?? [])];
  if (list.length === 0) list.push(now);
  else list[list.length - 1] = now;
  return list;
}

function byDemand(vms: readonly VmDemand[]): VmDemand[] {
  return [...vms].sort((a, b) => b.cpu - a.cpu || a.id - b.id);
}

/** Decision periods the longest migration off `host` takes (its largest VM over its NIC). */
function migrationPeriods(
  view: ConsolidationView,
  state: Tentative,
  host: number,
  period: number,
): number {
  const { platform } = view.cloud;
  const link = platform.links[platform.hosts[host]?.link ?? -1];
  const largest = Math.max(0, ...state.on(host).map((vm) => vm.memory));
  if (link === undefined || !(link.bandwidth > 0) || !(period > 0)) return 1;
  return Math.ceil(largest / link.bandwidth / period);
}

/** The configuration as the decision rearranges it: where each VM is, what each host holds. */
class Tentative {
  private readonly where: (number | undefined)[];
  private readonly cpu = new Map<number, number>();
  private readonly memory = new Map<number, number>();
  private readonly capacity = new Map<number, { cpu: number; memory: number; off: boolean }>();

  constructor(private readonly view: ConsolidationView) {
    const { hosts, vms } = view.configuration;
    for (const host of hosts) {
      this.capacity.set(host.id, { cpu: host.cpu, memory: host.memory, off: host.off === true });
      this.cpu.set(host.id, 0);
      this.memory.set(host.id, 0);
    }
    this.where = vms.map((vm) => vm.host);
    for (const vm of vms) if (vm.host !== undefined) this.add(vm, vm.host, 1);
  }

  target(): (number | undefined)[] {
    return [...this.where];
  }

  /** Whether the host holds no VM (it would be switched off). */
  isEmpty(host: number): boolean {
    return (this.memory.get(host) ?? 0) === 0;
  }

  utilization(host: number): number {
    return (this.cpu.get(host) ?? 0) / (this.capacity.get(host)?.cpu ?? 1);
  }

  utilizationWith(host: number, vm: VmDemand): number {
    return ((this.cpu.get(host) ?? 0) + vm.cpu) / (this.capacity.get(host)?.cpu ?? 1);
  }

  /** The VM's RAM and CPU fit in what the host has left. */
  fits(host: number, vm: VmDemand): boolean {
    const capacity = this.capacity.get(host);
    return (
      capacity !== undefined &&
      within((this.memory.get(host) ?? 0) + vm.memory, capacity.memory) &&
      within((this.cpu.get(host) ?? 0) + vm.cpu, capacity.cpu)
    );
  }

  on(host: number): VmDemand[] {
    return this.view.configuration.vms.filter((vm) => this.where[vm.id] === host);
  }

  movableOn(host: number): VmDemand[] {
    return this.on(host).filter((vm) => !vm.pinned);
  }

  remove(vm: VmDemand): void {
    const host = this.where[vm.id];
    if (host !== undefined) this.add(vm, host, -1);
    this.where[vm.id] = undefined;
  }

  place(vm: VmDemand, host: number): void {
    this.remove(vm);
    this.where[vm.id] = host;
    this.add(vm, host, 1);
  }

  /** Among hosts `allowed`, the one whose power grows least with the VM (ties: lower id). */
  leastPowerIncrease(vm: VmDemand, allowed: (host: number) => boolean): number | undefined {
    let best: number | undefined;
    let bestIncrease = Infinity;
    for (const { id } of this.view.configuration.hosts) {
      if (id === vm.host || !allowed(id)) continue;
      // A host that is off goes from (about) nothing to its power with the VM.
      const before =
        this.capacity.get(id)?.off === true
          ? 0
          : this.view.watts(id, Math.min(1, this.utilization(id)));
      const increase = this.view.watts(id, Math.min(1, this.utilizationWith(id, vm))) - before;
      if (increase < bestIncrease) {
        best = id;
        bestIncrease = increase;
      }
    }
    return best;
  }

  /** Among hosts `allowed` that hold VMs, the least utilised (ties: lower id). */
  leastUtilised(allowed: (host: number) => boolean): number | undefined {
    let best: number | undefined;
    let lowest = Infinity;
    for (const { id } of this.view.configuration.hosts) {
      const u = this.utilization(id);
      if (!this.isEmpty(id) && u < lowest && allowed(id)) {
        best = id;
        lowest = u;
      }
    }
    return best;
  }

  private add(vm: VmDemand, host: number, sign: 1 | -1): void {
    this.cpu.set(host, (this.cpu.get(host) ?? 0) + sign * vm.cpu);
    this.memory.set(host, (this.memory.get(host) ?? 0) + sign * vm.memory);
  }
}
