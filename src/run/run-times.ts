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
    const firstRun = new Map<string, number>();
    let total = 0;
    let finished = 0;
    run.runner.vjobStarted.subscribe((record) => {
      if (!firstRun.has(record.spec.name)) firstRun.set(record.spec.name, run.sim.now);
    });
    run.runner.vjobFinished.subscribe((record) => {
      total += record.end - (firstRun.get(record.spec.name) ?? record.end);
      finished++;
    });
    run.sim.run({ until: scenario.duration });
    return finished === 0 ? Number.NaN : total / finished;
  });
}
