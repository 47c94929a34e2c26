import { bootVm } from "../compute/boot.js";
import type { Cloud } from "../compute/cloud.js";
import type { Vm } from "../compute/vm.js";
import type { Placement } from "../policies/placement/placement.js";
import type { RandomStreams } from "../sim/random.js";
import { Signal } from "../sim/signal.js";
import type { EventId } from "../sim/simulation.js";
import type { VjobSpec } from "./vjob.js";

export type VjobState = "waiting" | "booting" | "running" | "done";

/** One try at running a vjob: what to undo if it ends early. */
interface Attempt {
  readonly stops: (() => void)[];
  timer: EventId | undefined;
  /** Work given to each VM, flops, and the core speed it was counted at. */
  readonly work: Map<Vm, { flops: number; coreSpeed: number }>;
  over: boolean;
}

/** What happened to one vjob; times in s, NaN until they happen. */
export interface VjobRecord {
  readonly spec: VjobSpec;
  state: VjobState;
  /** Start of the current (or last) attempt. */
  start: number;
  /** Start of the first attempt. */
  firstStart: number;
  end: number;
  /** Times it started over after losing a VM. */
  restarts: number;
  /** Work its VMs had done in attempts that were lost, core-seconds. */
  lostCoreSeconds: number;
  hosts: number[];
  vms: Vm[];
}

export interface VjobRunnerOptions {
  readonly placement: Placement;
  /** Boot delay of every VM, s. */
  readonly bootDelay: number;
  /** Host of the image store that VMs boot from (a transfer each); none: local images. */
  readonly imageStore?: number;
  /**
   * Seconds between a job losing a VM and its resubmission (noticing the failure); > 0, so that
   * a job whose boot cannot succeed (an image route down) does not retry at the same instant.
   */
  readonly restartDelay?: number;
  /**
   * Who starts queued vjobs: the runner itself, by the placement, in FIFO order ("queue"); or a
   * controller such as Entropy's context switch ("controller"), which decides which vjobs run,
   * boots their VMs (`bootQueued`) and may suspend and resume them. A controlled vjob's VMs exist
   * (waiting) from the moment it is queued, so the controller can plan them.
   */
  readonly admission?: "queue" | "controller";
}

/**
 * Runs vjobs on a cloud: each is submitted at its time and queued; the queue is served in order
 * (a job that does not fit holds the ones behind it: FIFO, no backfilling) whenever one arrives or
 * one ends. A started job boots all its VMs on the hosts the placement chose; once all run, their
 * load profiles start and their work begins; the job is done when every VM's work is (or when its
 * duration has passed), and its VMs stop.
 */
export class VjobRunner {
  readonly vjobSubmitted = new Signal<VjobRecord>("vjob submitted");
  readonly vjobStarted = new Signal<VjobRecord>("vjob started");
  readonly vjobFinished = new Signal<VjobRecord>("vjob finished");
  readonly vjobRestarted = new Signal<VjobRecord>("vjob restarted");
  private readonly queue: VjobRecord[] = [];
  /** Submitted vjobs not done yet, in submission order; done ones are forgotten. */
  private readonly unfinished = new Set<VjobRecord>();
  private readonly attempts = new Map<VjobRecord, Attempt>();
  private readonly jobOfVm = new Map<Vm, VjobRecord>();

