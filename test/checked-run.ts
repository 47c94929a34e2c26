import fc from "fast-check";
import { prepareRun } from "../src/run/run-scenario.js";
import type { WorkloadSummary } from "../src/run/workload-run.js";
import { checkedScenario } from "../src/scenario/load.js";
import { ScenarioError } from "../src/scenario/problems.js";

/** Random vjobs as a list workload's: named j0, j1... in submission order, an hour of work each. */
export function listed(jobs: readonly { vms: number; submit: number }[]) {
  return [...jobs]
    .sort((a, b) => a.submit - b.submit)
    .map((job, i) => ({ name: `j${i}`, work: { coreSeconds: "1h" }, ...job }));
}

/** A scenario document's summary, run with the model's checks on; undefined if it is refused. */
export function runChecked(document: object): WorkloadSummary | undefined {
  let s;
  try {
    s = checkedScenario(document, "property.yaml");
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return undefined;
  }
  const run = prepareRun(s, { check: true });
  try {
    run.sim.run({ until: s.duration });
  } catch (error) {
    throw new Error(`${(error as Error).message} in ${JSON.stringify(document)}`, { cause: error });
  }
  return run.finish(s.duration).summary;
}

/** Every built-in consolidation a property test draws (its manager and scope drawn apart). */
export const CONSOLIDATIONS = [
  { name: "entropy", objective: "consolidate" },
  { name: "entropy", objective: "repair" },
  { name: "ffd-lazy" },
  { name: "ffd-repack" },
  { name: "drain" },
  { name: "energy-aware" },
  { name: "none" },
] as const;

/** Every built-in placement, packing 2 vCPUs per core (so that hosts overload). */
export const placementArb = fc.record({
  name: fc.constantFrom("first-fit", "best-fit", "worst-fit", "round-robin", "random"),
  vcpusPerCore: fc.constant(2),
});

/** No fault tolerance, or Saline's snapshots every 10 minutes on another site's store. */
export const faultToleranceArb = fc.constantFrom(
  { name: "none" },
  { name: "saline", period: "10min", store: "remote" },
);

/**
 * The document of a property test's run: 2 hours on two sites of `hostsPerSite` hosts (4 cores,
 * 16 GB) that fail (exponential up times of 2 h, 10 min repairs), the `jobs` listed (an hour of
 * work each) with injected loads changing every 5 minutes, under `policies` and `constraints`.
 */
export function failingPlatformRun(run: {
  readonly name: string;
  readonly seed: number;
  readonly hostsPerSite: number;
  readonly vm: { readonly vcpus: number; readonly memory: string };
  readonly load: { readonly mean: number; readonly sd: number };
  readonly jobs: readonly { vms: number; submit: number }[];
  readonly policies: object;
  readonly constraints: readonly object[];
}) {
  return {
    name: run.name,
    seed: run.seed,
    duration: "2h",
    platform: {
      type: "synthetic",
      sites: 2,
      hostsPerSite: run.hostsPerSite,
      cores: 4,
      memory: "16GB",
    },
    workload: {
      type: "vjobs",
      vm: run.vm,
      load: { type: "injector", ...run.load, interval: "5min" },
      arrivals: { type: "list", jobs: listed(run.jobs) },
      boot: { delay: 0 },
    },
    policies: run.policies,
    failures: [
      {
        type: "renewal",
        up: { type: "exponential", mean: "2h" },
        down: { type: "fixed", value: "10min" },
      },
    ],
    constraints: run.constraints,
    output: { charts: false },
  };
}

/** Random vjobs for `failingPlatformRun`: 1 to `maxVms` VMs each, submitted in the first `lastSubmit` s. */
export function jobsArb(maxVms: number, lastSubmit: number, minLength: number) {
  return fc.array(
    fc.record({
      vms: fc.integer({ min: 1, max: maxVms }),
      submit: fc.integer({ min: 0, max: lastSubmit }),
    }),
    { minLength, maxLength: 6 },
  );
}
