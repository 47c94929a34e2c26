import type { ConstraintSummary } from "../output/constraint-metrics.js";
import type { ServiceSummary } from "../output/service-availability.js";
import type { CloudSummary } from "../output/cloud-metrics.js";
import type { ConsolidationSummary } from "../output/consolidation-metrics.js";
import type { FailureSummary } from "../output/failure-metrics.js";
import type { JobSummary } from "../output/job-statistics.js";
import type { VjobSummary } from "../output/vjob-statistics.js";
import type { Simulation } from "../sim/simulation.js";

/**
 * A workload's part of summary.json (deterministic values only): a `vjobs` workload gives the
 * first four (and its constraints and services, if it has any), a `demo-queue` gives `jobs`.
 */
export interface WorkloadSummary {
  readonly vjobs?: VjobSummary;
  readonly cloud?: CloudSummary;
  readonly consolidation?: ConsolidationSummary;
  readonly failures?: FailureSummary;
  readonly jobs?: JobSummary;
  /** Each of the scenario's placement constraints and how well it was kept (if it has any). */
  readonly constraints?: readonly ConstraintSummary[];
  /** How available the replicated services were (if the workload has any). */
  readonly services?: ServiceSummary;
}

/** What a workload's run hands back once simulated. */
export interface WorkloadOutputs {
  readonly summary: WorkloadSummary;
  /** One line for the terminal. */
  readonly headline: string;
}

/** The model of one run, built and ready: tests observe its signals before running it. */
export interface PreparedRun {
  readonly sim: Simulation;
  /** Writes the last rows of its tables and returns its summary, once simulated to `until`. */
  finish(until: number): WorkloadOutputs;
}
