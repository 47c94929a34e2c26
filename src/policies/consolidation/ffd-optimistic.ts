import type { ConsolidationPolicy } from "./consolidation-policy.js";
import { overloadedHosts, placeFirstFitDecreasing, usageOf } from "./first-fit-decreasing.js";

/**
 * VMPlaceS's optimistic FFD: every VM of an overloaded host is taken off, and all of them are
 * placed again by first-fit decreasing over all hosts, the overloaded ones now empty of them (so a
 * VM may land back where it was). A VM that fits nowhere stays where it is.
 */
export function ffdOptimistic(): ConsolidationPolicy {
  return {
    name: "ffd-optimistic",
    decide({ configuration }) {
      const target = configuration.vms.map((vm) => vm.host);
      const usage = usageOf(configuration, target);
      const overloaded = new Set(
        overloadedHosts(configuration, usage).map((at) => configuration.hosts[at]?.id),
      );
      const leaving = configuration.vms.filter(
        (vm) => !vm.pinned && vm.host !== undefined && overloaded.has(vm.host),
      );
      for (const vm of leaving) target[vm.id] = undefined;
      placeFirstFitDecreasing(configuration, leaving, target, usageOf(configuration, target));
      return { target, computeTime: 0 };
    },
  };
}
