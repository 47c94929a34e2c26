import * as z from "zod";
import { durationDistributionSpec } from "./distribution-spec.js";
import { LIMITS } from "./limits.js";

export const failureTargetsSpec = z
  .strictObject({
    kind: z.enum(["host", "cluster", "site", "link"]).default("host").meta({
      description: "what fails as one: a host, a cluster (correlated), a site (outage), a link",
    }),
    names: z.array(z.string()).optional().meta({ description: "only these targets" }),
    sites: z
      .array(z.string())
      .optional()
      .meta({ description: "only the hosts, clusters or sites of these sites" }),
    random: z
      .int()
      .min(1)
      .max(LIMITS.failureVictims)
      .optional()
      .meta({ description: "that many victims, drawn at random" }),
  })
  .meta({ description: "which targets: all of a kind, or a selection" });

const renewal = z
  .strictObject({
    type: z.literal("renewal"),
    targets: failureTargetsSpec.default({ kind: "host" }),
    preset: z.enum(["g5k06-weibull", "g5k06-exponential"]).optional().meta({
      description: "Grid'5000 fits of the Failure Trace Archive (G5K06) for up and down times",
    }),
    up: durationDistributionSpec.optional().meta({ description: "time to the next failure" }),
    down: durationDistributionSpec
      .optional()
      .meta({ description: "time to repair; without it (and without a preset) a failure removes" }),
  })
  .superRefine((spec, ctx) => {
    if ((spec.preset === undefined) === (spec.up === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "expected either a preset or an up distribution",
        input: spec,
      });
    }
  });

const join = z.strictObject({
  type: z.literal("join"),
  targets: failureTargetsSpec.default({ kind: "host" }),
  at: durationDistributionSpec.meta({ description: "when each target joins (absent before)" }),
});

const trace = z.strictObject({
  type: z.literal("trace"),
  file: z.string().meta({ description: "trace file, relative to the scenario file" }),
  format: z.enum(["csv", "fta"]).default("csv").meta({
    description:
      "csv: time,target,event; fta: node_id event_type start end (Failure Trace Archive)",
  }),
});

export const failuresSection = z
  .array(z.discriminatedUnion("type", [renewal, join, trace]))
  .meta({ description: "failure processes: renewal (up/down times), join (volatility), trace" });

export type FailuresSection = z.output<typeof failuresSection>;
