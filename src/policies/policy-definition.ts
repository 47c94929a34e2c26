import type * as z from "zod";
import type { RandomStream } from "../sim/random.js";

export type PolicyKind = "placement" | "consolidation" | "faultTolerance" | "sky" | "power";

/** What a policy is given when it is made: its own random stream, drawn only if it needs one. */
export interface PolicyContext {
  /** The named stream `policies/<kind>/<name>` of the run's seed. */
  readonly stream: () => RandomStream;
}

/**
 * A policy as the registry knows it: a name, what its options are (a zod object: validated,
 * defaulted and documented in the JSON Schema with the rest of the scenario) and how to make one.
 * A user module exports one of these as its default export, without `options` if it takes any.
 */
export interface PolicyDefinition<Policy, Options extends object = object> {
  readonly kind: PolicyKind;
  readonly name: string;
  readonly description: string;
  readonly options?: z.ZodObject;
  create(options: Options, context: PolicyContext): Policy;
}
