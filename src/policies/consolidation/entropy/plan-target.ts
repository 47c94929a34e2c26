import type { Assignment, Configuration } from "../configuration.js";
import { loadsOf, overflow } from "./plan-room.js";

/**
 * Throws when no plan can reach `target` from `configuration`: VM ids that are not their index,
 * hosts that are not in the configuration, a busy (pinned) VM asked to move, or a host given more
 * CPU or memory than it has. Each is a bug of the caller, named in the message.
 */
export function checkPlanTarget(configuration: Configuration, target: Assignment): void {
  const problem = targetProblem(configuration, target);
  if (problem !== undefined) throw new Error(`reconfiguration plan: ${problem}`);
}

function targetProblem(configuration: Configuration, target: Assignment): string | undefined {
  const { hosts, vms } = configuration;
  if (target.length !== vms.length) return `a target of ${target.length} VMs for ${vms.length}`;
  const hostIds = new Set(hosts.map((host) => host.id));
  if (hostIds.size !== hosts.length) return "two hosts share an id";
  for (const [index, vm] of vms.entries()) {
    if (vm.id !== index) return `VM at index ${index} has id ${vm.id}; ids must be 0..n-1 in order`;
    if (vm.host !== undefined && !hostIds.has(vm.host)) {
      return `VM #${vm.id} is on host ${vm.host}, which is not in the configuration`;
    }
    const to = target[vm.id];
    if (to !== undefined && !hostIds.has(to)) {
      return `VM #${vm.id} is sent to host ${to}, which is not in the configuration`;
    }
    if (vm.pinned && to !== vm.host) {
      return `VM #${vm.id} is busy on host ${vm.host} and cannot be sent to ${to}`;
    }
  }
  const loads = loadsOf(hosts, vms, target);
  for (const host of hosts) {
    const load = loads.get(host.id);
    const excess = load === undefined ? undefined : overflow(load, host);
    if (excess !== undefined) return `target is not viable: host ${host.id} would hold ${excess}`;
  }
  return undefined;
}
