import { FluidActivity } from "../sim/fluid-activity.js";
import { Signal } from "../sim/signal.js";
import type { EventId, Simulation } from "../sim/simulation.js";

export interface CpuHost {
  readonly name: string;
  readonly cores: number;
  /** flop/s per core */
  readonly speed: number;
}

/** A computation of `flops` inside a consumer; its rate changes as the host's sharing does. */
export class Execution extends FluidActivity {
  endTime = Number.NaN;
  state: "running" | "completed" | "cancelled" = "running";

  constructor(
    readonly consumer: CpuConsumer,
    readonly flops: number,
    start: number,
    readonly onComplete: ((execution: Execution) => void) | undefined,
  ) {
    super(flops, start);
  }
}

/**
 * What asks for CPU on a host: a VM (or a bare task group) with `vcpus` virtual CPUs. Its demand
 * in cores is min(vcpus, load + running executions), where `load` is set by a load profile, and 0
 * while paused. Its fields are read-only for everyone but the CPU model.
 */
export class CpuConsumer {
  load = 0;
  paused = false;
  readonly executions: Execution[] = [];
  /** Work done by the load itself (a job's computation), if any: it moves at the load's share. */
  loadWork: Execution | undefined = undefined;
  /** Flop/s granted by the host. */
  granted = 0;
  /** Flops granted up to `computedAt`. */
  private computed = 0;
  private computedAt: number;

  constructor(
    readonly name: string,
    public host: number,
    readonly vcpus: number,
    now: number,
    /** Cores guaranteed to it, up to its demand, on an overloaded host (a CPU reservation). */
    readonly reserved = 0,
  ) {
    this.computedAt = now;
  }

  /** Cores asked for. */
  get demand(): number {
    return this.paused ? 0 : Math.min(this.vcpus, this.load + this.executions.length);
  }

  /** Flops granted to this consumer since it was created, up to `now`. */
  flopsComputed(now: number): number {
    return this.computed + this.granted * (now - this.computedAt);
  }

  /** Brings the counters up to `now`, before the grant changes. */
  settle(now: number): void {
    this.computed = this.flopsComputed(now);
    this.computedAt = now;
    this.loadWork?.settle(now);
    for (const execution of this.executions) execution.settle(now);
  }
}

/**
 * CPU sharing on hosts, as a hypervisor schedules vCPU threads (SimGrid's Cas01 with VMs): a host
 * of `cores` cores at `speed` flop/s each is shared max-min fairly among busy vCPUs, each vCPU
 * at most one core. A consumer demanding d cores weighs d: with D the host's total demand, every
 * demanded core runs at min(speed, cores x speed / D). Inside a consumer, the executions share
 * its grant equally (with the load, counted like executions), each at most one core. A host whose
 * demand exceeds its cores is overloaded; the time it spends so is its violation time.
 * A consumer may have cores reserved (a hypervisor's CPU reservation, as VMware's or cgroups'
 * cpu.min): on an overloaded host each first gets min(reserved, demand) cores, and the cores left
 * are shared in proportion to what each demands beyond that (if the reservations alone exceed
 * the cores, they are scaled down). With no reservation on a host, that is the sharing above.
 */
export class Cpu {
  readonly executionCompleted = new Signal<Execution>("execution completed");
  readonly overloadChanged = new Signal<{ host: number; overloaded: boolean; time: number }>(
    "host overload changed",
  );
  /** A host's grants were recomputed (its utilisation may have changed), before time moves on. */
  readonly hostReshared = new Signal<number>("host CPU reshared");

  private readonly consumers: CpuConsumer[][];
  private readonly nextCompletion: (EventId | undefined)[];
  private readonly overloadedSince: number[];
  private readonly violation: Float64Array;

  constructor(
    private readonly sim: Simulation,
    readonly hosts: readonly CpuHost[],
    /** Reshares the whole host at every load change (the slow twin of `setLoadAlone`, for tests). */
    private readonly reference = false,
  ) {
    this.consumers = hosts.map(() => []);
    this.nextCompletion = hosts.map(() => undefined);
    this.overloadedSince = hosts.map(() => Number.NaN);
    this.violation = new Float64Array(hosts.length);
  }

  addConsumer(host: number, name: string, vcpus: number, reserved = 0): CpuConsumer {
    if (!(vcpus > 0 && Number.isInteger(vcpus))) {
      throw new RangeError(`addConsumer: vcpus must be an integer > 0, got ${vcpus}`);
    }
    if (!(reserved >= 0 && reserved <= vcpus)) {
      throw new RangeError(`addConsumer: reserved cores must be in [0, ${vcpus}], got ${reserved}`);
    }
    const consumer = new CpuConsumer(name, host, vcpus, this.sim.now, reserved);
    this.hostConsumers(host).push(consumer);
    return consumer;
  }

  /** Moves a consumer, with its executions and their progress, to another host. */
  moveConsumer(consumer: CpuConsumer, host: number): void {
    const from = consumer.host;
    const list = this.hostConsumers(from);
    this.settle(from);
    list.splice(list.indexOf(consumer), 1);
    this.reshare(from);
    this.settle(host);
    consumer.host = host;
    this.hostConsumers(host).push(consumer);
    this.reshare(host);
  }

