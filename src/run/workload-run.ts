import type { Simulation } from "../sim/simulation.js";

/** What a workload's run hands back once simulated. */
export interface WorkloadOutputs {
  /** The workload's part of summary.json (deterministic values only). */
  readonly summary: Readonly<Record<string, unknown>>;
  /** One line for the terminal. */
  readonly headline: string;
}

/** The model of one run, built and ready: tests observe its signals before running it. */
export interface PreparedRun {
  readonly sim: Simulation;
  /** Writes the last rows of its tables and returns its summary, once simulated to `until`. */
  finish(until: number): WorkloadOutputs;
}
