import { bootVm } from "../compute/boot.js";
import type { Cloud } from "../compute/cloud.js";
import { migrateVm } from "../compute/live-migration.js";
import { restoreVms } from "../compute/restore.js";
import { snapshotVms } from "../compute/snapshot.js";
import type { Vm, VmSpec } from "../compute/vm.js";
import type { FaultTolerancePolicy } from "../policies/faulttolerance/fault-tolerance.js";
import type { Placement } from "../policies/placement/placement.js";
import type { RandomStream, RandomStreams } from "../sim/random.js";
import { Signal } from "../sim/signal.js";
import type { EventId } from "../sim/simulation.js";
import type { VjobSpec } from "./vjob.js";
import { type VjobRecord, lostWork, newVjobRecord } from "./vjob-record.js";
import { type StoredSnapshot, VjobSnapshots } from "./vjob-snapshots.js";

/** Where an attempt starts from: the beginning, or a stored snapshot. */
interface Origin {
  /** Work left of each VM, flops (undefined: not known yet, set from the job at its first run). */
  readonly workLeft: readonly (number | undefined)[];
  /** Seconds already served, for a vjob with a duration. */
  readonly served: number;
}

/** One try at running a vjob: what to undo if it ends early. */
interface Attempt {
  readonly origin: Origin;
  readonly stops: (() => void)[];
  timer: EventId | undefined;
  /** Work given to each VM, flops, and the core speed it was counted at. */
  readonly work: Map<Vm, { flops: number; coreSpeed: number }>;
  /** When its VMs began running (NaN before). */
  runStart: number;
  over: boolean;
}

/** Queued vjobs a wake-up looks at: a burst wakes hosts in parallel, not one after another. */
const WAKE_LOOKAHEAD = 256;

/** A queued vjob as a wake-up sees it: its VMs and the site it would try first. */
export interface WakeRequest {
  readonly vms: readonly VmSpec[];
  readonly site: number | undefined;
}

export interface VjobRunnerOptions {
  readonly placement: Placement;
  /**
   * The site a vjob should go to first (a sky policy): `from` is the site it ran on before, for
   * one starting again after a failure. Default: its home site.
   */
  readonly siteFor?: (
    vms: readonly VmSpec[],
    homeSite: number | undefined,
    from: number | undefined,
  ) => number | undefined;
  /** Boot delay of every VM, s. */
  readonly bootDelay: number;
  /** Host of the image store that VMs boot from (a transfer each); none: local images. */
  readonly imageStore?: number;
  /** What a vjob does when it loses a VM: when it notices, and whether it has snapshots. */
  readonly faultTolerance: FaultTolerancePolicy;
  /**
   * Who starts queued vjobs: the runner itself, by the placement, in FIFO order ("queue"); or a
   * controller such as Entropy's context switch ("controller"), which decides which vjobs run,
   * boots their VMs (`bootQueued`) and may suspend and resume them. A controlled vjob's VMs exist
   * (waiting) from the moment it is queued, so the controller can plan them.
   */
  readonly admission?: "queue" | "controller";
  /**
   * Called when the head vjob fits on no host that is on: boots hosts that are off for it, if the
   * power policy allows (the vjob waits for them; a host coming on serves the queue again).
   */
  readonly wake?: (waiting: readonly WakeRequest[]) => boolean;
}

/**
 * Runs vjobs on a cloud: each is submitted at its time and queued; the queue is served in order
 * (a job that does not fit holds the ones behind it: FIFO, no backfilling) whenever one arrives or
 * one ends. A started job boots all its VMs on the hosts the placement chose; once all run, their
 * load profiles start and their work begins; the job is done when every VM's work is (or when its
 * duration has passed), and its VMs stop. A job that loses a VM stops at once; once the fault
 * tolerance notices, it goes back to the head of the queue, to be restored from its latest
 * snapshot or started over from zero.
 */
