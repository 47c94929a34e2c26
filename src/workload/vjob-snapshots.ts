import type { Cloud } from "../compute/cloud.js";
import { type Snapshot, snapshotVms } from "../compute/snapshot.js";
import type { Vm } from "../compute/vm.js";
import type { SnapshotPolicy } from "../policies/faulttolerance/fault-tolerance.js";
import type { EventId } from "../sim/simulation.js";

/** A snapshot that counts: stored, with how long the vjob had served when it was captured. */
export interface StoredSnapshot {
  readonly snapshot: Snapshot;
  /** Seconds the vjob had run (for a vjob with a duration rather than work). */
  readonly served: number;
}

/** What a vjob's snapshots cost it, kept on its record. */
export interface SnapshotCounts {
  snapshots: number;
  snapshotsFailed: number;
  /** Seconds its VMs spent saving their RAM (paused, in coordinated mode). */
  snapshotSeconds: number;
  snapshotBytes: number;
}

/** The snapshots of one running vjob. */
interface Schedule<Key> {
  readonly key: Key;
  readonly counts: SnapshotCounts;
  readonly vms: readonly Vm[];
  readonly served: () => number;
  timer: EventId | undefined;
  inFlight: Snapshot | undefined;
  /** The period has passed but the vjob could not be snapshotted yet (a VM busy, a copy on). */
  due: boolean;
  /** The vjob is done: a snapshot given up then is no failure. */
  done: boolean;
}

/**
 * Snapshots running vjobs for a fault-tolerance policy: a vjob is captured `period` after it
 * starts running and then `period` after each capture ends. A snapshot is taken only when every
 * VM runs (otherwise it waits for them) and never while the previous one is still copying; it
 * replaces the vjob's latest only once stored, so one interrupted by a failure changes nothing.
 */
export class VjobSnapshots<Key> {
  private readonly schedules = new Map<Key, Schedule<Key>>();
  private readonly stored = new Map<Key, StoredSnapshot>();
  private readonly scheduleOfVm = new Map<Vm, Schedule<Key>>();

  constructor(
    private readonly cloud: Cloud,
    private readonly policy: SnapshotPolicy,
  ) {
    cloud.vmStateChanged.subscribe(({ vm, to }) => {
      const schedule = to === "running" ? this.scheduleOfVm.get(vm) : undefined;
      if (schedule?.due === true) this.take(schedule);
    });
  }

  /** The vjob `key` runs on `vms`: its snapshots begin. */
  start(key: Key, vms: readonly Vm[], counts: SnapshotCounts, served: () => number): void {
    const schedule: Schedule<Key> = {
      key,
      counts,
      vms,
      served,
      timer: undefined,
      inFlight: undefined,
      due: false,
      done: false,
    };
    this.schedules.set(key, schedule);
    for (const vm of vms) this.scheduleOfVm.set(vm, schedule);
    this.wait(schedule);
  }

  /**
   * The vjob stopped running (it lost a VM, or moves): no more snapshots, and the one under way
   * is discarded and counts as failed.
   */
  stop(key: Key): void {
    const schedule = this.schedules.get(key);
    if (schedule === undefined) return;
    this.schedules.delete(key);
    for (const vm of schedule.vms) this.scheduleOfVm.delete(vm);
    if (schedule.timer !== undefined) this.cloud.sim.cancel(schedule.timer);
    schedule.inFlight?.abort("its vjob stopped");
  }

  /** The vjob is done (or starts over from zero): its snapshots are dropped, uncounted. */
  forget(key: Key): void {
    const schedule = this.schedules.get(key);
    if (schedule !== undefined) schedule.done = true;
    this.stop(key);
    this.stored.delete(key);
  }

  /** The vjob's latest stored snapshot, if its store is up. */
  latest(key: Key): StoredSnapshot | undefined {
    const latest = this.stored.get(key);
    return latest !== undefined && this.cloud.isHostUp(latest.snapshot.options.store)
      ? latest
      : undefined;
  }

  private wait(schedule: Schedule<Key>): void {
    schedule.timer = this.cloud.sim.schedule(this.policy.period(this.captureCost(schedule)), () => {
      schedule.timer = undefined;
      this.take(schedule);
    });
  }

  /**
   * What one capture costs the vjob, s: each host's disk writes the RAM (and disk delta) of the
   * vjob's VMs on it, and a coordinated capture lasts as long as the slowest host.
   */
  private captureCost(schedule: Schedule<Key>): number {
    const bytesOn = new Map<number, number>();
    for (const vm of schedule.vms) {
      const host = vm.host ?? 0;
      bytesOn.set(host, (bytesOn.get(host) ?? 0) + vm.spec.memory);
    }
    let cost = 0;
    for (const [host, bytes] of bytesOn) {
      const bandwidth = this.cloud.platform.hosts[host]?.diskBandwidth ?? Infinity;
      cost = Math.max(cost, bytes / bandwidth);
    }
    return cost;
  }

  private take(schedule: Schedule<Key>): void {
    if (schedule.inFlight !== undefined || schedule.vms.some((vm) => vm.state !== "running")) {
      schedule.due = true;
      return;
    }
    schedule.due = false;
    const site = this.cloud.platform.hosts[schedule.vms[0]?.host ?? 0]?.site ?? 0;
    const store = this.policy.store(this.cloud, site);
    // No store to write to: this round is skipped (the counts show it as a failed snapshot).
    if (store === undefined) {
      schedule.counts.snapshotsFailed++;
      this.wait(schedule);
      return;
    }
    const served = schedule.served();
    schedule.inFlight = snapshotVms(this.cloud, schedule.vms, {
      store,
      mode: this.policy.mode,
      diskDelta: this.policy.diskDelta,
      onCaptured: (snapshot) => {
        schedule.counts.snapshotSeconds += snapshot.captured - snapshot.start;
        if (this.schedules.get(schedule.key) === schedule) this.wait(schedule);
      },
      onDone: (snapshot) => {
        schedule.inFlight = undefined;
        if (schedule.done) return;
        if (snapshot.state === "failed") {
          schedule.counts.snapshotsFailed++;
          return;
        }
        schedule.counts.snapshots++;
        schedule.counts.snapshotBytes += snapshot.images.reduce(
          (sum, image) => sum + image.bytes,
          0,
        );
        this.stored.set(schedule.key, { snapshot, served });
        if (schedule.due) this.take(schedule);
      },
    });
  }
}
