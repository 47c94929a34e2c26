import type { Cloud } from "../compute/cloud.js";
import type { Assignment, Configuration } from "../policies/consolidation/configuration.js";
import {
  type PlanGuard,
  type ReconfigurationPlan,
  buildPlan,
} from "../policies/consolidation/entropy/plan.js";

/**
 * The plan that switches the cloud from `configuration` to a policy's target. Memory is a hard
 * limit at every instant; CPU is not (an overloaded host is a violation, not an impossibility):
 * each host's CPU limit for planning is the larger of its cores and of what it holds now or in the
 * target, so moves never make a host busier than both, and a target that leaves a host
 * overloaded can still be planned. A target the plan builder rejects is the policy's bug.
 */
export function planSwitch(
  cloud: Cloud,
  policy: string,
  configuration: Configuration,
  target: Assignment,
  suspended: ReadonlySet<number>,
  guard?: PlanGuard,
): ReconfigurationPlan {
  const now = new Map<number, number>();
  const then = new Map<number, number>();
  for (const vm of configuration.vms) {
    if (vm.host !== undefined) now.set(vm.host, (now.get(vm.host) ?? 0) + vm.cpu);
    const to = target[vm.id];
    if (to !== undefined) then.set(to, (then.get(to) ?? 0) + vm.cpu);
  }
  const planning: Configuration = {
    hosts: configuration.hosts.map((host) => ({
      ...host,
      cpu: Math.max(host.cpu, now.get(host.id) ?? 0, then.get(host.id) ?? 0),
    })),
    vms: configuration.vms,
  };
  const first = cloud.platform.hosts[0];
  const nic = first === undefined ? undefined : cloud.platform.links[first.link]?.bandwidth;
  try {
    return buildPlan(planning, target, {
      suspended,
      ...(guard === undefined ? {} : { guard }),
      ...(nic === undefined ? {} : { migrationBandwidth: nic }),
      ...(first === undefined ? {} : { diskBandwidth: first.diskBandwidth }),
    });
  } catch (error) {
    throw new Error(`consolidation policy ${policy}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