export class VjobRunner {
  readonly vjobSubmitted = new Signal<VjobRecord>("vjob submitted");
  /** Its VMs got hosts and boot or are restored there (`state` says which). */
  readonly vjobPlaced = new Signal<VjobRecord>("vjob placed");
  /** Every VM runs: its work begins (or goes on). */
  readonly vjobStarted = new Signal<VjobRecord>("vjob started");
  readonly vjobFinished = new Signal<VjobRecord>("vjob finished");
  /** It lost a VM: its attempt is over. */
  readonly vjobFailed = new Signal<VjobRecord>("vjob failed");
  /** The loss was noticed and it will start over from zero... */
  readonly vjobRestarted = new Signal<VjobRecord>("vjob restarted");
  /** ...or be restored from a snapshot. */
  readonly vjobRestored = new Signal<VjobRecord>("vjob restored");
  /** A running vjob stopped, its snapshot stored, to be restored on another site (a flight). */
  readonly vjobFlies = new Signal<VjobRecord>("vjob flies by snapshot");
  /** Controller admission: the queued vjob's VMs were made (waiting), for the controller to plan. */
  readonly vjobVmsMade = new Signal<VjobRecord>("vjob VMs made");
  private readonly queue: VjobRecord[] = [];
  /** Submitted vjobs not done yet, in submission order; done ones are forgotten. */
  private readonly unfinished = new Set<VjobRecord>();
  private readonly attempts = new Map<VjobRecord, Attempt>();
  private readonly jobOfVm = new Map<Vm, VjobRecord>();
  /** Queued vjobs that go back to a snapshot, and what they restore from. */
  private readonly restoring = new Map<VjobRecord, StoredSnapshot>();
  /** Each started vjob's whole work per VM, flops (counted at its first hosts' speed). */
  private readonly fullWork = new Map<VjobRecord, readonly (number | undefined)[]>();
  /** The site each vjob last ran on. */
  private readonly lastSite = new Map<VjobRecord, number>();
  /** Queued vjobs flying by snapshot, and the site they go to. */
  private readonly flyingTo = new Map<VjobRecord, number>();
  private readonly snapshots: VjobSnapshots<VjobRecord> | undefined;

  constructor(
    private readonly cloud: Cloud,
    private readonly streams: RandomStreams,
    private readonly options: VjobRunnerOptions,
  ) {
    const snapshotPolicy = options.faultTolerance.snapshots;
    this.snapshots =
      snapshotPolicy === undefined ? undefined : new VjobSnapshots(cloud, snapshotPolicy);
    // A host on (repaired, or booted) may make room for the jobs waiting (or bring a store back).
    cloud.hostPowerChanged.subscribe(({ to }) => {
      if (to === "on") this.serveQueue();
    });
    // Handled in an event of its own: the failure may come from inside a loop over the VMs.
    cloud.vmStateChanged.subscribe(({ vm, to }) => {
      if (to !== "failed") return;
      const record = this.jobOfVm.get(vm);
      const attempt = record === undefined ? undefined : this.attempts.get(record);
      if (record === undefined || attempt === undefined) return;
      cloud.sim.schedule(0, () => {
        this.fail(record, attempt);
      });
    });
  }

  /**
   * Submits the vjobs at their times, drawing them from `specs` one at a time (a long trace is
   * never all in memory). Submission times must not decrease.
   */
  submitAll(specs: Iterable<VjobSpec>): void {
    const iterator = specs[Symbol.iterator]();
    const scheduleNext = (after: number): void => {
      const next = iterator.next();
      if (next.done === true) return;
      const spec = next.value;
      if (!(spec.submit >= after)) {
        throw new RangeError(`vjob ${spec.name} is submitted at ${spec.submit}, before ${after}`);
      }
      this.cloud.sim.scheduleAt(spec.submit, () => {
        const record = newVjobRecord(spec);
        this.unfinished.add(record);
        this.enqueue(record, "back");
        this.vjobSubmitted.emit(record);
        this.serveQueue();
        scheduleNext(spec.submit);
      });
    };
    scheduleNext(0);
  }

  /** Vjobs submitted and not done, in submission order. */
  pending(): VjobRecord[] {
    return [...this.unfinished];
  }

  /**
   * Moves a running vjob to `site` (a sky policy's decision): by live migration of each VM to the
   * hosts the placement finds there, or by a snapshot stored on the site's first host and restored
   * there (the work done between its capture and its restore is lost). False, and nothing
   * happens, if a VM is busy or the site has no room for the whole vjob now.
   */
  fly(record: VjobRecord, site: number, move: "live-migration" | "snapshot"): boolean {
    const attempt = this.attempts.get(record);
    if (attempt === undefined || record.state !== "running") return false;
    if (record.vms.some((vm) => vm.state !== "running")) return false;
    const { cloud } = this;
    const hosts = this.options.placement.place(cloud, record.spec.vms, site);
    if (hosts === undefined || hosts.some((host) => cloud.platform.hosts[host]?.site !== site)) {
      return false;
    }
    if (move === "live-migration") {
      record.vms.forEach((vm, i) => migrateVm(cloud, vm, hosts[i] as number));
      record.hosts = hosts;
      record.crossSiteMoves++;
      this.lastSite.set(record, site);
      return true;
    }
    const store = cloud.platform.sites[site]?.clusters[0]?.hosts[0];
    if (store === undefined || !cloud.isHostUp(store)) return false;
    const served = this.served(attempt);
    snapshotVms(cloud, record.vms, {
      store,
      onDone: (snapshot) => {
        if (snapshot.state !== "stored" || attempt.over) return;
        const { workLeft, speeds } = this.stop(record, attempt);
        record.lostCoreSeconds += lostWork(
          snapshot.images.map((image) => image.workLeft),
          workLeft,
          speeds,
        );
        this.restoring.set(record, { snapshot, served });
        this.flyingTo.set(record, site);
        this.vjobFlies.emit(record);
        this.enqueue(record, "front");
        this.serveQueue();
      },
    });
    return true;
  }

