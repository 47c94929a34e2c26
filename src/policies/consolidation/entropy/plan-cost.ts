import type { Configuration } from "../configuration.js";
import type { PlanAction, PlanPool } from "./plan-actions.js";

/** Rates behind a plan's expected duration (a planning estimate, not the simulated time). */
export interface PlanDurationOptions {
  /** Bytes/s a live migration moves: 125e6 (a 1 Gb/s NIC) unless given. */
  readonly migrationBandwidth?: number;
  /** Bytes/s a suspend writes and a resume reads: 100e6 (Grid'5000 disk assumption) unless given. */
  readonly diskBandwidth?: number;
  /** Seconds a first start takes: 30 unless given. */
  readonly bootTime?: number;
}

export const DEFAULT_PLAN_DURATIONS: Required<PlanDurationOptions> = {
  migrationBandwidth: 125e6,
  diskBandwidth: 100e6,
  bootTime: 30,
};

/**
 * Bytes an action moves, Entropy's reconfiguration cost: a migration sends the VM's memory over
 * the network (one round of pre-copy; a bypass is two migrations, so twice), a suspend writes it to
 * disk and a resume reads it back; a first start moves no memory.
 */
export function actionCost(action: PlanAction, memory: number): number {
  return action.kind === "run" ? 0 : memory;
}

/** Seconds an action is expected to take: its bytes at its bandwidth, or the boot time. */
export function actionDuration(
  action: PlanAction,
  memory: number,
  options: PlanDurationOptions = {},
): number {
  const rates = { ...DEFAULT_PLAN_DURATIONS, ...options };
  switch (action.kind) {
    case "migrate":
      return memory / rates.migrationBandwidth;
    case "suspend":
    case "resume":
      return memory / rates.diskBandwidth;
    case "run":
      return rates.bootTime;
  }
}

function memoryOf(configuration: Configuration, action: PlanAction): number {
  const vm = configuration.vms[action.vm];
  if (vm?.id !== action.vm) throw new Error(`plan action on unknown VM #${action.vm}`);
  return vm.memory;
}

/** Total bytes the plan moves: the sum of its actions' costs. */
export function planCost(configuration: Configuration, pools: readonly PlanPool[]): number {
  let cost = 0;
  for (const pool of pools) {
    for (const action of pool) cost += actionCost(action, memoryOf(configuration, action));
  }
  return cost;
}

/** Expected seconds: pools run one after another, each as long as its longest action. */
export function planDuration(
  configuration: Configuration,
  pools: readonly PlanPool[],
  options: PlanDurationOptions = {},
): number {
  let duration = 0;
  for (const pool of pools) {
    let longest = 0;
    for (const action of pool) {
      longest = Math.max(longest, actionDuration(action, memoryOf(configuration, action), options));
    }
    duration += longest;
  }
  return duration;
}
