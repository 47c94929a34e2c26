import type { ConsolidationPolicy } from "./consolidation/consolidation-policy.js";
import type { FaultTolerancePolicy } from "./faulttolerance/fault-tolerance.js";
import type { Placement } from "./placement/placement.js";
import type { PowerPolicy } from "./power/power-policy.js";
import type { SkyPolicy } from "./sky/sky-policy.js";

/**
 * Policies given as objects (a library user's, e.g. an agent's) in place of the scenario's of the
 * same kind. The scenario's section still sets what surrounds each: the consolidation's period,
 * scope and manager, the sky's period. A consolidation object runs its loop even where the
 * scenario says `none`.
 */
export interface PolicyObjects {
  readonly placement?: Placement;
  readonly consolidation?: ConsolidationPolicy;
  readonly faultTolerance?: FaultTolerancePolicy;
  readonly sky?: SkyPolicy;
  readonly power?: PowerPolicy;
}

/** The kinds of policies an object may replace, in a fixed order. */
export const POLICY_OBJECT_KINDS = [
  "placement",
  "consolidation",
  "faultTolerance",
  "sky",
  "power",
] as const satisfies readonly (keyof PolicyObjects)[];

/** Only the policy objects of `options` (whatever else it holds), those given. */
export function policyObjectsOf(options: PolicyObjects): PolicyObjects {
  return Object.fromEntries(
    POLICY_OBJECT_KINDS.flatMap((kind) =>
      options[kind] === undefined ? [] : [[kind, options[kind]]],
    ),
  );
}