  /** Pauses a consumer (it demands nothing, its work stands still) or lets it run again. */
  setPaused(consumer: CpuConsumer, paused: boolean): void {
    this.settle(consumer.host);
    consumer.paused = paused;
    this.reshare(consumer.host);
  }

  /**
   * Gives the consumer's load `flops` of work to do: it progresses at the rate granted to the load
   * (none while the load is 0), so an overloaded host slows it down. Replaces any previous one.
   */
  setLoadWork(
    consumer: CpuConsumer,
    flops: number,
    onComplete?: (execution: Execution) => void,
  ): Execution {
    requireFlops("setLoadWork", flops);
    this.settle(consumer.host);
    if (consumer.loadWork !== undefined) consumer.loadWork.state = "cancelled";
    consumer.loadWork = new Execution(consumer, flops, this.sim.now, onComplete);
    this.reshare(consumer.host);
    return consumer.loadWork;
  }

  /** Removes a consumer and cancels its executions. */
  removeConsumer(consumer: CpuConsumer): void {
    const list = this.hostConsumers(consumer.host);
    this.settle(consumer.host);
    for (const execution of consumer.executions) execution.state = "cancelled";
    consumer.executions.length = 0;
    if (consumer.loadWork !== undefined) consumer.loadWork.state = "cancelled";
    consumer.loadWork = undefined;
    list.splice(list.indexOf(consumer), 1);
    this.reshare(consumer.host);
  }

  /** Sets the cores a consumer's load profile asks for, in [0, vcpus]. */
  setLoad(consumer: CpuConsumer, cores: number): void {
    if (!(cores >= 0 && cores <= consumer.vcpus)) {
      throw new RangeError(
        `setLoad: ${consumer.name} load must be in [0, ${consumer.vcpus}], got ${cores}`,
      );
    }
    if (!this.reference && this.setLoadAlone(consumer, cores)) return;
    this.settle(consumer.host);
    consumer.load = cores;
    this.reshare(consumer.host);
  }

  /**
   * A load change on a host with no more demand than cores, before and after: every demanded core
   * runs at full speed either way, so only this consumer's grant changes and only it is settled
   * (the others' counters go on at their unchanged rates). False, with nothing changed, otherwise.
   */
  private setLoadAlone(consumer: CpuConsumer, cores: number): boolean {
    const host = consumer.host;
    const spec = this.hosts[host] as CpuHost;
    if (this.demand(host) > spec.cores) return false;
    const was = consumer.load;
    consumer.load = cores;
    if (this.demand(host) > spec.cores) {
      consumer.load = was;
      return false;
    }
    consumer.settle(this.sim.now); // at the rates of the old load: settling reads no load
    this.grant(consumer, spec, consumer.demand * spec.speed);
    if (consumer.executions.length > 0 || consumer.loadWork !== undefined) {
      this.scheduleCompletion(host);
    }
    if (this.hostReshared.observed) this.hostReshared.emit(host);
    return true;
  }

  /** Starts computing `flops` in a consumer. */
  execute(
    consumer: CpuConsumer,
    flops: number,
    onComplete?: (execution: Execution) => void,
  ): Execution {
    requireFlops("execute", flops);
    this.settle(consumer.host);
    const execution = new Execution(consumer, flops, this.sim.now, onComplete);
    consumer.executions.push(execution);
    this.reshare(consumer.host);
    return execution;
  }

  /** Stops an execution (or a load's work) that has not ended. */
  cancel(execution: Execution): void {
    if (execution.state !== "running") return;
    const consumer = execution.consumer;
    this.settle(consumer.host);
    if (consumer.loadWork === execution) consumer.loadWork = undefined;
    else consumer.executions.splice(consumer.executions.indexOf(execution), 1);
    execution.state = "cancelled";
    execution.endTime = this.sim.now;
    this.reshare(consumer.host);
  }

  /** Fraction of the host's flop/s granted, in [0, 1]. */
  utilization(host: number): number {
    const spec = this.hosts[host] as CpuHost;
    let granted = 0;
    for (const consumer of this.hostConsumers(host)) granted += consumer.granted;
    return granted / (spec.cores * spec.speed);
  }

  /** Consumers (VMs, paused ones included) on a host. */
  consumersOn(host: number): number {
    return this.hostConsumers(host).length;
  }

  /** The consumers on a host (VMs, paused ones included), to read their grants. */
  consumersAt(host: number): readonly CpuConsumer[] {
    return this.hostConsumers(host);
  }

  /** Cores asked for on a host. */
  demand(host: number): number {
    let total = 0;
    for (const consumer of this.hostConsumers(host)) total += consumer.demand;
    return total;
  }

  /** Whether the host's demand exceeds its cores now. */
  isOverloaded(host: number): boolean {
    return !Number.isNaN(this.overloadedSince[host] ?? Number.NaN);
  }

