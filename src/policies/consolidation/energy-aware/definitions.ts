import * as z from "zod";
import type { PolicyDefinition } from "../../policy-definition.js";
import type { ConsolidationPolicy } from "../consolidation-policy.js";
import { energyAware } from "./energy-aware-policy.js";
import { PAPER_SAFETY } from "./overload-detection.js";

const options = z.object({
  overload: z.enum(["thr", "iqr", "mad", "lr", "lrr"]).default("lr").meta({
    description:
      "overload detection: thr (static threshold), iqr, mad (adaptive thresholds), lr, lrr (local regression, robust)",
  }),
  selection: z.enum(["mmt", "rs", "mc"]).default("mmt").meta({
    description:
      "which VM leaves an overloaded host: mmt (minimum migration time), rs (random), mc (maximum correlation)",
  }),
  threshold: z
    .number()
    .gt(0)
    .max(1)
    .default(0.8)
    .meta({ description: "thr's utilisation threshold (the paper: 0.8)" }),
  safety: z.number().min(0).optional().meta({
    description: "the safety parameter s; default the paper's: iqr 1.5, mad 2.5, lr and lrr 1.2",
  }),
  fallback: z.number().gt(0).max(1).default(0.7).meta({
    description: "threshold used while a host's history is too short for iqr, mad, lr, lrr",
  }),
  history: z.int().min(1).max(10_000).default(30).meta({
    description: "samples of utilisation kept per host and of demand per VM (one per period)",
  }),
  underload: z
    .boolean()
    .default(true)
    .meta({ description: "empty the least utilised hosts when their VMs fit elsewhere" }),
});

/** Beloglazov & Buyya's energy-aware dynamic consolidation (CCPE 2012) and its variants. */
export const ENERGY_AWARE: PolicyDefinition<ConsolidationPolicy, z.output<typeof options>> = {
  kind: "consolidation",
  name: "energy-aware",
  description:
    "Beloglazov & Buyya: overloaded hosts (THR, IQR, MAD, LR, LRR) shed VMs (MMT, RS, MC) placed by PABFD; underloaded hosts are emptied",
  options,
  create: (o, context) =>
    energyAware(
      {
        method: o.overload,
        selection: o.selection,
        threshold: o.threshold,
        safety: o.safety ?? PAPER_SAFETY[o.overload],
        fallback: o.fallback,
        history: o.history,
        underload: o.underload,
      },
      context.stream,
    ),
};
