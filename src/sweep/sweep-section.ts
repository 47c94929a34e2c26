import * as z from "zod";
import { LIMITS } from "../scenario/limits.js";
import { distinctItems } from "../scenario/distinct.js";

/**
 * A sweep over a scenario: every variant (a named set of overrides, typically a policy) x every
 * combination of parameter values x every seed is one run. Values are written as in the scenario
 * file (units allowed) and validated once put in place.
 */
export const sweepSection = z
  .strictObject({
    seeds: z
      .union([
        z
          .array(z.int().min(0))
          .min(1)
          .max(LIMITS.seeds)
          .superRefine(distinctItems("a seed", String)),
        z.int().min(1).max(LIMITS.seeds),
      ])
      .default(3)
      .meta({ description: "seeds to run, or how many (1, 2, ..., n)" }),
    parameters: z
      .record(
        z
          .string()
          .regex(
            /^[A-Za-z$][A-Za-z0-9_$]*(\.([A-Za-z$][A-Za-z0-9_$]*|[0-9]+))*(\+[A-Za-z$][A-Za-z0-9_$]*(\.([A-Za-z$][A-Za-z0-9_$]*|[0-9]+))*)*$/,
            {
              error:
                "expected a field path such as workload.arrivals.interarrival (names and list indexes joined by dots), or paths joined by +",
            },
          ),
        z.array(z.unknown()).min(1),
      )
      .default({})
      .meta({
        description:
          'field path ("workload.arrivals.interarrival") -> the values it takes; paths joined by + ("platform.hostsPerSite+workload.arrivals.count") take lists of as many values, set together (a scale)',
      }),
    variants: z
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/), z.record(z.string(), z.unknown()))
      .default({})
      .meta({
        description:
          "name -> fields overriding the scenario's (merged like extends), e.g. a policy",
      }),
  })
  .meta({ description: "what `skysim sweep` runs: variants x parameter values x seeds" });

export type SweepSection = z.output<typeof sweepSection>;
