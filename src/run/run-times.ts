import type { Scenario } from "../scenario/schema.js";
import { prepareRun } from "./run-scenario.js";
import type { VjobsRun } from "./vjobs-run.js";

/**
 * For each seed, the mean over the scenario's finished vjobs of the time from a vjob's first run
 * (all its VMs up, its work begun) to its end: the completion time of checkpointing theory, which
 * leaves out the wait and the first boot. Runs in memory, writing nothing.
 */
export function runTimesOverSeeds(
  scenario: Scenario,
  seeds: readonly number[],
  baseDir = ".",
): number[] {
  return seeds.map((seed) => {
    const run = prepareRun({ ...scenario, seed }, { baseDir }) as VjobsRun;
    let total = 0;
    let finished = 0;
    run.runner.vjobFinished.subscribe((record) => {
      total += record.end - record.firstRun;
      finished++;
    });
    run.sim.run({ until: scenario.duration });
    return finished === 0 ? Number.NaN : total / finished;
  });
}
