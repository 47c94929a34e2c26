import * as z from "zod";
import { TAURUS_POWER_STATES, TAURUS_WATTS } from "../compute/power-model.js";
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
    format: z.enum(["csv", "parquet", "both"]).default("csv").meta({
      description:
        "tables (jobs, timeseries, timeline, events; a sweep's runs and aggregate) as CSV, Apache Parquet, or both",
    }),
    failureFree: z.boolean().default(false).meta({
      description:
        "also run the scenario without failures and without fault tolerance (same seed), and report each vjob's completion-time inflation over that run",
    }),
  })
  .meta({ description: "what a run writes besides summary.json" });

const transition = (seconds: number, joules: number, what: string) =>
  z
    .strictObject({
      duration: duration()
        .pipe(z.number().min(0))
        .meta({ description: `how long ${what} takes` }),
      energy: z
        .number()
        .min(0)
        .meta({ description: `joules drawn while ${what}` }),
    })
    .default({ duration: seconds, energy: joules });

/** What every power model has besides its watts when on: the other states and transitions. */
const powerStates = {
  off: z
    .number()
    .min(0)
    .default(TAURUS_POWER_STATES.off)
    .meta({ description: "watts of a host that is off or crashed (standby)" }),
  boot: transition(
    TAURUS_POWER_STATES.boot.seconds,
    TAURUS_POWER_STATES.boot.joules,
    "a host boots",
  ),
  shutdown: transition(
    TAURUS_POWER_STATES.shutdown.seconds,
    TAURUS_POWER_STATES.shutdown.joules,
    "a host switches off",
  ),
};

const linearEnergy = z.strictObject({
  type: z.literal("linear"),
  idle: z.number().min(0).default(TAURUS_WATTS.idle).meta({ description: "watts at 0% CPU" }),
  full: z.number().min(0).default(TAURUS_WATTS.full).meta({ description: "watts at 100%" }),
  ...powerStates,
});
const specpowerEnergy = z.strictObject({
  type: z.literal("specpower"),
  watts: z
    .array(z.number().min(0))
    .length(11)
    .meta({ description: "watts at 0%, 10%, ..., 100% CPU" }),
  ...powerStates,
});

/** Off must not draw more than idle: a model that did would reward never switching off. */
function offBelowIdle(
  model:
    | { type: "linear"; idle: number; off: number }
    | { type: "specpower"; watts: number[]; off: number },
  ctx: z.core.$RefinementCtx,
): void {
  const idle = model.type === "linear" ? model.idle : (model.watts[0] ?? 0);
  if (model.off > idle) {
    ctx.addIssue({
      code: "custom",
      path: ["off"],
      message: `expected off watts <= the ${idle} W of an idle host, got ${model.off}`,
      input: model.off,
    });
  }
}

/** One host power model: by CPU utilisation when on, and its off state and transitions. */
export const hostEnergySpec = z
  .discriminatedUnion("type", [linearEnergy, specpowerEnergy])
  .superRefine(offBelowIdle);

export const energySection = z
  .discriminatedUnion("type", [
    linearEnergy.extend({
      clusters: z
        .record(z.string(), hostEnergySpec)
        .optional()
        .meta({ description: "cluster name -> its own power model (the others use this one)" }),
    }),
    specpowerEnergy.extend({
      clusters: z
        .record(z.string(), hostEnergySpec)
        .optional()
        .meta({ description: "cluster name -> its own power model (the others use this one)" }),
    }),
  ])
  .superRefine(offBelowIdle)
  .meta({
    description:
      "host power: by CPU utilisation when on, plus off watts and boot/shutdown time and energy; default: a Grid'5000 taurus node (95 W idle, 190.7 W full, 9.75 W off, boot 151.5 s / 18,966 J, shutdown 6.1 s / 616 J); per-cluster models in `clusters`",
  });

export type HostEnergySpec = z.output<typeof hostEnergySpec>;
