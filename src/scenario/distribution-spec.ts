import * as z from "zod";
import {
  type Distribution,
  exponential,
  fixed,
  gamma,
  lognormal,
  normal,
  uniform,
  weibull,
} from "../sim/distributions.js";
import { duration } from "./quantities.js";

const positive = () => z.number().positive();

/**
 * A distribution of durations in a scenario file, tagged by `type`. Scale-like parameters take
 * duration units ("30s", "2h"); shape parameters are plain numbers; lognormal's mu and sigma are
 * those of the underlying normal of the duration in seconds.
 */
export const durationDistributionSpec = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("fixed"), value: duration() }),
    z.strictObject({ type: z.literal("uniform"), min: duration(), max: duration() }),
    z.strictObject({ type: z.literal("exponential"), mean: duration() }),
    z.strictObject({ type: z.literal("normal"), mean: duration(), sd: duration() }),
    z.strictObject({ type: z.literal("lognormal"), mu: z.number(), sigma: positive() }),
    z.strictObject({ type: z.literal("weibull"), shape: positive(), scale: duration() }),
    z.strictObject({ type: z.literal("gamma"), shape: positive(), scale: duration() }),
  ])
  .superRefine((spec, ctx) => {
    // Parameter ranges that depend on each other (uniform max > min, means > 0) are checked by the
    // sampler's own constructor, so the rule lives in one place.
    try {
      distributionOf(spec);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message, input: spec });
    }
  });

export type DurationDistributionSpec = z.output<typeof durationDistributionSpec>;

/** The sampler for a validated spec. */
export function distributionOf(spec: DurationDistributionSpec): Distribution {
  switch (spec.type) {
    case "fixed":
      return fixed(spec.value);
    case "uniform":
      return uniform(spec.min, spec.max);
    case "exponential":
      return exponential(spec.mean);
    case "normal":
      return normal(spec.mean, spec.sd);
    case "lognormal":
      return lognormal(spec.mu, spec.sigma);
    case "weibull":
      return weibull(spec.shape, spec.scale);
    case "gamma":
      return gamma(spec.shape, spec.scale);
  }
}
