import { constraintsSection } from "./constraints-section.js";
import * as z from "zod";
import { durationDistributionSpec } from "./distribution-spec.js";
import { platformSection } from "./platform-section.js";
import { failuresSection } from "./failures-section.js";
import { energySection, outputSection } from "./output-section.js";
import { duration } from "./quantities.js";
import { sweepSection } from "../sweep/sweep-section.js";
import { vjobsWorkload } from "./vjobs-section.js";
import { DEFAULT_DEMAND, DEFAULT_HEADROOM, policiesSection } from "./policies-section.js";
import { LIMITS } from "./limits.js";
import { TAURUS_POWER_STATES, TAURUS_WATTS } from "../compute/power-model.js";

/**
 * The scenario file format: the single source of truth for its types, its validation, its defaults
 * and its JSON Schema (`skysim schema`). Later sections (platform, failures, policies, output) are
 * added here as tagged unions, each with its defaults.
 */

/**
 * Demo workload: a cloud of `servers` identical VM slots; jobs arrive with random inter-arrival
 * times, each holds one slot for a random service time, first come first served (an M/G/c queue).
 * It exercises the engine end to end and has a closed-form check (Erlang C) for exponential times.
 */
export const demoQueueWorkload = z.strictObject({
  type: z.literal("demo-queue"),
  servers: z
    .int()
    .min(1)
    .max(LIMITS.servers)
    .default(4)
    .meta({ description: "VM slots serving jobs in parallel" }),
  interarrival: durationDistributionSpec.meta({ description: "time between job arrivals" }),
  service: durationDistributionSpec.meta({ description: "time a job holds its slot" }),
});

export const workloadSpec = z.discriminatedUnion("type", [demoQueueWorkload, vjobsWorkload]);

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "path of skysim.schema.json, for editors" }),
    extends: z.string().optional().meta({
      description: "a scenario file (relative to this one) whose fields this file overrides",
    }),
    name: z
      .string()
      .max(LIMITS.name)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .meta({
        description: `scenario name: letters, digits, '.', '_' and '-', at most ${LIMITS.name} (it names the results folder)`,
      }),
    description: z.string().optional(),
    seed: z.int().min(0).default(1).meta({ description: "root of every named random stream" }),
    duration: duration()
      .pipe(z.number().positive())
      .meta({ description: "simulated time span, > 0" }),
    platform: platformSection.optional().meta({
      description: "hosts and links: a preset, a synthetic federation, or sites written out",
    }),
    network: z
      .strictObject({
        sharing: z.enum(["max-min", "cm02"]).default("max-min").meta({
          description: "max-min: equal weights; cm02: SimGrid's CM02, weight 1 / route latency",
        }),
      })
      .default({ sharing: "max-min" }),
    workload: workloadSpec,
    policies: policiesSection.default({
      placement: { name: "first-fit", vcpusPerCore: 1 },
      consolidation: {
        name: "none",
        period: 30,
        scope: "site",
        demand: DEFAULT_DEMAND,
        manager: { type: "centralised" },
        headroom: DEFAULT_HEADROOM,
      },
      faultTolerance: { name: "none", restartDelay: 30 },
      sky: { name: "stay-home", period: 30 },
      power: { name: "always-on" },
    }),
    failures: failuresSection.default([]),
    constraints: constraintsSection.default([]),
    energy: energySection.default({
      type: "linear",
      idle: TAURUS_WATTS.idle,
      full: TAURUS_WATTS.full,
      off: TAURUS_POWER_STATES.off,
      boot: {
        duration: TAURUS_POWER_STATES.boot.seconds,
        energy: TAURUS_POWER_STATES.boot.joules,
      },
      shutdown: {
        duration: TAURUS_POWER_STATES.shutdown.seconds,
        energy: TAURUS_POWER_STATES.shutdown.joules,
      },
    }),
    output: outputSection.default({
      step: 300,
      trace: "none",
      charts: true,
      format: "csv",
      failureFree: false,
    }),
    sweep: sweepSection.optional(),
  })
  .meta({ title: "skysim scenario" });

/** A validated scenario: defaults applied, quantities in base units (s, B, B/s, flop/s). */
export type Scenario = z.output<typeof scenarioSchema>;
/** What a scenario file may contain, before defaults and unit parsing. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type WorkloadSpec = z.output<typeof workloadSpec>;
