import { bootVm } from "../compute/boot.js";
import type { Cloud } from "../compute/cloud.js";
import type { Vm } from "../compute/vm.js";
import type { Placement } from "../policies/placement/first-fit.js";
import type { RandomStreams } from "../sim/random.js";
import { Signal } from "../sim/signal.js";
import type { VjobSpec } from "./vjob.js";

export type VjobState = "waiting" | "booting" | "running" | "done";

/** What happened to one vjob; times in s, NaN until they happen. */
export interface VjobRecord {
  readonly spec: VjobSpec;
  state: VjobState;
  start: number;
  end: number;
  hosts: number[];
  vms: Vm[];
}

export interface VjobRunnerOptions {
  readonly placement: Placement;
  /** Boot delay of every VM, s. */
  readonly bootDelay: number;
  /** Host of the image store that VMs boot from (a transfer each); none: local images. */
  readonly imageStore?: number;
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
  private readonly queue: VjobRecord[] = [];
  /** Submitted vjobs not done yet, in submission order; done ones are forgotten. */
  private readonly unfinished = new Set<VjobRecord>();

  constructor(
    private readonly cloud: Cloud,
    private readonly streams: RandomStreams,
    private readonly options: VjobRunnerOptions,
  ) {}

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
          end: Number.NaN,
          hosts: [],
          vms: [],
        };
        this.unfinished.add(record);
        this.queue.push(record);
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

  private serveQueue(): void {
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      const hosts = this.options.placement(this.cloud, head.spec.vms, head.spec.homeSite);
      if (hosts === undefined) return;
      this.queue.shift();
      this.start(head, hosts);
    }
  }

  private start(record: VjobRecord, hosts: number[]): void {
    const { cloud } = this;
    record.state = "booting";
    record.start = cloud.sim.now;
    record.hosts = hosts;
    record.vms = record.spec.vms.map((spec) => cloud.createVm(spec));
    let booting = record.vms.length;
    record.vms.forEach((vm, i) => {
      bootVm(cloud, vm, hosts[i] as number, {
        delay: this.options.bootDelay,
        ...(this.options.imageStore === undefined ? {} : { imageStore: this.options.imageStore }),
        onDone: () => {
          if (--booting === 0) this.run(record);
        },
      });
    });
    if (booting === 0) this.run(record);
  }

  private run(record: VjobRecord): void {
    const { cloud } = this;
    record.state = "running";
    this.vjobStarted.emit(record);
    const streams = this.streams;
    const streamName = (vm: Vm): string => `workload/load/${vm.name}`;
    const stops = record.vms.map((vm, i) =>
      (record.spec.loads[i] as VjobSpec["loads"][number]).start({
        sim: cloud.sim,
        // Made on first use: profiles that draw nothing cost no generator.
        get rng() {
          return streams.stream(streamName(vm));
        },
        setLoad: (fraction) => {
          cloud.setLoad(vm, fraction * vm.spec.vcpus);
        },
      }),
    );
    const finish = (): void => {
      if (record.state === "done") return;
      for (const stop of stops) stop();
      for (const vm of record.vms) streams.release(streamName(vm));
      for (const vm of record.vms) {
        if (vm.state !== "failed" && vm.state !== "stopped") cloud.stopVm(vm);
      }
      record.state = "done";
      record.end = cloud.sim.now;
      this.unfinished.delete(record);
      this.vjobFinished.emit(record);
      this.serveQueue();
    };
    const work = record.spec.work;
    if (work === undefined) {
      if (record.spec.duration !== undefined) cloud.sim.schedule(record.spec.duration, finish);
      return;
    }
    let working = record.vms.length;
    record.vms.forEach((vm, i) => {
      const amount = work[i] ?? { unit: "flops", amount: 0 };
      const coreSpeed = cloud.platform.hosts[vm.host as number]?.speed ?? 1;
      const flops = amount.unit === "flops" ? amount.amount : amount.amount * coreSpeed;
      cloud.setWork(vm, flops, () => {
        if (--working === 0) finish();
      });
    });
  }
}
