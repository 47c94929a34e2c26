import type { Flow } from "../network/flow.js";
import type { Cloud, VmOperation } from "./cloud.js";
import { IllegalOperation } from "./vm-lifecycle.js";
import type { Vm } from "./vm.js";

export interface MigrationOptions {
  /** Longest pause the final stop-and-copy may take, s (SimGrid's and QEMU's 30 ms). */
  readonly maxDowntime?: number;
  /** Pre-copy rounds (the first, all RAM, included) before forcing the stop-and-copy. */
  readonly maxRounds?: number;
  /** Pre-copy bytes, as a multiple of the RAM, after which the stop-and-copy is forced. */
  readonly maxTraffic?: number;
  /** Cap on each round's rate, bytes/s (a hypervisor's migration speed). */
  readonly speed?: number;
  readonly onDone?: (migration: Migration) => void;
}

export const MIGRATION_DEFAULTS = { maxDowntime: 0.03, maxRounds: 30, maxTraffic: 3 } as const;

/** Why the pre-copy stopped. */
export type PrecopyStop = "converged" | "round limit" | "traffic limit";

/**
 * A pre-copy live migration, as SimGrid's model (and Xen/QEMU) does it. Round 1 sends the RAM;
 * each next round sends what the VM dirtied during the previous one: min(working set, dirty rate
 * x busy vCPU-seconds granted meanwhile), whole bytes. Once that fits in the max downtime at the
 * rate measured over the last round (its bytes / its duration, latency included), or a limit is
 * hit, the VM pauses and the rest is sent (the downtime); it then runs on the destination, and the
 * migration ends when the destination's acknowledgement has come back (one more route latency).
 * Every send is a network flow sharing the links. Meanwhile the VM holds RAM on both hosts. If a
 * flow fails, or the migration is cancelled before the switch, the VM stays on its source.
 */
export class Migration implements VmOperation {
  readonly kind = "migration";
  state: "running" | "completed" | "failed" | "cancelled" = "running";
  readonly source: number;
  readonly start: number;
  end = Number.NaN;
  /** Time the VM was paused for the stop-and-copy (NaN until it is over). */
  downtime = Number.NaN;
  /** Pre-copy rounds done (round 1, all RAM, included). */
  rounds = 0;
  bytesSent = 0;
  stop: PrecopyStop | undefined = undefined;
  failure: string | undefined = undefined;
  /** Every send as [start time, bytes]: the pre-copy rounds, then the stop-and-copy. */
  readonly sends: [number, number][] = [];
  private flow: Flow | undefined = undefined;
  private switched = false;
  private pausedAt = Number.NaN;
  private readonly options: Required<Omit<MigrationOptions, "onDone" | "speed">>;

  constructor(
    private readonly cloud: Cloud,
    readonly vm: Vm,
    readonly destination: number,
    private readonly extra: MigrationOptions,
  ) {
    this.options = {
      maxDowntime: extra.maxDowntime ?? MIGRATION_DEFAULTS.maxDowntime,
      maxRounds: extra.maxRounds ?? MIGRATION_DEFAULTS.maxRounds,
      maxTraffic: extra.maxTraffic ?? MIGRATION_DEFAULTS.maxTraffic,
    };
    if (vm.state !== "running") throw new IllegalOperation(vm.name, vm.state, "migrate");
    const source = vm.host as number;
    if (source === destination) {
      throw new IllegalOperation(vm.name, vm.state, `migrate to its own host`);
    }
    this.source = source;
    this.start = cloud.sim.now;
    cloud.holdMemory(vm, destination);
    cloud.begin(vm, this);
    vm.destination = destination;
    cloud.setState(vm, "migrating");
    this.precopy(vm.spec.memory);
  }

  /** Stops the migration before the switch; the VM goes on running on its source. */
  cancel(): boolean {
    if (this.state !== "running" || this.switched) return false;
    this.giveUp("cancelled", undefined);
    return true;
  }

  /** The migration cannot go on (a link or the destination is down); the VM stays on its source. */
  fail(reason: string): void {
    if (this.state !== "running") return;
    if (this.switched) {
      this.finish();
      return;
    }
    this.giveUp("failed", reason);
  }

  /** The destination crashed: before the switch the VM stays on its source, after it is lost. */
  targetLost(host: number, reason: string): boolean {
    if (host !== this.destination || this.switched) return false;
    this.fail(`destination ${this.cloud.hostName(host)} lost: ${reason}`);
    return true;
  }

  /** The source crashed: after the switch the VM runs on the destination and the move is done. */
  sourceLost(host: number): boolean {
    if (host !== this.source || !this.switched || this.state !== "running") return false;
    const ack = this.flow;
    this.flow = undefined;
    if (ack !== undefined) this.cloud.network.cancelFlow(ack);
    this.finish();
    return true;
  }

