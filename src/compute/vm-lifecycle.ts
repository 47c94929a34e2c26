import type { VmState } from "./vm.js";

/**
 * The states a VM may go to from each state. Any state but `stopped` may go to `failed` (its host
 * crashed) and to `stopped` (its job ended: the operation under way is aborted); a failed VM comes
 * back only by restoring a snapshot.
 */
export const VM_TRANSITIONS: Readonly<Record<VmState, readonly VmState[]>> = {
  waiting: ["booting", "restoring", "failed", "stopped"],
  booting: ["running", "failed", "stopped"],
  running: ["migrating", "suspending", "snapshotting", "failed", "stopped"],
  migrating: ["running", "failed", "stopped"],
  suspending: ["suspended", "running", "failed", "stopped"],
  suspended: ["resuming", "failed", "stopped"],
  resuming: ["running", "suspended", "failed", "stopped"],
  snapshotting: ["running", "failed", "stopped"],
  restoring: ["running", "failed", "stopped"],
  failed: ["restoring", "stopped"],
  stopped: [],
};

/** A VM was asked to go where its lifecycle does not lead: a bug in a policy or a model. */
export class IllegalTransition extends Error {
  constructor(
    readonly vm: string,
    readonly from: VmState,
    readonly to: VmState,
  ) {
    super(`VM ${vm}: cannot go from ${from} to ${to}`);
    this.name = "IllegalTransition";
  }
}

/** An operation was asked of a VM in a state that does not allow it (a policy bug). */
export class IllegalOperation extends Error {
  constructor(
    readonly vm: string,
    readonly state: VmState,
    readonly operation: string,
  ) {
    super(`VM ${vm}: cannot ${operation} while ${state}`);
    this.name = "IllegalOperation";
  }
}

export function canTransition(from: VmState, to: VmState): boolean {
  return VM_TRANSITIONS[from].includes(to);
}
