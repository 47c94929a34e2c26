import type { ConsolidationPolicy } from "./consolidation-policy.js";
import { placeFirstFitDecreasing, usageOf } from "./first-fit-decreasing.js";

/**
 * Full repack by first-fit decreasing: every VM not pinned is placed again from scratch (hosts in
 * id order), whatever the migrations it costs: the fewest hosts FFD finds, with no thought for
 * the plan. A VM that fits nowhere stays where it is.
 */
export function ffdRepack(): ConsolidationPolicy {
  return {
    name: "ffd-repack",
    decide({ configuration }) {
      const target = configuration.vms.map((vm) => (vm.pinned ? vm.host : undefined));
      const movable = configuration.vms.filter((vm) => !vm.pinned && vm.host !== undefined);
      placeFirstFitDecreasing(configuration, movable, target, usageOf(configuration, target));
      return { target, computeTime: 0 };
    },
  };
}