  /** Seconds the host has spent overloaded up to now. */
  violationSeconds(host: number): number {
    const since = this.overloadedSince[host] ?? Number.NaN;
    return (this.violation[host] ?? 0) + (Number.isNaN(since) ? 0 : this.sim.now - since);
  }

  private hostConsumers(host: number): CpuConsumer[] {
    const list = this.consumers[host];
    if (list === undefined) throw new RangeError(`no host ${host}`);
    return list;
  }

  /** Brings every execution of the host up to now at its current rate. */
  private settle(host: number): void {
    const now = this.sim.now;
    for (const consumer of this.hostConsumers(host)) consumer.settle(now);
  }

  private reshare(host: number): void {
    const spec = this.hosts[host] as CpuHost;
    const consumers = this.hostConsumers(host);
    const demand = this.demand(host);
    const overloaded = demand > spec.cores;
    if (overloaded && consumers.some((consumer) => consumer.reserved > 0)) {
      this.shareReserved(consumers, spec, demand);
    } else {
      const perCore = overloaded ? (spec.cores * spec.speed) / demand : spec.speed;
      for (const consumer of consumers) this.grant(consumer, spec, consumer.demand * perCore);
    }
    this.trackOverload(host, overloaded);
    this.scheduleCompletion(host);
    if (this.hostReshared.observed) this.hostReshared.emit(host);
  }

  /**
   * An overloaded host with reservations: each consumer's guarantee min(reserved, demand) first
   * (scaled down if they exceed the cores together), then the cores left in proportion to the
   * demand beyond it.
   */
  private shareReserved(consumers: readonly CpuConsumer[], spec: CpuHost, demand: number): void {
    const guaranteed = (consumer: CpuConsumer) => Math.min(consumer.reserved, consumer.demand);
    let reserved = 0;
    for (const consumer of consumers) reserved += guaranteed(consumer);
    const scale = reserved > spec.cores ? spec.cores / reserved : 1;
    const left = Math.max(0, spec.cores - reserved);
    // demand > cores >= reserved when the guarantees fit: the rest of the demand is positive.
    const beyond = demand - reserved;
    const share = beyond > 0 ? left / beyond : 0;
    for (const consumer of consumers) {
      const floor = guaranteed(consumer);
      const cores = floor * scale + (consumer.demand - floor) * share;
      this.grant(consumer, spec, cores * spec.speed);
    }
  }

  /** Grants a consumer `flops` flop/s, shared by its load and executions. */
  private grant(consumer: CpuConsumer, spec: CpuHost, flops: number): void {
    consumer.granted = flops;
    const users = consumer.load + consumer.executions.length;
    const each =
      consumer.paused || users === 0 ? 0 : Math.min(spec.speed, consumer.granted / users);
    for (const execution of consumer.executions) execution.rate = each;
    if (consumer.loadWork !== undefined) consumer.loadWork.rate = consumer.load * each;
  }

  private trackOverload(host: number, overloaded: boolean): void {
    const since = this.overloadedSince[host] ?? Number.NaN;
    const was = !Number.isNaN(since);
    if (was === overloaded) return;
    const now = this.sim.now;
    if (was) {
      this.violation[host] = (this.violation[host] ?? 0) + (now - since);
      this.overloadedSince[host] = Number.NaN;
    } else {
      this.overloadedSince[host] = now;
    }
    this.overloadChanged.emit({ host, overloaded, time: now });
  }

  private scheduleCompletion(host: number): void {
    const previous = this.nextCompletion[host];
    if (previous !== undefined) this.sim.cancel(previous);
    let next = Infinity;
    for (const consumer of this.hostConsumers(host)) {
      for (const execution of consumer.executions) next = Math.min(next, execution.finishTime());
      if (consumer.loadWork !== undefined) next = Math.min(next, consumer.loadWork.finishTime());
    }
    this.nextCompletion[host] =
      next < Infinity
        ? this.sim.scheduleAt(Math.max(next, this.sim.now), () => {
            this.onCompletionDue(host);
          })
        : undefined;
  }

  private onCompletionDue(host: number): void {
    this.nextCompletion[host] = undefined;
    const now = this.sim.now;
    const done: Execution[] = [];
    for (const consumer of this.hostConsumers(host)) {
      for (const execution of consumer.executions) {
        if (execution.finishTime() <= now) done.push(execution);
      }
      if (consumer.loadWork !== undefined && consumer.loadWork.finishTime() <= now) {
        done.push(consumer.loadWork);
      }
    }
    this.settle(host);
    for (const execution of done) {
      const consumer = execution.consumer;
      if (consumer.loadWork === execution) consumer.loadWork = undefined;
      else consumer.executions.splice(consumer.executions.indexOf(execution), 1);
      execution.state = "completed";
      execution.remainingAtUpdate = 0;
      execution.endTime = now;
    }
    this.reshare(host);
    for (const execution of done) {
      this.executionCompleted.emit(execution);
      execution.onComplete?.(execution);
    }
  }
}

function requireFlops(operation: string, flops: number): void {
  if (!(flops >= 0 && flops < Infinity)) {
    throw new RangeError(`${operation}: flops must be a finite number >= 0, got ${flops}`);
  }
}