  constructor(
    private readonly cloud: Cloud,
    private readonly streams: RandomStreams,
    private readonly options: VjobRunnerOptions,
  ) {
    // A host back up may make room for the jobs waiting (or bring the image store back).
    cloud.hostChanged.subscribe(({ up }) => {
      if (up) this.serveQueue();
    });
    // Handled in an event of its own: the failure may come from inside a loop over the VMs.
    cloud.vmStateChanged.subscribe(({ vm, to }) => {
      if (to !== "failed") return;
      const record = this.jobOfVm.get(vm);
      const attempt = record === undefined ? undefined : this.attempts.get(record);
      if (record === undefined || attempt === undefined) return;
      cloud.sim.schedule(0, () => {
        this.restart(record, attempt);
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
        const record: VjobRecord = {
          spec,
          state: "waiting",
          start: Number.NaN,
          firstStart: Number.NaN,
          end: Number.NaN,
          restarts: 0,
          lostCoreSeconds: 0,
          hosts: [],
          vms: [],
        };
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

  private enqueue(record: VjobRecord, end: "front" | "back"): void {
    if (end === "front") this.queue.unshift(record);
    else this.queue.push(record);
    if (this.options.admission !== "controller") return;
    this.createVms(record);
    record.hosts = [];
  }

  /** Makes the vjob's VMs (waiting), known as its own. */
  private createVms(record: VjobRecord): void {
    record.vms = record.spec.vms.map((spec) => this.cloud.createVm(spec));
    for (const vm of record.vms) this.jobOfVm.set(vm, record);
  }

  /**
   * Controller admission: boots one VM of a queued vjob on `host`. The vjob leaves the queue with
   * its first VM booted, and runs once all its VMs do.
   */
  bootQueued(vm: Vm, host: number): void {
    const record = this.jobOfVm.get(vm);
    if (record === undefined) throw new Error(`VM ${vm.name} belongs to no vjob`);
    let attempt = this.attempts.get(record);
    if (attempt === undefined) {
      const at = this.queue.indexOf(record);
      if (at >= 0) this.queue.splice(at, 1);
      attempt = this.beginAttempt(record);
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
    // Without its image store no VM can boot: the queue waits for the store to come back.
    const store = this.options.imageStore;
    if (store !== undefined && !this.cloud.isHostUp(store)) return;
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      const hosts = this.options.placement.place(this.cloud, head.spec.vms, head.spec.homeSite);
      if (hosts === undefined) return;
      this.queue.shift();
      this.start(head, hosts);
    }
  }

  private start(record: VjobRecord, hosts: number[]): void {
    record.hosts = hosts;
    this.createVms(record);
    const attempt = this.beginAttempt(record);
    let booting = record.vms.length;
    record.vms.forEach((vm, i) => {
      this.bootOne(vm, hosts[i] as number, () => {
        if (--booting === 0 && !attempt.over) this.run(record, attempt);
      });
    });
    if (booting === 0) this.run(record, attempt);
  }

  private beginAttempt(record: VjobRecord): Attempt {
    record.state = "booting";
    record.start = this.cloud.sim.now;
    if (Number.isNaN(record.firstStart)) record.firstStart = record.start;
    const attempt: Attempt = { stops: [], timer: undefined, work: new Map(), over: false };
    this.attempts.set(record, attempt);
    return attempt;
  }

  private bootOne(vm: Vm, host: number, onDone: () => void): void {
    bootVm(this.cloud, vm, host, {
      delay: this.options.bootDelay,
      ...(this.options.imageStore === undefined ? {} : { imageStore: this.options.imageStore }),
      onDone,
    });
  }

  private run(record: VjobRecord, attempt: Attempt): void {
    const { cloud, streams } = this;
    record.state = "running";
    this.vjobStarted.emit(record);
    for (const [i, vm] of record.vms.entries()) {
      attempt.stops.push(
        (record.spec.loads[i] as VjobSpec["loads"][number]).start({
          sim: cloud.sim,
          // Made on first use: profiles that draw nothing cost no generator.
          get rng() {
            return streams.stream(streamOf(vm));
          },
          setLoad: (fraction) => {
            cloud.setLoad(vm, fraction * vm.spec.vcpus);
          },
        }),
      );
    }
    const finish = (): void => {
      if (attempt.over) return;
      this.tearDown(record, attempt);
      record.state = "done";
      record.end = cloud.sim.now;
      this.unfinished.delete(record);
      this.vjobFinished.emit(record);
      this.serveQueue();
    };
    const work = record.spec.work;
    if (work === undefined) {
      if (record.spec.duration !== undefined) {
        attempt.timer = cloud.sim.schedule(record.spec.duration, finish);
      }
      return;
    }
    let working = record.vms.length;
    record.vms.forEach((vm, i) => {
      const amount = work[i] ?? { unit: "flops", amount: 0 };
      const coreSpeed = cloud.platform.hosts[vm.host as number]?.speed ?? 1;
      const flops = amount.unit === "flops" ? amount.amount : amount.amount * coreSpeed;
      attempt.work.set(vm, { flops, coreSpeed });
      cloud.setWork(vm, flops, () => {
        if (--working === 0) finish();
      });
    });
  }

  /**
   * No fault tolerance: a vjob that lost a VM starts over from zero. The work its VMs had done
   * (core-seconds, at the speed of their cores) is lost; its VMs stop, and after the restart delay
   * it goes back to the head of the queue.
   */
  private restart(record: VjobRecord, attempt: Attempt): void {
    if (attempt.over) return;
    let lost = 0;
    for (const [vm, { flops, coreSpeed }] of attempt.work) {
      const left =
        vm.consumer === undefined ? (vm.workLeftAtFailure ?? flops) : this.cloud.workLeft(vm);
      lost += (flops - (left ?? flops)) / coreSpeed;
    }
    this.tearDown(record, attempt);
    record.restarts++;
    record.lostCoreSeconds += lost;
    record.state = "waiting";
    record.hosts = [];
    record.vms = [];
    this.vjobRestarted.emit(record);
    this.cloud.sim.schedule(this.options.restartDelay ?? DEFAULT_RESTART_DELAY, () => {
      this.enqueue(record, "front");
      this.serveQueue();
    });
  }

  /** Ends an attempt: load profiles and timer stopped, VMs stopped and forgotten. */
  private tearDown(record: VjobRecord, attempt: Attempt): void {
    attempt.over = true;
    this.attempts.delete(record);
    for (const stop of attempt.stops) stop();
    if (attempt.timer !== undefined) this.cloud.sim.cancel(attempt.timer);
    for (const vm of record.vms) {
      this.streams.release(streamOf(vm));
      this.jobOfVm.delete(vm);
      if (vm.state !== "stopped") this.cloud.stopVm(vm);
    }
  }
}

export const DEFAULT_RESTART_DELAY = 30;

function streamOf(vm: Vm): string {
  return `workload/load/${vm.name}`;
}