  private enqueue(record: VjobRecord, end: "front" | "back"): void {
    if (end === "front") this.queue.unshift(record);
    else this.queue.push(record);
    if (this.options.admission !== "controller") return;
    this.createVms(record);
    record.hosts = [];
    this.vjobVmsMade.emit(record);
  }

  /** Makes the vjob's VMs (waiting), known as its own. */
  private createVms(record: VjobRecord): void {
    record.vms = record.spec.vms.map((spec) => this.cloud.createVm(spec));
    for (const vm of record.vms) this.jobOfVm.set(vm, record);
  }

  /**
   * Controller admission: boots one VM of a queued vjob on `host`. The vjob leaves the queue with
   * its first VM booted, and runs once all its VMs do. (A controller starts vjobs from zero: a
   * snapshot the vjob had is given up, and the work since its start counted lost.)
   */
  bootQueued(vm: Vm, host: number): void {
    const record = this.jobOfVm.get(vm);
    if (record === undefined) throw new Error(`VM ${vm.name} belongs to no vjob`);
    let attempt = this.attempts.get(record);
    if (attempt === undefined) {
      const at = this.queue.indexOf(record);
      if (at >= 0) this.queue.splice(at, 1);
      this.giveUpSnapshot(record);
      attempt = this.beginAttempt(record, "booting", FROM_ZERO);
    }
    const started = attempt;
    record.hosts[record.vms.indexOf(vm)] = host;
    this.bootOne(vm, host, () => {
      if (!started.over && record.vms.every((v) => v.state === "running")) {
        this.run(record, started);
      }
    });
  }

