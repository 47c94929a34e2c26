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
