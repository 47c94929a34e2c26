import type { Simulation } from "../sim/simulation.js";

/** A CSV or other file of a run, named relative to the output folder. */
export interface OutputFile {
  readonly name: string;
  readonly text: string;
}

/** What a workload's run hands back once simulated. */
export interface WorkloadOutputs {
  /** The workload's part of summary.json (deterministic values only). */
  readonly summary: Readonly<Record<string, unknown>>;
  /** One line for the terminal. */
  readonly headline: string;
  readonly files: readonly OutputFile[];
}

/** The model of one run, built and ready: tests observe its signals before running it. */
export interface PreparedRun {
  readonly sim: Simulation;
  /** Collects the outputs after the simulation ran (to the horizon `until`). */
  finish(until: number): WorkloadOutputs;
}
