import { stringify } from "csv-stringify/sync";
import { Cloud } from "../compute/cloud.js";
import { VJOB_COLUMNS, VjobStatistics } from "../output/vjob-statistics.js";
import { buildPlatform } from "../platform/build.js";
import { firstFit } from "../policies/placement/first-fit.js";
import { platformSpecOf } from "../scenario/platform-section.js";
import type { Scenario } from "../scenario/schema.js";
import type { VjobsWorkload } from "../scenario/vjobs-section.js";
import { RandomStreams } from "../sim/random.js";
import { Simulation } from "../sim/simulation.js";
import { formatDuration } from "../sim/units.js";
import { VjobRunner } from "../workload/vjob-runner.js";
import { vjobSpecsOf } from "./vjob-specs.js";
import type { PreparedRun } from "./workload-run.js";

export interface VjobsRun extends PreparedRun {
  readonly cloud: Cloud;
  readonly runner: VjobRunner;
}

/**
 * A `vjobs` scenario: its platform as a cloud, its vjobs submitted to a runner with the chosen
 * placement. The scenario's references (platform present, site and host names, SWF file) were
 * checked when it was loaded.
 */
export function prepareVjobs(
  scenario: Scenario,
  workload: VjobsWorkload,
  options: { readonly baseDir: string; readonly check: boolean },
): VjobsRun {
  if (scenario.platform === undefined) throw new Error("a vjobs scenario needs a platform");
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const platform = buildPlatform(platformSpecOf(scenario.platform));
  const cloud = new Cloud(sim, platform, { sharing: scenario.network.sharing });
  const imageStore = platform.hosts.find((h) => h.name === workload.boot.imageStore)?.id;
  const runner = new VjobRunner(cloud, streams, {
    placement: firstFit(workload.placement.vcpusPerCore),
    bootDelay: workload.boot.delay,
    ...(imageStore === undefined ? {} : { imageStore }),
  });
  runner.submitAll(vjobSpecsOf(workload, platform, options.baseDir, streams));
  if (options.check) sim.addInvariant("cloud", () => cloud.checkInvariants());
  const statistics = new VjobStatistics(runner, cloud);
  return {
    sim,
    cloud,
    runner,
    finish: (until) => {
      const vjobs = statistics.summarize(until);
      return {
        summary: { vjobs },
        headline: `vjobs: ${vjobs.submitted} submitted, ${vjobs.finished} finished, mean wait ${formatDuration(vjobs.wait.mean, 3)}, mean turnaround ${formatDuration(vjobs.turnaround.mean, 3)}, ${vjobs.vms} VMs, violation ${formatDuration(vjobs.violationHostSeconds, 3)} host-time`,
        files: [
          {
            name: "vjobs.csv",
            text: stringify(statistics.rows(until), { header: true, columns: VJOB_COLUMNS }),
          },
        ],
      };
    },
  };
}
