import { createHash } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../output/atomic-file.js";
import type { Scenario } from "../scenario/schema.js";
import { prepareDemoQueue } from "./demo-queue-run.js";
import { prepareVjobs } from "./vjobs-run.js";
import type { PreparedRun } from "./workload-run.js";

export interface RunOptions {
  /** Folder that receives the run's files. */
  readonly outDir: string;
  /** skysim's version, recorded in the summary. */
  readonly version: string;
  /** Check the model's invariants after every event (slower). */
  readonly check?: boolean;
  /** Folder of the scenario file: files it names (an SWF log) are found from there. */
  readonly baseDir?: string;
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
  readonly [workloadPart: string]: unknown;
}

export interface RunResult {
  readonly summary: Summary;
  /** One line on the workload's outcome, for the terminal. */
  readonly headline: string;
  readonly files: readonly string[];
}

/** Builds the model of a scenario's run, with the engine's own invariants if `check`. */
export function prepareRun(
  scenario: Scenario,
  options: { readonly check?: boolean; readonly baseDir?: string } = {},
): PreparedRun {
  const check = options.check ?? false;
  const workload = scenario.workload;
  const run =
    workload.type === "demo-queue"
      ? prepareDemoQueue(scenario, workload, check)
      : prepareVjobs(scenario, workload, { baseDir: options.baseDir ?? ".", check });
  if (check) {
    const sim = run.sim;
    let lastTime = 0;
    sim.addInvariant("time never goes back", () => {
      const problem =
        sim.now < lastTime ? `clock went from ${lastTime}s to ${sim.now}s` : undefined;
      lastTime = sim.now;
      return problem;
    });
    sim.enableChecks();
  }
  return run;
}

/** Runs a validated scenario to its duration and writes summary.json and its tables atomically. */
export function runScenario(scenario: Scenario, options: RunOptions): RunResult {
  const run = prepareRun(scenario, options);
  run.sim.run({ until: scenario.duration });
  const outputs = run.finish(scenario.duration);
  const summary: Summary = {
    scenario: scenario.name,
    scenarioHash: hashOf(scenario),
    seed: scenario.seed,
    skysim: options.version,
    simulatedTime: run.sim.now,
    events: run.sim.dispatched,
    ...outputs.summary,
  };
  // Everything is computed before the first file is written: a failed run leaves no files.
  const texts = [
    { name: "summary.json", text: `${JSON.stringify(summary, null, 2)}\n` },
    ...outputs.files,
  ];
  const files = texts.map(({ name, text }) => {
    const path = join(options.outDir, name);
    writeFileAtomic(path, text);
    return path;
  });
  return { summary, headline: outputs.headline, files };
}

function hashOf(scenario: Scenario): string {
  return createHash("sha256").update(JSON.stringify(scenario)).digest("hex");
}
