import type { Cloud } from "../compute/cloud.js";
import { migrateVm } from "../compute/live-migration.js";
import { resumeVm, suspendVm } from "../compute/suspend-resume.js";
import type { Vm, VmState } from "../compute/vm.js";
import type { PlanAction } from "../policies/consolidation/entropy/plan-actions.js";

/** How a plan went: actions started, those skipped because the cloud changed meanwhile. */
export interface PlanOutcome {
  readonly start: number;
  readonly end: number;
  readonly started: number;
  readonly skipped: number;
}

export interface PlanExecutorOptions {
  /** Starts a VM that never ran (context switch); the executor follows its boot to running. */
  readonly run?: (vm: Vm, host: number) => void;
  /** Whether a VM (by cloud id) may arrive on a host now, under the constraints (any if undefined). */
  readonly admits?: (vm: number, host: number) => boolean;
}

/** The states an action passes through; it is over once its VM has left them. */
const IN_PROGRESS: readonly VmState[] = ["migrating", "suspending", "resuming", "booting"];

/**
 * Carries out a plan on the cloud: pools one after another, the actions of a pool together, the
 * next pool once every action of this one is over (completed, failed or cancelled). The cloud may
 * have changed since the decision (a host crashed, a VM ended): an action whose VM is no longer
 * where the plan expects it, or whose destination is down, lacks the RAM now or would break a
 * constraint now (`admits`), is skipped.
 */
export function executePlan(
  cloud: Cloud,
  pools: readonly (readonly PlanAction[])[],
  vms: readonly Vm[],
  options: PlanExecutorOptions,
  onDone: (outcome: PlanOutcome) => void,
): void {
  const start = cloud.sim.now;
  let started = 0;
  let skipped = 0;
  let next = 0;
  const pending = new Set<Vm>();
  const unsubscribe = cloud.vmStateChanged.subscribe(({ vm, to }) => {
    if (!pending.has(vm) || IN_PROGRESS.includes(to)) return;
    pending.delete(vm);
    // In an event of its own: the change may come from inside a loop over the VMs.
    if (pending.size === 0) cloud.sim.schedule(0, runPool);
  });
  function runPool(): void {
    const pool = pools[next++];
    if (pool === undefined) {
      unsubscribe();
      onDone({ start, end: cloud.sim.now, started, skipped });
      return;
    }
    for (const action of pool) {
      const vm = vms[action.vm];
      if (vm !== undefined && startAction(cloud, action, vm, options)) {
        started++;
        if (IN_PROGRESS.includes(vm.state)) pending.add(vm);
      } else skipped++;
    }
    if (pending.size === 0) cloud.sim.schedule(0, runPool);
  }
  runPool();
}

function startAction(
  cloud: Cloud,
  action: PlanAction,
  vm: Vm,
  options: PlanExecutorOptions,
): boolean {
  const roomOn = (host: number): boolean =>
    cloud.isHostUp(host) &&
    cloud.freeMemory(host) >= vm.spec.memory &&
    options.admits?.(vm.id, host) !== false;
  switch (action.kind) {
    case "migrate":
      if (
        vm.state !== "running" ||
        vm.host !== action.from ||
        cloud.operationOf(vm) !== undefined
      ) {
        return false;
      }
      if (!roomOn(action.to)) return false;
      migrateVm(cloud, vm, action.to);
      return true;
    case "suspend":
      if (vm.state !== "running" || vm.host !== action.on || cloud.operationOf(vm) !== undefined) {
        return false;
      }
      suspendVm(cloud, vm);
      return true;
    case "resume":
      if (vm.state !== "suspended" || vm.host === undefined || !cloud.isHostUp(vm.host)) {
        return false;
      }
      if (!roomOn(action.to)) return false;
      resumeVm(cloud, vm, { host: action.to });
      return true;
    case "run":
      if (vm.state !== "waiting" || options.run === undefined || !roomOn(action.to)) return false;
      options.run(vm, action.to);
      return true;
  }
}
