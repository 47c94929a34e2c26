import { createHash } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../output/atomic-file.js";
import type { PolicyObjects } from "../policies/policy-objects.js";
import type { Scenario } from "../scenario/schema.js";
import type { VjobsWorkload } from "../scenario/vjobs-section.js";
import { prepareDemoQueue } from "./demo-queue-run.js";
import { RunOutputs } from "./run-outputs.js";
import { prepareVjobs } from "./vjobs-run.js";
import type { PreparedRun, WorkloadSummary } from "./workload-run.js";
import { skysimVersion } from "../package-files.js";

export interface RunOptions {
  /** Folder that receives the run's files; none: the run stays in memory and writes nothing. */
  readonly outDir?: string;
  /** skysim's version, recorded in the summary (default: the package's). */
  readonly version?: string;
  /** Check the model's invariants after every event (slower). */
  readonly check?: boolean;
  /** Folder of the scenario file: files it names (an SWF log) are found from there. */
  readonly baseDir?: string;
  /** Called every 1% of the simulated span with the time reached and the events so far. */
  readonly onProgress?: (time: number, events: number) => void;
  /** Also write timeline.csv (a vjobs run with `outDir`): what the report's timeline draws. */
  readonly timeline?: boolean;
  /** Policy objects in place of the scenario's of their kinds (a vjobs workload's). */
  readonly policies?: PolicyObjects;
  /**
   * Leave summary.json, the run's completion mark, to the caller (`RunResult.writeSummary`), to
   * write once its own files (charts, run-info.json) are: a folder with summary.json is whole.
   */
  readonly summaryLast?: boolean;
}

/** Progress reports per run; running in slices changes nothing (`run({ until })` is inclusive). */
const PROGRESS_SLICES = 100;

/**
 * summary.json: only deterministic fields, so two runs of one scenario and seed are identical.
 * The workload's parts (`WorkloadSummary`) follow the run's own fields.
 */
export interface Summary extends WorkloadSummary {
  readonly scenario: string;
  /** SHA-256 of the validated scenario (defaults applied, units parsed). */
  readonly scenarioHash: string;
  readonly seed: number;
  readonly skysim: string;
  /** Simulated seconds. */
  readonly simulatedTime: number;
  readonly events: number;
}

export interface RunResult {
  readonly summary: Summary;
  /** Lines on the run's outcome, for the terminal. */
  readonly headline: string;
  /** The files written (none in memory). */
  readonly files: readonly string[];
  /**
   * With `summaryLast`: removes the files an earlier run left in the folder that this one did not
   * write (`written`: every file the caller wrote too), then writes summary.json and gives its
   * path (`RunOutputs.removeStale`).
   */
  readonly writeSummary?: (written: readonly string[]) => string;
  /**
   * With `summaryLast`: undoes the run's files if what the caller writes before summary.json
   * fails (`RunOutputs.abort`).
   */
  readonly abort?: () => void;
}

/** Builds the model of a scenario's run, with the engine's own invariants if `check`. */
export function prepareRun(
  scenario: Scenario,
  options: {
    readonly check?: boolean;
    readonly baseDir?: string;
    readonly outputs?: RunOutputs;
    /** Write timeline.csv among the outputs (a vjobs workload's). */
    readonly timeline?: boolean;
    /** Policy objects in place of the scenario's of their kinds (a vjobs workload's). */
    readonly policies?: PolicyObjects;
  } = {},
): PreparedRun {
  const check = options.check ?? false;
  const workload = scenario.workload;
  const baseDir = options.baseDir ?? ".";
  const run =
    workload.type === "demo-queue"
      ? prepareDemoQueue(scenario, workload, check, options.outputs)
      : prepareVjobs(scenario, workload, {
          baseDir,
          check,
          ...(options.outputs === undefined ? {} : { outputs: options.outputs }),
          timeline: options.timeline ?? false,
          ...(options.policies === undefined ? {} : { policies: options.policies }),
          ...(scenario.output.failureFree
            ? { failureFree: failureFreeTurnarounds(scenario, workload, baseDir) }
            : {}),
        });
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

/**
 * Runs a validated scenario to its duration. With `outDir`, its tables stream into temporary
 * files, and every file takes its final name only once the run has succeeded; without, nothing is
 * written and the summary is returned.
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const outputs =
    options.outDir === undefined
      ? undefined
      : new RunOutputs(options.outDir, scenario.output.format);
  try {
    const run = prepareRun(scenario, {
      ...(options.check === undefined ? {} : { check: options.check }),
      ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
      ...(outputs === undefined ? {} : { outputs }),
      timeline: options.timeline ?? false,
      ...(options.policies === undefined ? {} : { policies: options.policies }),
    });
    if (options.onProgress === undefined) run.sim.run({ until: scenario.duration });
    else {
      for (let slice = 1; slice <= PROGRESS_SLICES; slice++) {
        run.sim.run({ until: (scenario.duration * slice) / PROGRESS_SLICES });
        options.onProgress(run.sim.now, run.sim.dispatched);
      }
    }
    const workload = run.finish(scenario.duration);
    const summary = summaryOf(scenario, run, workload.summary, options.version);
    if (outputs === undefined) return { summary, headline: workload.headline, files: [] };
    const text = `${JSON.stringify(summary, null, 2)}\n`;
    if (options.summaryLast !== true) outputs.text("summary.json", text);
    const files = outputs.commit();
    if (options.summaryLast !== true) return { summary, headline: workload.headline, files };
    const path = join(outputs.outDir, "summary.json");
    const writeSummary = (written: readonly string[]) => {
      outputs.removeStale(written);
      writeFileAtomic(path, text);
      return path;
    };
    return {
      summary,
      headline: workload.headline,
      files,
      writeSummary,
      abort: () => {
        outputs.abort();
      },
    };
  } catch (error) {
    outputs?.abort();
    throw error;
  }
}

/** The run's own fields, then the workload's parts. */
export function summaryOf(
  scenario: Scenario,
  run: PreparedRun,
  workload: WorkloadSummary,
  version = skysimVersion(),
): Summary {
  return {
    scenario: scenario.name,
    scenarioHash: scenarioHash(scenario),
    seed: scenario.seed,
    skysim: version,
    simulatedTime: run.sim.now,
    events: run.sim.dispatched,
    ...workload,
  };
}

/**
 * The turnaround of each vjob that finishes in the scenario's failure-free twin: the same
 * scenario and seed without failures and without fault tolerance (so without snapshots either).
 */
function failureFreeTurnarounds(
  scenario: Scenario,
  workload: VjobsWorkload,
  baseDir: string,
): ReadonlyMap<string, number> {
  const twin: Scenario = {
    ...scenario,
    failures: [],
    policies: { ...scenario.policies, faultTolerance: { name: "none", restartDelay: 30 } },
  };
  const run = prepareVjobs(twin, workload, { baseDir, check: false });
  const turnarounds = new Map<string, number>();
  run.runner.vjobFinished.subscribe((record) => {
    turnarounds.set(record.spec.name, record.end - record.spec.submit);
  });
  run.sim.run({ until: scenario.duration });
  return turnarounds;
}

/** What identifies a validated scenario in its summary (and lets a sweep tell a stale run). */
export function scenarioHash(scenario: Scenario): string {
  return createHash("sha256").update(JSON.stringify(scenario)).digest("hex");
}
