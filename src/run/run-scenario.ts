import { createHash } from "node:crypto";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { writeFileAtomic } from "../output/atomic-file.js";
import { type JobSummary, JobStatistics } from "../output/job-statistics.js";
import { distributionOf } from "../scenario/distribution-spec.js";
import type { Scenario } from "../scenario/schema.js";
import { RandomStreams } from "../sim/random.js";
import { Simulation } from "../sim/simulation.js";
import { DemoQueue } from "../workload/demo-queue.js";

export interface RunOptions {
  /** Folder that receives the run's files. */
  readonly outDir: string;
  /** skysim's version, recorded in the summary. */
  readonly version: string;
  /** Check the model's invariants after every event (slower). */
  readonly check?: boolean;
}

/** summary.json: only deterministic fields, so two runs of one scenario and seed are identical. */
export interface Summary {
  readonly scenario: string;
  /** SHA-256 of the validated scenario (defaults applied, units parsed). */
  readonly scenarioHash: string;
  readonly seed: number;
  readonly skysim: string;
  /** Simulated seconds. */
  readonly simulatedTime: number;
  readonly events: number;
  readonly jobs: JobSummary;
}

export interface RunResult {
  readonly summary: Summary;
  readonly files: readonly string[];
}

/** The model of one run, before it is run: exposed so that tests can observe its signals. */
export interface PreparedRun {
  readonly sim: Simulation;
  readonly queue: DemoQueue;
  readonly statistics: JobStatistics;
}

export function prepareRun(scenario: Scenario, check = false): PreparedRun {
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const workload = scenario.workload;
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
    let lastTime = 0;
    sim.addInvariant("time never goes back", () => {
      const problem =
        sim.now < lastTime ? `clock went from ${lastTime}s to ${sim.now}s` : undefined;
      lastTime = sim.now;
      return problem;
    });
    sim.addInvariant("busy slots within capacity", () =>
      queue.busyServers >= 0 && queue.busyServers <= workload.servers
        ? undefined
        : `${queue.busyServers} busy slots of ${workload.servers}`,
    );
    sim.enableChecks();
  }
  queue.start();
  return { sim, queue, statistics };
}

/** Runs a validated scenario to its duration and writes summary.json and jobs.csv atomically. */
export function runScenario(scenario: Scenario, options: RunOptions): RunResult {
  const { sim, statistics } = prepareRun(scenario, options.check ?? false);
  sim.run({ until: scenario.duration });
  const summary: Summary = {
    scenario: scenario.name,
    scenarioHash: hashOf(scenario),
    seed: scenario.seed,
    skysim: options.version,
    simulatedTime: sim.now,
    events: sim.dispatched,
    jobs: statistics.summarize(sim.now, scenario.workload.servers),
  };
  // Everything is computed before the first file is written: a failed run leaves no files.
  const summaryText = `${JSON.stringify(summary, null, 2)}\n`;
  const jobsText = stringify(
    statistics.jobRows().map((row) => [row.job, row.submit, row.start, row.end, row.server]),
    { header: true, columns: ["job", "submit", "start", "end", "server"] },
  );
  const files = [join(options.outDir, "summary.json"), join(options.outDir, "jobs.csv")];
  writeFileAtomic(files[0] as string, summaryText);
  writeFileAtomic(files[1] as string, jobsText);
  return { summary, files };
}

function hashOf(scenario: Scenario): string {
  return createHash("sha256").update(JSON.stringify(scenario)).digest("hex");
}
