import type { CloudSummary } from "../output/cloud-metrics.js";
import type { CloudView } from "../policies/cloud-view.js";
import { type PolicyObjects, policyObjectsOf } from "../policies/policy-objects.js";
import type { Scenario } from "../scenario/schema.js";
import type { Decision } from "./consolidation-loop.js";
import { type Summary, prepareRun, summaryOf } from "./run-scenario.js";
import type { VjobsRun } from "./vjobs-run.js";

/**
 * What `SteppedRun.start` may be given: besides the options below, policy objects (placement,
 * consolidation, faultTolerance, sky, power) in place of the scenario's of their kinds, e.g. an
 * agent called at each decision of the scenario's consolidation loop.
 */
export interface StepOptions extends PolicyObjects {
  /** Check the model's invariants after every event (slower). */
  readonly check?: boolean;
  /** Folder of the scenario file: files it names (an SWF log) are found from there. */
  readonly baseDir?: string;
  /** skysim's version, recorded in the summary (default: the package's). */
  readonly version?: string;
}

/**
 * A run of a `vjobs` scenario driven from the caller's own loop (an agent's, a notebook's): it
 * advances to a time or to the consolidation's next decision, and between steps the cloud and its
 * metrics can be read. Stepping changes nothing: the same scenario and seed give the same events
 * and summary whatever the steps (the engine's `run({ until })` is inclusive and resumable). It
 * writes no file. Act on the run through the policies: policy objects given to `start` (or user
 * policy modules named in the scenario) are called as the run goes (a consolidation at each
 * decision) and may act on whatever the caller set between steps.
 */
export class SteppedRun {
  private readonly decisions: Decision[] = [];

  private constructor(
    private readonly scenario: Scenario,
    private readonly run: VjobsRun,
    private readonly version: string | undefined,
  ) {
    run.manager.decided.subscribe((decision) => {
      this.decisions.push(decision);
    });
  }

  /** Prepares a run at time 0 (nothing simulated yet). */
  static start(scenario: Scenario, options: StepOptions = {}): SteppedRun {
    if (scenario.workload.type !== "vjobs") {
      throw new Error(`a stepped run needs a vjobs workload, not ${scenario.workload.type}`);
    }
    const run = prepareRun(scenario, {
      ...(options.check === undefined ? {} : { check: options.check }),
      ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
      policies: policyObjectsOf(options),
    }) as VjobsRun;
    return new SteppedRun(scenario, run, options.version);
  }

  /** Simulated seconds so far. */
  get now(): number {
    return this.run.sim.now;
  }

  /** Events dispatched so far. */
  get events(): number {
    return this.run.sim.dispatched;
  }

  /** Whether the run has reached the scenario's duration. */
  get done(): boolean {
    return this.now >= this.scenario.duration;
  }

  /** The cloud, read-only: platform, hosts up, what they hold, the VMs and their loads. */
  get cloud(): CloudView {
    return this.run.cloud;
  }

  /** The cloud's metrics up to now (violation, energy, migrations...). */
  cloudSummary(): CloudSummary {
    return this.run.metrics.summarize(this.now);
  }

  /** Simulates up to `time` (at most the scenario's duration), every event at `time` included. */
  advanceTo(time: number): void {
    this.run.sim.run({ until: Math.min(time, this.scenario.duration) });
  }

  /** Simulates `seconds` more. */
  advanceBy(seconds: number): void {
    this.advanceTo(this.now + seconds);
  }

  /**
   * Simulates until the consolidation's next decision (returned, with its plan) or the end of the
   * run (undefined).
   */
  nextDecision(): Decision | undefined {
    const seen = this.decisions.length;
    const stop = this.run.manager.decided.subscribe(() => {
      this.run.sim.stop();
    });
    try {
      this.advanceTo(this.scenario.duration);
    } finally {
      stop();
    }
    return this.decisions[seen];
  }

  /** Simulates to the end and returns the run's summary (as `runScenario` would). */
  finish(): Summary {
    this.advanceTo(this.scenario.duration);
    const workload = this.run.finish(this.scenario.duration);
    return summaryOf(this.scenario, this.run, workload.summary, this.version);
  }
}
