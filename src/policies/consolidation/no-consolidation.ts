import type { ConsolidationPolicy } from "./consolidation-policy.js";

/** No consolidation: VMs stay where placement put them, overloaded or not. */
export function noConsolidation(): ConsolidationPolicy {
  return {
    name: "none",
    decide: ({ configuration }) => ({
      target: configuration.vms.map((vm) => vm.host),
      computeTime: 0,
    }),
  };
}