  /** The VM itself is lost: stop everything, leave its state to the cloud. */
  abort(reason: string): void {
    if (this.state !== "running") return;
    this.halt("failed", reason);
    this.report();
  }

  private giveUp(state: "failed" | "cancelled", reason: string | undefined): void {
    this.halt(state, reason);
    const { cloud, vm } = this;
    cloud.end(vm, this);
    cloud.releaseMemory(vm, this.destination);
    vm.destination = undefined;
    cloud.setPaused(vm, false);
    cloud.setState(vm, "running");
    this.report();
  }

  /** Tells the cloud's observers, then the owner, how the migration ended. */
  private report(): void {
    this.cloud.migrationEnded.emit({
      vm: this.vm,
      source: this.source,
      destination: this.destination,
      state: this.state === "running" ? "failed" : this.state,
      start: this.start,
      end: this.end,
      bytes: this.bytesSent,
      downtime: this.downtime,
    });
    this.extra.onDone?.(this);
  }

  private halt(state: "failed" | "cancelled", reason: string | undefined): void {
    this.state = state;
    this.failure = reason;
    this.end = this.cloud.sim.now;
    const flow = this.flow;
    this.flow = undefined;
    if (flow !== undefined) this.cloud.network.cancelFlow(flow);
  }

  /** Sends `bytes`, then calls `next` with the time the send took. */
  private send(bytes: number, from: number, to: number, next: (duration: number) => void): void {
    const start = this.cloud.sim.now;
    this.flow = this.cloud.network.startFlow(this.cloud.route(from, to), bytes, {
      ...(this.extra.speed === undefined ? {} : { bound: this.extra.speed }),
      label: `migration of ${this.vm.name}`,
      onComplete: () => {
        this.flow = undefined;
        // A flow ending in a batch with others may report after the migration was halted by
        // another's observer (the VM stopped): it was the last of a migration that is over.
        if (this.state !== "running") return;
        next(this.cloud.sim.now - start);
      },
      onFail: (_, reason) => {
        this.flow = undefined;
        this.fail(reason);
      },
    });
  }

  private flopsComputed(): number {
    return this.vm.consumer?.flopsComputed(this.cloud.sim.now) ?? 0;
  }

  private precopy(bytes: number): void {
    const flopsBefore = this.flopsComputed();
    this.sends.push([this.cloud.sim.now, bytes]);
    this.send(bytes, this.source, this.destination, (duration) => {
      this.rounds++;
      this.bytesSent += bytes;
      const { spec } = this.vm;
      const coreSpeed = this.cloud.platform.hosts[this.source]?.speed ?? 1;
      const busySeconds = (this.flopsComputed() - flopsBefore) / coreSpeed;
      const dirtied = Math.min(
        wholeBytes(spec.dirtyRate * busySeconds),
        wholeBytes(spec.workingSet * spec.memory),
      );
      const threshold =
        duration > 0 ? wholeBytes((bytes / duration) * this.options.maxDowntime) : Infinity;
      if (dirtied <= threshold) this.stopAndCopy(dirtied, "converged");
      else if (this.rounds >= this.options.maxRounds) this.stopAndCopy(dirtied, "round limit");
      else if (this.bytesSent >= this.options.maxTraffic * spec.memory) {
        this.stopAndCopy(dirtied, "traffic limit");
      } else this.precopy(dirtied);
    });
  }

  private stopAndCopy(bytes: number, stop: PrecopyStop): void {
    this.stop = stop;
    this.pausedAt = this.cloud.sim.now;
    this.cloud.setPaused(this.vm, true);
    this.sends.push([this.pausedAt, bytes]);
    this.send(bytes, this.source, this.destination, () => {
      this.bytesSent += bytes;
      this.switched = true;
      this.cloud.placeCpu(this.vm, this.destination);
      this.cloud.setPaused(this.vm, false);
      this.downtime = this.cloud.sim.now - this.pausedAt;
      // The acknowledgement: an empty message back, one route latency.
      this.send(0, this.destination, this.source, () => {
        this.finish();
      });
    });
  }

  private finish(): void {
    const { cloud, vm } = this;
    this.state = "completed";
    this.end = cloud.sim.now;
    cloud.end(vm, this);
    cloud.releaseMemory(vm, this.source);
    vm.host = this.destination;
    vm.destination = undefined;
    cloud.setState(vm, "running");
    this.report();
  }
}

/**
 * Bytes are whole. The nudge keeps a product computed from time differences (0.216 s of busy CPU
 * comes out as 0.21599999999999930) from losing a byte to rounding before the floor.
 */
function wholeBytes(amount: number): number {
  return Math.floor(amount + 1e-6);
}

/** Starts a live migration of a running VM to `destination` (which must have the RAM free). */
export function migrateVm(
  cloud: Cloud,
  vm: Vm,
  destination: number,
  options: MigrationOptions = {},
): Migration {
  return new Migration(cloud, vm, destination, options);
}