  private serveQueue(): void {
    if (this.options.admission === "controller") return;
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      let from = this.restoring.get(head);
      if (from !== undefined && !this.cloud.isHostUp(from.snapshot.options.store)) {
        this.giveUpSnapshot(head);
        from = undefined;
      }
      // Without its image store no VM can boot: the queue waits for the store to come back.
      const store = this.options.imageStore;
      if (from === undefined && store !== undefined && !this.cloud.isHostUp(store)) return;
      const { spec } = head;
      const site = this.siteOf(head);
      const hosts = this.options.placement.place(this.cloud, spec.vms, site);
      if (hosts === undefined) {
        // Hosts that are off may be booted for it and those behind it: they then wait for them.
        this.options.wake?.(this.waitingRequests(site));
        return;
      }
      this.queue.shift();
      this.flyingTo.delete(head);
      if (from === undefined) this.start(head, hosts);
      else this.restore(head, hosts, from);
    }
  }

  /** The queue's vjobs and the sites they would try, the head's (already asked) first. */
  private waitingRequests(headSite: number | undefined): WakeRequest[] {
    return this.queue.slice(0, WAKE_LOOKAHEAD).map((record, i) => ({
      vms: record.spec.vms,
      site: i === 0 ? headSite : this.siteOf(record),
    }));
  }

  /** The site a queued vjob tries first: where it flies to, or the sky policy's choice. */
  private siteOf(record: VjobRecord): number | undefined {
    const { spec } = record;
    return (
      this.flyingTo.get(record) ??
      (this.options.siteFor
        ? this.options.siteFor(spec.vms, spec.homeSite, this.lastSite.get(record))
        : spec.homeSite)
    );
  }

  /**
   * A queued vjob that was to be restored starts from zero after all (its snapshot's store went
   * down): the work between its start and the snapshot is lost too.
   */
  private giveUpSnapshot(record: VjobRecord): void {
    const from = this.restoring.get(record);
    if (from === undefined) return;
    this.restoring.delete(record);
    // A vjob flying by snapshot had not counted a restore.
    if (!this.flyingTo.has(record)) record.restores--;
    record.restarts++;
    this.snapshots?.forget(record);
    record.lostCoreSeconds += lostWork(
      this.fullWork.get(record) ?? [],
      from.snapshot.images.map((image) => image.workLeft),
      from.snapshot.images.map((image) => this.coreSpeedOf(image.host)),
    );
  }

  private start(record: VjobRecord, hosts: number[]): void {
    record.hosts = hosts;
    this.createVms(record);
    const attempt = this.beginAttempt(record, "booting", FROM_ZERO);
    let booting = record.vms.length;
    record.vms.forEach((vm, i) => {
      this.bootOne(vm, hosts[i] as number, () => {
        if (--booting === 0 && !attempt.over) this.run(record, attempt);
      });
    });
    if (booting === 0) this.run(record, attempt);
  }

  /** Restores the vjob's VMs from a snapshot on `hosts`; it runs once all are back. */
  private restore(record: VjobRecord, hosts: number[], from: StoredSnapshot): void {
    const snapshot = from.snapshot;
    this.restoring.delete(record);
    record.hosts = hosts;
    this.createVms(record);
    const attempt = this.beginAttempt(record, "restoring", {
      workLeft: snapshot.images.map((image) => image.workLeft),
      served: from.served,
    });
    const policy = this.options.faultTolerance.snapshots;
    restoreVms(this.cloud, snapshot, hosts, {
      vms: record.vms,
      reconfigureSameSite: policy?.reconfigureSameSite ?? 0,
      reconfigureOtherSite: policy?.reconfigureOtherSite ?? 0,
      onDone: (restore) => {
        if (restore.state === "done" && !attempt.over) this.run(record, attempt);
      },
    });
  }

  private beginAttempt(
    record: VjobRecord,
    state: "booting" | "restoring",
    origin: Origin,
  ): Attempt {
    record.state = state;
    record.start = this.cloud.sim.now;
    if (Number.isNaN(record.firstStart)) record.firstStart = record.start;
    const site = this.cloud.platform.hosts[record.hosts[0] ?? -1]?.site;
    const last = this.lastSite.get(record);
    if (site !== undefined) {
      if (last !== undefined && last !== site) record.crossSiteMoves++;
      this.lastSite.set(record, site);
    }
    const attempt: Attempt = {
      origin,
      stops: [],
      timer: undefined,
      work: new Map(),
      runStart: Number.NaN,
      over: false,
    };
    this.attempts.set(record, attempt);
    this.vjobPlaced.emit(record);
    return attempt;
  }

  private bootOne(vm: Vm, host: number, onDone: () => void): void {
    bootVm(this.cloud, vm, host, {
      delay: this.options.bootDelay,
      ...(this.options.imageStore === undefined ? {} : { imageStore: this.options.imageStore }),
      onDone,
    });
  }

  private coreSpeedOf(host: number | undefined): number {
    return this.cloud.platform.hosts[host ?? -1]?.speed ?? 1;
  }

  /** Every VM runs: load profiles start, and the work left from the attempt's origin with them. */
  private run(record: VjobRecord, attempt: Attempt): void {
    const { cloud, streams } = this;
    record.state = "running";
    attempt.runStart = cloud.sim.now;
    if (Number.isNaN(record.firstRun)) record.firstRun = attempt.runStart;
    this.vjobStarted.emit(record);
    for (const [i, vm] of record.vms.entries()) {
      let rng: RandomStream | undefined;
      attempt.stops.push(
        (record.spec.loads[i] as VjobSpec["loads"][number]).start({
          sim: cloud.sim,
          // Made on first use (profiles that draw nothing cost no generator), then kept: a load
          // change draws twice and would otherwise build the name and look it up each time.
          get rng() {
            return (rng ??= streams.stream(streamOf(vm)));
          },
          setLoad: (fraction) => {
            cloud.setLoad(vm, fraction * vm.spec.vcpus);
          },
        }),
      );
    }
    const finish = (): void => {
      if (attempt.over) return;
      // Forgotten first: a snapshot in flight at the end is given up, not failed.
      this.snapshots?.forget(record);
      this.tearDown(record, attempt);
      this.fullWork.delete(record);
      this.lastSite.delete(record);
      record.state = "done";
      record.end = cloud.sim.now;
      this.unfinished.delete(record);
      this.vjobFinished.emit(record);
      this.serveQueue();
    };
    this.snapshots?.start(record, record.vms, record, () => this.served(attempt));
    const work = record.spec.work;
    if (work === undefined) {
      if (record.spec.duration !== undefined) {
        attempt.timer = cloud.sim.schedule(
          Math.max(0, record.spec.duration - attempt.origin.served),
          finish,
        );
      }
      return;
    }
    // From zero, work counted in core-seconds is converted at the speed of the hosts it got.
    if (attempt.origin === FROM_ZERO) {
      this.fullWork.set(
        record,
        record.vms.map((vm, i) => {
          const amount = work[i] ?? { unit: "flops", amount: 0 };
          return amount.unit === "flops"
            ? amount.amount
            : amount.amount * this.coreSpeedOf(vm.host);
        }),
      );
    }
    const full = this.fullWork.get(record) ?? [];
    let working = record.vms.length;
    record.vms.forEach((vm, i) => {
      const flops = attempt.origin.workLeft[i] ?? full[i] ?? 0;
      attempt.work.set(vm, { flops, coreSpeed: this.coreSpeedOf(vm.host) });
      cloud.setWork(vm, flops, () => {
        if (--working === 0) finish();
      });
    });
  }

  /** Seconds the vjob has served by now, in this attempt and before it. */
  private served(attempt: Attempt): number {
    return attempt.origin.served + (this.cloud.sim.now - attempt.runStart);
  }

  /**
   * The vjob lost a VM: its attempt ends at once (its other VMs stop), and the fault tolerance
   * notices after its detection delay.
   */
  private fail(record: VjobRecord, attempt: Attempt): void {
    if (attempt.over) return;
    const { workLeft, speeds } = this.stop(record, attempt);
    this.vjobFailed.emit(record);
    const delay = this.options.faultTolerance.detectionDelay(this.cloud.sim.now);
    this.cloud.sim.schedule(delay, () => {
      this.recover(record, workLeft, speeds);
    });
  }

  /**
   * Ends the vjob's attempt now (it waits again, without VMs), returning the work each VM had
   * left, flops (its origin's for a VM that had not run), and the core speed it was counted at.
   */
  private stop(
    record: VjobRecord,
    attempt: Attempt,
  ): { workLeft: (number | undefined)[]; speeds: number[] } {
    const workLeft = record.vms.map((vm, i) => {
      if (!attempt.work.has(vm)) return attempt.origin.workLeft[i];
      return vm.consumer === undefined ? vm.workLeftAtFailure : this.cloud.workLeft(vm);
    });
    // Where a VM ran; for one that had not, the host it was given (to convert the work it goes
    // back on, should its origin be given up).
    const speeds = record.vms.map(
      (vm, i) => attempt.work.get(vm)?.coreSpeed ?? this.coreSpeedOf(record.hosts[i]),
    );
    this.tearDown(record, attempt);
    record.state = "waiting";
    record.hosts = [];
    record.vms = [];
    return { workLeft, speeds };
  }

  /**
   * The loss is noticed: the vjob goes back to its latest stored snapshot if it has one whose store
   * is up, otherwise to zero; the work done since that point is lost. It waits at the head of the
   * queue for room.
   */
  private recover(
    record: VjobRecord,
    workLeft: readonly (number | undefined)[],
    speeds: readonly number[],
  ): void {
    const latest = this.snapshots?.latest(record);
    const origin =
      latest?.snapshot.images.map((image) => image.workLeft) ?? this.fullWork.get(record) ?? [];
    record.lostCoreSeconds += lostWork(origin, workLeft, speeds);
    if (latest === undefined) {
      // Snapshots of what is now thrown away are of no use any more.
      this.snapshots?.forget(record);
      record.restarts++;
      this.vjobRestarted.emit(record);
    } else {
      record.restores++;
      this.restoring.set(record, latest);
      this.vjobRestored.emit(record);
    }
    this.enqueue(record, "front");
    this.serveQueue();
  }

  /** Ends an attempt: snapshots, load profiles and timer stopped, VMs stopped and forgotten. */
  private tearDown(record: VjobRecord, attempt: Attempt): void {
    attempt.over = true;
    this.attempts.delete(record);
    this.snapshots?.stop(record);
    for (const stop of attempt.stops) stop();
    if (attempt.timer !== undefined) this.cloud.sim.cancel(attempt.timer);
    for (const vm of record.vms) {
      this.streams.release(streamOf(vm));
      this.jobOfVm.delete(vm);
      if (vm.state !== "stopped") this.cloud.stopVm(vm);
    }
  }
}

/** An attempt from the beginning: its work is the job's, counted at the hosts it gets. */
const FROM_ZERO: Origin = { workLeft: [], served: 0 };

function streamOf(vm: Vm): string {
  return `workload/load/${vm.name}`;
}
