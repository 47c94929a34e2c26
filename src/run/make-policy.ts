import { type PolicyTypes, builtInPolicy } from "../policies/registry.js";
import type { PolicyKind } from "../policies/policy-definition.js";
import { loadUserPolicy } from "../policies/user-module.js";
import type { PolicyChoice } from "../scenario/policies-section.js";
import type { RandomStreams } from "../sim/random.js";

/**
 * Makes the policy a scenario chose for `kind`: a built-in by name, or a user module's definition,
 * given the choice's options (without `name`, `module` and the keys in `engineKeys`, which the
 * engine itself uses, such as a control loop's period) and its own random stream.
 */
export function makePolicy<Kind extends PolicyKind>(
  kind: Kind,
  choice: PolicyChoice,
  streams: RandomStreams,
  baseDir: string,
  engineKeys: readonly string[] = [],
): PolicyTypes[Kind] {
  const definition =
    choice.module === undefined
      ? builtInPolicy(kind, choice.name ?? "")
      : loadUserPolicy(choice.module, kind, baseDir);
  const options = Object.fromEntries(
    Object.entries(choice).filter(
      ([key]) => key !== "name" && key !== "module" && !engineKeys.includes(key),
    ),
  );
  return definition.create(options, {
    stream: () => streams.stream(`policies/${kind}/${definition.name}`),
  }) as PolicyTypes[Kind];
}
