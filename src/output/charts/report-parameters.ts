import type { Scenario } from "../../scenario/schema.js";
import { formatDuration } from "../../sim/units.js";

/** Longest value shown in full; longer ones (an inline platform) end with an ellipsis. */
const MAX_VALUE = 240;

function compact(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length <= MAX_VALUE ? text : `${text.slice(0, MAX_VALUE - 1)}…`;
}

/** What a run's report lists as its parameters: seed, duration, platform, workload, policies... */
export function reportParameters(scenario: Scenario): [string, string][] {
  return [
    ["seed", String(scenario.seed)],
    ["duration", formatDuration(scenario.duration)],
    ["platform", compact(scenario.platform ?? "none")],
    ["workload", compact(scenario.workload)],
    ...Object.entries(scenario.policies).map(([kind, choice]): [string, string] => [
      `policies.${kind}`,
      compact(choice),
    ]),
    ["failures", scenario.failures.length === 0 ? "none" : compact(scenario.failures)],
    ["output.step", formatDuration(scenario.output.step)],
  ];
}
