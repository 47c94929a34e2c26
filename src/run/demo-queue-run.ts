import { JobStatistics } from "../output/job-statistics.js";
import { distributionOf } from "../scenario/distribution-spec.js";
import type { Scenario } from "../scenario/schema.js";
import { RandomStreams } from "../sim/random.js";
import { Simulation } from "../sim/simulation.js";
import { formatDuration } from "../sim/units.js";
import { DemoQueue } from "../workload/demo-queue.js";
import type { RunOutputs } from "./run-outputs.js";
import type { PreparedRun } from "./workload-run.js";

type DemoQueueSpec = Extract<Scenario["workload"], { type: "demo-queue" }>;

export interface DemoQueueRun extends PreparedRun {
  readonly queue: DemoQueue;
  readonly statistics: JobStatistics;
}

/**
 * The demo M/G/c queue of a scenario, with its invariants if `check`; its jobs.csv goes to
 * `outputs` if given.
 */
export function prepareDemoQueue(
  scenario: Scenario,
  workload: DemoQueueSpec,
  check: boolean,
  outputs?: RunOutputs,
): DemoQueueRun {
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const queue = new DemoQueue(
    sim,
    {
      servers: workload.servers,
      interarrival: distributionOf(workload.interarrival),
      service: distributionOf(workload.service),
      arrivalsUntil: scenario.duration,
    },
    streams,
  );
  const statistics = new JobStatistics(queue);
  if (check) {
    sim.addInvariant("busy slots within capacity", () =>
      queue.busyServers >= 0 && queue.busyServers <= workload.servers
        ? undefined
        : `${queue.busyServers} busy slots of ${workload.servers}`,
    );
  }
  queue.start();
  return {
    sim,
    queue,
    statistics,
    finish: (until) => {
      const jobs = statistics.summarize(until, workload.servers);
      if (outputs !== undefined) {
        const table = outputs.table({
          name: "jobs",
          columns: ["job", "submit", "start", "end", "server"],
          text: ["job"],
        });
        for (const row of statistics.jobRows()) {
          table.write([row.job, row.submit, row.start ?? "", row.end ?? "", row.server ?? ""]);
        }
      }
      return {
        summary: { jobs },
        headline: `jobs: ${jobs.submitted} submitted, ${jobs.finished} finished, mean wait ${formatDuration(jobs.wait.mean, 3)}, p95 wait ${formatDuration(jobs.wait.p95, 3)}, utilization ${(100 * jobs.utilization).toFixed(1)}%`,
      };
    },
  };
}
