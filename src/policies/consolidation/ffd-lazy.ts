import { within } from "./capacity.js";
import type { ConsolidationPolicy } from "./consolidation-policy.js";
import {
  byDecreasingDemand,
  overloadedHosts,
  placeFirstFitDecreasing,
  usageOf,
} from "./first-fit-decreasing.js";
import type { VmDemand } from "./configuration.js";

/**
 * VMPlaceS's lazy FFD: on each overloaded host, take off its largest VMs (decreasing CPU demand)
 * until what stays fits in its cores: just enough; then place the VMs taken off by first-fit
 * decreasing on the other hosts. A VM that fits nowhere stays where it is.
 */
export function ffdLazy(): ConsolidationPolicy {
  return {
    name: "ffd-lazy",
    decide({ configuration }) {
      const target = configuration.vms.map((vm) => vm.host);
      const usage = usageOf(configuration, target);
      const leaving: VmDemand[] = [];
      for (const at of overloadedHosts(configuration, usage)) {
        const host = configuration.hosts[at];
        if (host === undefined) continue;
        const movable = configuration.vms
          .filter((vm) => vm.host === host.id && !vm.pinned)
          .sort(byDecreasingDemand);
        for (const vm of movable) {
          if (within(usage.cpu[at] ?? 0, host.cpu)) break;
          usage.cpu[at] = (usage.cpu[at] ?? 0) - vm.cpu;
          usage.memory[at] = (usage.memory[at] ?? 0) - vm.memory;
          leaving.push(vm);
        }
      }
      placeFirstFitDecreasing(configuration, leaving, target, usage, (vm, h) => h === vm.host);
      return { target, computeTime: 0 };
    },
  };
}
