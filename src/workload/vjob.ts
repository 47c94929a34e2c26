import type { VmSpec } from "../compute/vm.js";
import type { LoadProfile } from "./load-profiles.js";

/** An amount of computation: flops, or core-seconds (seconds of one core of the host it runs on). */
export interface WorkAmount {
  readonly unit: "flops" | "core-seconds";
  readonly amount: number;
}

/**
 * A virtualized job: a named set of VMs submitted together, started together (all or none), and
 * finished when every VM has done its work (or, without work, after `duration` seconds).
 */
export interface VjobSpec {
  readonly name: string;
  /** Submission time, s. */
  readonly submit: number;
  readonly vms: readonly VmSpec[];
  /** CPU load of each VM over time (aligned with `vms`). */
  readonly loads: readonly LoadProfile[];
  /** Work of each VM (aligned with `vms`); a VM without work is done at once. */
  readonly work?: readonly WorkAmount[];
  /** For a job without work (a service): how long it runs once started, s. */
  readonly duration?: number;
  /** Site the job belongs to (its users, its data): where placement looks first. */
  readonly homeSite?: number;
}
