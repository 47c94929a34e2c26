import type { Distribution } from "../sim/distributions.js";
import type { RandomStreams } from "../sim/random.js";
import { Signal } from "../sim/signal.js";
import type { Simulation } from "../sim/simulation.js";

export interface DemoJob {
  /** 0-based arrival rank: ids come from arrival order, never from random draws. */
  readonly id: number;
  readonly submit: number;
  /** How long the job holds a slot, drawn at arrival. */
  readonly service: number;
}

export interface JobEvent {
  readonly time: number;
  readonly job: DemoJob;
  /** The slot serving the job (started, finished); -1 on arrival. */
  readonly server: number;
}

export interface DemoQueueConfig {
  readonly servers: number;
  readonly interarrival: Distribution;
  readonly service: Distribution;
  /** No job arrives after this time. */
  readonly arrivalsUntil: number;
}

/**
 * The demo workload: jobs arrive one by one and each holds one of `servers` identical slots for
 * its service time, first come first served; a free job takes the lowest-numbered free slot.
 * Inter-arrival and service times come from the streams "workload/arrivals" and "workload/service".
 */
export class DemoQueue {
  readonly jobArrived = new Signal<JobEvent>("job arrived");
  readonly jobStarted = new Signal<JobEvent>("job started");
  readonly jobFinished = new Signal<JobEvent>("job finished");

  private readonly waiting: DemoJob[] = [];
  private waitingHead = 0;
  private readonly busy: boolean[];
  private busyCount = 0;
  private arrivals = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly config: DemoQueueConfig,
    private readonly streams: RandomStreams,
  ) {
    this.busy = new Array<boolean>(config.servers).fill(false);
  }

  /** Slots currently serving a job. */
  get busyServers(): number {
    return this.busyCount;
  }

  /** Jobs that arrived and have not started. */
  get queueLength(): number {
    return this.waiting.length - this.waitingHead;
  }

  /** Schedules the first arrival; each arrival schedules the next. */
  start(): void {
    this.scheduleNextArrival();
  }

  private scheduleNextArrival(): void {
    const gap = this.config.interarrival.sample(this.streams.stream("workload/arrivals"));
    if (this.sim.now + gap > this.config.arrivalsUntil) return;
    this.sim.schedule(gap, () => {
      this.arrive();
    });
  }

  private arrive(): void {
    // A normal service time can be drawn negative: such a job takes no time.
    const service = this.config.service.sample(this.streams.stream("workload/service"));
    const job: DemoJob = {
      id: this.arrivals++,
      submit: this.sim.now,
      service: Math.max(0, service),
    };
    this.jobArrived.emit({ time: this.sim.now, job, server: -1 });
    this.waiting.push(job);
    this.dispatch();
    this.scheduleNextArrival();
  }

  private dispatch(): void {
    while (this.queueLength > 0 && this.busyCount < this.config.servers) {
      const job = this.waiting[this.waitingHead++] as DemoJob;
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitingHead);
        this.waitingHead = 0;
      }
      const server = this.busy.indexOf(false);
      this.busy[server] = true;
      this.busyCount++;
      this.jobStarted.emit({ time: this.sim.now, job, server });
      this.sim.schedule(job.service, () => {
        this.finish(job, server);
      });
    }
  }

  private finish(job: DemoJob, server: number): void {
    this.busy[server] = false;
    this.busyCount--;
    this.jobFinished.emit({ time: this.sim.now, job, server });
    this.dispatch();
  }
}
