import type { Configuration } from "../configuration.js";
import { type PlanPool, arrivalHost, departureHost } from "./plan-actions.js";
import { loadsOf, overflow } from "./plan-room.js";

export interface PlanReplay {
  /** Where each VM is (by VM id) after the last pool replayed: all of them unless a violation. */
  readonly placement: readonly (number | undefined)[];
  /** The first rule the plan breaks, as "pool k: ...", or undefined when it breaks none. */
  readonly violation: string | undefined;
}

/**
 * Replays a plan on a configuration, pool by pool, and checks each pool against the state at its
 * start: at most one action per VM; each action starts from where its VM is (a migration from its
 * host to another, a suspend on its host, a resume or run of a VM on no host) and names known
 * hosts; and the resource rule: on every host, what is there at the start of the pool plus every
 * arrival of the pool fits, CPU and memory. VMs that leave during the pool still count: actions
 * end in any order, and a departure frees room only for the next pool. Stops at the first
 * violation.
 */
export function replayPlan(configuration: Configuration, pools: readonly PlanPool[]): PlanReplay {
  const { hosts, vms } = configuration;
  const placement = vms.map((vm) => vm.host);
  const hostById = new Map(hosts.map((host) => [host.id, host]));
  for (const [index, pool] of pools.entries()) {
    const stop = (problem: string): PlanReplay => ({
      placement,
      violation: `pool ${index}: ${problem}`,
    });
    const loads = loadsOf(hosts, vms, placement);
    const acting = new Set<number>();
    for (const action of pool) {
      const vm = vms[action.vm];
      if (vm === undefined) return stop(`VM #${action.vm} is not in the configuration`);
      if (acting.has(vm.id)) return stop(`VM #${vm.id} has two actions`);
      acting.add(vm.id);
      const at = placement[vm.id];
      const from = departureHost(action);
      if (from !== at) return stop(`${action.kind} of VM #${vm.id} from ${from}, it is on ${at}`);
      const to = arrivalHost(action);
      if (to === undefined) continue;
      if (to === from) return stop(`VM #${vm.id} migrates from host ${to} to itself`);
      const host = hostById.get(to);
      const load = loads.get(to);
      if (host === undefined || load === undefined) return stop(`unknown host ${to}`);
      load.cpu += vm.cpu;
      load.memory += vm.memory;
      const excess = overflow(load, host);
      if (excess !== undefined)
        return stop(`${action.kind} of VM #${vm.id} fills host ${to} to ${excess}`);
    }
    for (const action of pool) placement[action.vm] = arrivalHost(action);
  }
  return { placement, violation: undefined };
}

/** The first rule the plan breaks (see replayPlan), or undefined: an invariant check. */
export function planViolation(
  configuration: Configuration,
  pools: readonly PlanPool[],
): string | undefined {
  return replayPlan(configuration, pools).violation;
}
