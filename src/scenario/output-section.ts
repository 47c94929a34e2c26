import * as z from "zod";
import { TAURUS_WATTS } from "../compute/power-model.js";
import { duration } from "./quantities.js";

export const outputSection = z
  .strictObject({
    step: duration()
      .pipe(z.number().positive())
      .default(300)
      .meta({ description: "sampling step of timeseries.csv" }),
    trace: z
      .enum(["none", "events"])
      .default("none")
      .meta({ description: "events: also write events.csv, one row per VM, vjob... event" }),
    charts: z
      .boolean()
      .default(true)
      .meta({ description: "write charts/ (Vega-Lite specs, SVGs, report.html) after a run" }),
    failureFree: z.boolean().default(false).meta({
      description:
        "also run the scenario without failures and without fault tolerance (same seed), and report each vjob's completion-time inflation over that run",
    }),
  })
  .meta({ description: "what a run writes besides summary.json" });

export const energySection = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("linear"),
      idle: z.number().min(0).default(TAURUS_WATTS.idle).meta({ description: "watts at 0% CPU" }),
      full: z.number().min(0).default(TAURUS_WATTS.full).meta({ description: "watts at 100%" }),
    }),
    z.strictObject({
      type: z.literal("specpower"),
      watts: z
        .array(z.number().min(0))
        .length(11)
        .meta({ description: "watts at 0%, 10%, ..., 100% CPU" }),
    }),
  ])
  .meta({
    description:
      "host power vs CPU utilisation; default: a Grid'5000 taurus node, 95 W idle, 190.7 W full",
  });
