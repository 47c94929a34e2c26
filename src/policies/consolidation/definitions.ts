import type { PolicyDefinition } from "../policy-definition.js";
import type { ConsolidationPolicy } from "./consolidation-policy.js";
import { ffdLazy } from "./ffd-lazy.js";
import { ffdOptimistic } from "./ffd-optimistic.js";
import { drainConsolidation } from "./drain-policy.js";
import { ffdRepack } from "./ffd-repack.js";
import { noConsolidation } from "./no-consolidation.js";
import { ENTROPY } from "./entropy/entropy-policy.js";
import { ENERGY_AWARE } from "./energy-aware/definitions.js";

/** The built-in consolidations: what a periodic control loop decides. */
export const CONSOLIDATIONS: readonly PolicyDefinition<ConsolidationPolicy>[] = [
  {
    kind: "consolidation",
    name: "none",
    description: "VMs stay where placement put them",
    create: noConsolidation,
  },
  {
    kind: "consolidation",
    name: "ffd-lazy",
    description: "move just enough VMs off overloaded hosts, first-fit decreasing",
    create: ffdLazy,
  },
  {
    kind: "consolidation",
    name: "ffd-optimistic",
    description: "move all VMs off overloaded hosts, first-fit decreasing",
    create: ffdOptimistic,
  },
  {
    kind: "consolidation",
    name: "ffd-repack",
    description: "repack every VM by first-fit decreasing",
    create: ffdRepack,
  },
  {
    kind: "consolidation",
    name: "drain",
    description:
      "keep the hosts holding the most memory, drain the others onto them (best fit); the fewest that work",
    create: drainConsolidation,
  },
  ENTROPY,
  ENERGY_AWARE,
];
