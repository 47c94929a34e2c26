import { CONSOLIDATIONS } from "./consolidation/definitions.js";
import { RESTART_FROM_ZERO } from "./faulttolerance/restart-from-zero.js";
import { SALINE } from "./faulttolerance/saline.js";
import { PLACEMENTS } from "./placement/definitions.js";
import { SKY_POLICIES } from "./sky/definitions.js";
import { POWER_POLICIES } from "./power/definitions.js";
import type { PowerPolicy } from "./power/power-policy.js";
import type { SkyPolicy } from "./sky/sky-policy.js";
import type { ConsolidationPolicy } from "./consolidation/consolidation-policy.js";
import type { FaultTolerancePolicy } from "./faulttolerance/fault-tolerance.js";
import type { Placement } from "./placement/placement.js";
import type { PolicyDefinition, PolicyKind } from "./policy-definition.js";

/** What a definition of each kind makes. */
export interface PolicyTypes {
  readonly placement: Placement;
  readonly consolidation: ConsolidationPolicy;
  readonly faultTolerance: FaultTolerancePolicy;
  readonly sky: SkyPolicy;
  readonly power: PowerPolicy;
}

/**
 * The built-in policies by kind, each found by its name. A scenario picks one per kind (or loads
 * a user module exporting a definition).
 */
export const BUILT_IN_POLICIES: Readonly<Record<PolicyKind, readonly PolicyDefinition<unknown>[]>> =
  {
    placement: PLACEMENTS,
    consolidation: CONSOLIDATIONS,
    faultTolerance: [RESTART_FROM_ZERO, SALINE],
    sky: SKY_POLICIES,
    power: POWER_POLICIES,
  };

export function builtInPolicy(kind: PolicyKind, name: string): PolicyDefinition<unknown> {
  const definition = BUILT_IN_POLICIES[kind].find((d) => d.name === name);
  if (definition === undefined) throw new RangeError(`no built-in ${kind} policy named ${name}`);
  return definition;
}
