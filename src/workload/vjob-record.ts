import type { Vm } from "../compute/vm.js";
import type { VjobSpec } from "./vjob.js";
import type { SnapshotCounts } from "./vjob-snapshots.js";

export type VjobState = "waiting" | "booting" | "restoring" | "running" | "done";

/** What happened to one vjob; times in s, NaN until they happen. */
export interface VjobRecord extends SnapshotCounts {
  readonly spec: VjobSpec;
  state: VjobState;
  /** Start of the current (or last) attempt. */
  start: number;
  /** Start of the first attempt. */
  firstStart: number;
  /** When its VMs first all ran and its work began. */
  firstRun: number;
  end: number;
  /** Times it started over from zero after losing a VM. */
  restarts: number;
  /** Times it was restored from a snapshot after losing a VM. */
  restores: number;
  /** Times it started again (restart, restore, relocation) on another site than before. */
  crossSiteMoves: number;
  /** Work its VMs had done that was lost (since the snapshot or start it went back to), core-s. */
  lostCoreSeconds: number;
  hosts: number[];
  vms: Vm[];
}

/** A vjob just submitted: nothing has happened to it yet. */
export function newVjobRecord(spec: VjobSpec): VjobRecord {
  return {
    spec,
    state: "waiting",
    start: Number.NaN,
    firstStart: Number.NaN,
    firstRun: Number.NaN,
    end: Number.NaN,
    restarts: 0,
    restores: 0,
    crossSiteMoves: 0,
    lostCoreSeconds: 0,
    snapshots: 0,
    snapshotsFailed: 0,
    snapshotSeconds: 0,
    snapshotBytes: 0,
    hosts: [],
    vms: [],
  };
}

export /** Core-seconds of work between `origin` (work left then, flops) and `now`, at each VM's speed. */
function lostWork(
  origin: readonly (number | undefined)[],
  now: readonly (number | undefined)[],
  speeds: readonly number[],
): number {
  let lost = 0;
  origin.forEach((left, i) => {
    const current = now[i];
    if (left !== undefined && current !== undefined) lost += (left - current) / (speeds[i] ?? 1);
  });
  return lost;
}
