import { SiteTotals, demandUnits, scanSiteTotals } from "./site-totals.js";
import { Network, type SharingMode } from "../network/network.js";
import { type Platform, route } from "../platform/platform.js";
import { Signal } from "../sim/signal.js";
import type { Simulation } from "../sim/simulation.js";
import { Cpu, type Execution } from "./cpu.js";
import { Disks } from "./disk.js";
import { HostPower, type PowerChange } from "./host-power.js";
import { type HostEnergyModel, type PowerState, TAURUS_ENERGY } from "./power-model.js";
import { IllegalOperation, IllegalTransition, canTransition } from "./vm-lifecycle.js";
import { Vm, type VmSpec, type VmState } from "./vm.js";

export interface VmTransition {
  readonly vm: Vm;
  readonly from: VmState;
  readonly to: VmState;
  readonly time: number;
}

/** Something under way on a VM (a migration, a suspend...) that a failure must stop. */
export interface VmOperation {
  readonly kind: string;
  /** Stops the operation without touching the VM's state: the caller decides where it goes. */
  abort(reason: string): void;
  /**
   * A host the operation moves the VM to has crashed, not the one the VM runs on: gives up and
   * leaves the VM where it was, returning true, or returns false if the VM is lost with it.
   */
  readonly targetLost?: ((host: number, reason: string) => boolean) | undefined;
  /**
   * The host the VM is leaving has crashed: returns true if the VM no longer needs it (it already
   * runs elsewhere) and the operation has settled that, false if the VM is lost with it.
   */
  readonly sourceLost?: ((host: number, reason: string) => boolean) | undefined;
}

/** How a migration ended, for observers. */
export interface MigrationEnd {
  readonly vm: Vm;
  readonly source: number;
  readonly destination: number;
  readonly state: "completed" | "failed" | "cancelled";
  readonly start: number;
  readonly end: number;
  /** Bytes sent over the network, all rounds (also for a failed migration). */
  readonly bytes: number;
  /** Seconds paused for the stop-and-copy (NaN if it never got there). */
  readonly downtime: number;
}

/** How a snapshot of a VM set ended, for observers. */
export interface SnapshotEnd {
  readonly vms: readonly Vm[];
  readonly state: "stored" | "failed";
  readonly start: number;
  readonly end: number;
  /** Bytes of the images stored (0 for a failed snapshot). */
  readonly bytes: number;
}

/** A host went down (crash, removal, not joined yet) or came (back) up. */
export interface HostChange {
  readonly host: number;
  readonly up: boolean;
  readonly reason: string;
  readonly time: number;
}

/** A VM was sent to a host that is down: a bug in a policy. */
export class HostDown extends Error {
  constructor(vm: string, host: string) {
    super(`VM ${vm} cannot go to ${host}: the host is down`);
    this.name = "HostDown";
  }
}

/** A VM was given RAM that its host does not have: a bug in a policy. */
export class MemoryOvercommit extends Error {
  constructor(vm: string, host: string, needed: number, free: number) {
    super(`VM ${vm} needs ${needed} bytes of RAM on ${host}, which has ${free} free`);
    this.name = "MemoryOvercommit";
  }
}

/**
 * The hosts of a platform running VMs: the CPU, network and disk models they share, the RAM each
 * host has given out, every VM's state (each change is signalled), and the work a VM's load does.
 * Operations (boot, migrate, suspend, snapshot...) live in their own files and act through it.
 */
/** Every state but stopped: a VM in any of them may be stopped. */
const LIVE_STATES: readonly VmState[] = [
  "waiting",
  "booting",
  "running",
  "migrating",
  "suspending",
  "suspended",
  "resuming",
  "snapshotting",
  "restoring",
  "failed",
];

export class Cloud {
  readonly vmStateChanged = new Signal<VmTransition>("vm state changed");
  /** A VM's load is about to change (`load(vm)` is still the old one). */
  readonly vmLoadChanging = new Signal<Vm>("vm load changing");
  /** A host's RAM given out changed (a VM took or released it): it may have become (in)active. */
  readonly hostUsageChanged = new Signal<number>("host usage changed");
  readonly migrationEnded = new Signal<MigrationEnd>("migration ended");
  readonly snapshotEnded = new Signal<SnapshotEnd>("snapshot ended");
  /** A host crashed (down) or came back (repaired, joined): failures, not power management. */
  readonly hostChanged = new Signal<HostChange>("host up or down");
  /** Every host's power state; `hostPowerChanged` signals each change, crashes included. */
  readonly power: HostPower;
  readonly hostPowerChanged: Signal<PowerChange>;
  /** VMs not stopped, by id (so in creation order): a stopped VM is forgotten, memory stays flat. */
  private readonly live = new Map<number, Vm>();
  /** VMs created so far (ids are 0 to vmsCreated - 1). */
  vmsCreated = 0;
  readonly cpu: Cpu;
  readonly network: Network;
  readonly disks: Disks;
  /** Per-site totals of the hosts that are on, for the sky policies (no scan per vjob). */
  readonly siteTotals: SiteTotals;
  /**
   * The VMs that hold RAM or vCPUs on each host: what a crash of the host must look at, found
   * without a scan of every VM (issue 18). `checkInvariants` checks it against a scan.
   */
  private readonly touching: Set<Vm>[];
  private readonly memoryUsed: Float64Array;
  /** vCPUs of the VMs holding RAM on each host (a count, not a cap: CPU may be overcommitted). */
  private readonly vcpusHeld: Float64Array;
  private readonly reservedHeld: Float64Array;
  private readonly operations = new Map<Vm, VmOperation>();
  private readonly loads = new Map<Vm, number>();
  private readonly workDone = new Map<Vm, (vm: Vm) => void>();

  constructor(
    readonly sim: Simulation,
    readonly platform: Platform,
    options: {
      readonly sharing?: SharingMode;
      /** Each host's power and transitions; default: a taurus node for every host. */
      readonly energyOf?: (host: number) => HostEnergyModel;
    } = {},
  ) {
    this.cpu = new Cpu(sim, platform.hosts);
    this.network = new Network(sim, platform.links, { mode: options.sharing ?? "max-min" });
    this.disks = new Disks(sim, platform.hosts);
    this.memoryUsed = new Float64Array(platform.hosts.length);
    this.touching = platform.hosts.map(() => new Set<Vm>());
    this.vcpusHeld = new Float64Array(platform.hosts.length);
    this.reservedHeld = new Float64Array(platform.hosts.length);
    this.energyOf = options.energyOf ?? (() => TAURUS_ENERGY);
    this.power = new HostPower(sim, platform.hosts.length, this.energyOf, (host, up) => {
      const link = platform.hosts[host]?.link;
      if (link !== undefined) this.network.setLinkUp(link, up);
    });
    this.hostPowerChanged = this.power.changed;
    this.siteTotals = new SiteTotals(platform, (host) => this.power.isOn(host));
    this.hostPowerChanged.subscribe(({ host, from }) => {
      this.siteTotals.powerChanged(host, from === "on");
    });
    this.hostUsageChanged.subscribe((host) => {
      this.siteTotals.freeMemoryChanged(host, this.freeMemory(host));
    });
  }

  /** What the host draws, by power state. */
  readonly energyOf: (host: number) => HostEnergyModel;

  createVm(spec: VmSpec): Vm {
    const vm = new Vm(this.vmsCreated++, spec);
    this.live.set(vm.id, vm);
    return vm;
  }

  /** The VMs not stopped, in creation order. */
  liveVms(): IterableIterator<Vm> {
    return this.live.values();
  }

  setState(vm: Vm, to: VmState): void {
    const from = vm.state;
    if (!canTransition(from, to)) throw new IllegalTransition(vm.name, from, to);
    vm.state = to;
    this.vmStateChanged.emit({ vm, from, to, time: this.sim.now });
  }

  /** Throws unless the VM is in one of `states` (the operation's precondition). */
  expectState(vm: Vm, operation: string, ...states: VmState[]): void {
    if (!states.includes(vm.state)) {
      throw new IllegalOperation(vm.name, vm.state, operation);
    }
  }

  hostName(host: number): string {
    return this.platform.hosts[host]?.name ?? `#${host}`;
  }

  freeMemory(host: number): number {
    return (this.platform.hosts[host]?.memory ?? 0) - (this.memoryUsed[host] ?? 0);
  }

  /** vCPUs of the VMs holding RAM on `host`. */
  vcpusOn(host: number): number {
    return this.vcpusHeld[host] ?? 0;
  }

  /** Cores reserved (CPU reservations) by the VMs holding RAM on `host`. */
  reservedOn(host: number): number {
    return this.reservedHeld[host] ?? 0;
  }

  /**
   * Whether the host is on: it may hold VMs and counts as capacity. A host that is off, booting,
   * switching off or crashed is not.
   */
  isHostUp(host: number): boolean {
    return this.power.isOn(host);
  }

  powerState(host: number): PowerState {
    return this.power.stateOf(host);
  }

  /** Whether the host is crashed (or removed, or not joined yet), whatever its power was. */
  isHostDown(host: number): boolean {
    return this.power.isDown(host);
  }

  /**
   * Switches an on host off; it must hold no VM (no RAM given out, no vCPUs, even paused ones of a
   * suspended VM whose image is on its disk). False if it is not on or not empty. It is off after
   * its shutdown time (HostPower).
   */
  switchOff(host: number): boolean {
    if (!this.isEmpty(host)) return false;
    return this.power.switchOff(host);
  }

  /** Whether no VM holds RAM or vCPUs on the host (a host that may be switched off). */
  isEmpty(host: number): boolean {
    return !this.isActive(host) && this.cpu.consumersOn(host) === 0;
  }

  /** Boots a host that is off (or being switched off); false for a crashed host. */
  powerOn(host: number): boolean {
    return this.power.powerOn(host);
  }

  /** Reserves the VM's RAM on `host` (and counts its vCPUs there); throws if it does not fit. */
  holdMemory(vm: Vm, host: number): void {
    if (!this.isHostUp(host)) throw new HostDown(vm.name, this.hostName(host));
    const free = this.freeMemory(host);
    if (vm.spec.memory > free) {
      throw new MemoryOvercommit(vm.name, this.hostName(host), vm.spec.memory, free);
    }
    this.memoryUsed[host] = (this.memoryUsed[host] ?? 0) + vm.spec.memory;
    this.vcpusHeld[host] = (this.vcpusHeld[host] ?? 0) + vm.spec.vcpus;
    this.reservedHeld[host] = (this.reservedHeld[host] ?? 0) + (vm.spec.reserved ?? 0);
    vm.memoryOn.push(host);
    this.touching[host]?.add(vm);
    this.hostUsageChanged.emit(host);
  }

  releaseMemory(vm: Vm, host: number): void {
    const at = vm.memoryOn.indexOf(host);
    if (at < 0) return;
    vm.memoryOn.splice(at, 1);
    this.retouch(vm, host);
    this.memoryUsed[host] = (this.memoryUsed[host] ?? 0) - vm.spec.memory;
    this.vcpusHeld[host] = (this.vcpusHeld[host] ?? 0) - vm.spec.vcpus;
    this.reservedHeld[host] = (this.reservedHeld[host] ?? 0) - (vm.spec.reserved ?? 0);
    this.hostUsageChanged.emit(host);
  }

  /** Whether any VM holds RAM on the host (a host a consolidation could not switch off). */
  isActive(host: number): boolean {
    return (this.memoryUsed[host] ?? 0) > 0;
  }

  route(from: number, to: number): number[] {
    return route(this.platform, from, to);
  }

  /** Cores the VM's load asks for, in [0, vcpus]; kept across suspends and migrations. */
  setLoad(vm: Vm, cores: number): void {
    const clipped = Math.min(vm.spec.vcpus, Math.max(0, cores));
    if (this.vmLoadChanging.observed) this.vmLoadChanging.emit(vm);
    const before = this.load(vm);
    this.loads.set(vm, clipped);
    if (vm.consumer !== undefined) {
      this.siteTotals.demandChanged(vm.consumer.host, demandUnits(clipped) - demandUnits(before));
      this.cpu.setLoad(vm.consumer, clipped);
    }
  }

  load(vm: Vm): number {
    return this.loads.get(vm) ?? 0;
  }

  /** Gives the VM's vCPUs to `host` (running, with its load), or moves them there. */
  placeCpu(vm: Vm, host: number): void {
    const units = demandUnits(this.load(vm));
    if (vm.consumer === undefined) {
      vm.consumer = this.cpu.addConsumer(host, vm.name, vm.spec.vcpus, vm.spec.reserved);
      this.cpu.setLoad(vm.consumer, this.load(vm));
      this.siteTotals.demandChanged(host, units);
    } else if (vm.consumer.host !== host) {
      const from = vm.consumer.host;
      this.siteTotals.demandChanged(from, -units);
      this.cpu.moveConsumer(vm.consumer, host);
      this.siteTotals.demandChanged(host, units);
      this.retouch(vm, from);
    }
    this.touching[host]?.add(vm);
  }

  /**
   * Gives the VM's load `flops` of work (a job's share): it moves at the CPU granted to the load,
   * and stands still while the VM is paused or suspended. The VM must have its vCPUs placed.
   * `onDone` is kept for the VM: work set again later (restored from a snapshot) calls it too.
   */
  setWork(vm: Vm, flops: number, onDone?: (vm: Vm) => void): Execution {
    if (vm.consumer === undefined) throw new Error(`VM ${vm.name} has no CPU to work on`);
    if (onDone !== undefined) this.workDone.set(vm, onDone);
    return this.cpu.setLoadWork(vm.consumer, flops, () => {
      this.workDone.get(vm)?.(vm);
    });
  }

  /** Work left on the VM, flops (undefined if it has none). */
  workLeft(vm: Vm): number | undefined {
    const work = vm.consumer?.loadWork;
    return work === undefined ? undefined : work.remainingAt(this.sim.now);
  }

  setPaused(vm: Vm, paused: boolean): void {
    if (vm.consumer !== undefined) this.cpu.setPaused(vm.consumer, paused);
  }

  begin(vm: Vm, operation: VmOperation): void {
    const current = this.operations.get(vm);
    if (current !== undefined) {
      throw new Error(`VM ${vm.name}: cannot start a ${operation.kind} during a ${current.kind}`);
    }
    this.operations.set(vm, operation);
  }

  end(vm: Vm, operation: VmOperation): void {
    if (this.operations.get(vm) === operation) this.operations.delete(vm);
  }

  operationOf(vm: Vm): VmOperation | undefined {
    return this.operations.get(vm);
  }

  /**
   * The VM is lost (its host crashed...): its operation stops, its vCPUs, work and RAM go.
   * Nothing happens to a VM already failed or stopped.
   */
  failVm(vm: Vm, reason: string): void {
    if (vm.state === "failed" || vm.state === "stopped") return;
    this.operations.get(vm)?.abort(reason);
    this.operations.delete(vm);
    vm.workLeftAtFailure = this.workLeft(vm);
    this.dropResources(vm);
    this.setState(vm, "failed");
  }

  /**
   * A host crashed: every VM whose image lives there (running, or suspended to its disk) fails;
   * an operation moving a VM to it gives up and the VM stays where it was, if it can. VMs are
   * handled in id order.
   */
  crashHost(host: number, reason: string): void {
    if (this.isHostDown(host)) return;
    // Down first: what the VMs' operations do as they give up must not count on the host.
    this.power.crash(host);
    // The VMs touching the host, in creation order (the order a scan of every VM would take).
    const touching = [...(this.touching[host] ?? [])].sort((a, b) => a.id - b.id);
    for (const vm of touching) {
      if (vm.state === "failed" || vm.state === "stopped") continue;
      const operation = this.operations.get(vm);
      if (vm.host !== host && vm.destination === host) {
        if (operation?.targetLost?.(host, reason) === true) continue;
      }
      if (vm.host === host && operation?.sourceLost?.(host, reason) === true) continue;
      if (vm.host === host || vm.destination === host || vm.consumer?.host === host) {
        this.failVm(vm, reason);
      }
    }
    // Then whatever still moves data to or from it (a snapshot copy, an image) fails with its NIC.
    const link = this.platform.hosts[host]?.link;
    if (link !== undefined) this.network.setLinkUp(link, false);
    this.hostChanged.emit({ host, up: false, reason, time: this.sim.now });
  }

  /** A host (back) up, empty: repaired, or joining the platform. */
  bringHostUp(host: number, reason: string): void {
    if (!this.power.repair(host)) return;
    this.hostChanged.emit({ host, up: true, reason, time: this.sim.now });
  }

  /** Shuts the VM down for good and gives back its resources. */
  stopVm(vm: Vm): void {
    this.expectState(vm, "stop", ...LIVE_STATES);
    this.operations.get(vm)?.abort("stopped");
    this.operations.delete(vm);
    this.dropResources(vm);
    this.setState(vm, "stopped");
    this.live.delete(vm.id);
    this.loads.delete(vm);
    this.workDone.delete(vm);
  }

  private dropResources(vm: Vm): void {
    const computing = vm.consumer?.host;
    if (vm.consumer !== undefined) {
      this.siteTotals.demandChanged(vm.consumer.host, -demandUnits(this.load(vm)));
      this.cpu.removeConsumer(vm.consumer);
    }
    vm.consumer = undefined;
    if (computing !== undefined) this.retouch(vm, computing);
    for (const host of [...vm.memoryOn]) this.releaseMemory(vm, host);
    vm.destination = undefined;
  }

  /**
   * What must always hold; undefined when it does. A VM holds RAM on exactly one host while it has
   * a live image (two while it migrates, on its host and its destination), none otherwise; no
   * host gives out more RAM than it has. Slow (checks every VM): for tests and --check.
   */
  checkInvariants(): string | undefined {
    const used = new Float64Array(this.platform.hosts.length);
    for (const vm of this.live.values()) {
      const expected = expectedMemoryHosts(vm);
      if (
        vm.memoryOn.length !== expected.length ||
        expected.some((h) => !vm.memoryOn.includes(h))
      ) {
        return `VM ${vm.name} (${vm.state}) holds RAM on [${vm.memoryOn.join(", ")}], expected [${expected.join(", ")}]`;
      }
      const hasCpu = vm.consumer !== undefined;
      if (hasCpu !== HAS_CPU[vm.state]) {
        return `VM ${vm.name} (${vm.state}) ${hasCpu ? "has" : "lacks"} vCPUs on a host`;
      }
      for (const host of vm.memoryOn) used[host] = (used[host] ?? 0) + vm.spec.memory;
    }
    for (const host of this.platform.hosts) {
      const total = used[host.id] ?? 0;
      if (total > host.memory) {
        return `host ${host.name}: ${total} bytes of RAM given out, it has ${host.memory}`;
      }
      const state = this.power.stateOf(host.id);
      if (state !== "on" && !this.isEmpty(host.id)) {
        return `host ${host.name} is ${state} but holds a VM`;
      }
    }
    return this.checkTouching() ?? this.checkSiteTotals();
  }

  /** Keeps the VM among those touching the host while it holds RAM or vCPUs there. */
  private retouch(vm: Vm, host: number): void {
    if (touches(vm, host)) this.touching[host]?.add(vm);
    else this.touching[host]?.delete(vm);
  }

  /**
   * Every VM a crash of a host must look at (it runs, computes or lands there) is among those
   * kept as touching the host, and only those.
   */
  private checkTouching(): string | undefined {
    const counted = new Float64Array(this.platform.hosts.length);
    for (const vm of this.live.values()) {
      const computing = vm.consumer?.host;
      const held =
        computing === undefined || vm.memoryOn.includes(computing)
          ? vm.memoryOn
          : [...vm.memoryOn, computing];
      for (const host of held) {
        if (this.touching[host]?.has(vm) !== true) {
          return `VM ${vm.name} holds RAM or vCPUs on host ${this.hostName(host)}, not kept as touching it`;
        }
        counted[host] = (counted[host] ?? 0) + 1;
      }
      if (vm.state === "failed" || vm.state === "stopped") continue;
      for (const host of [vm.host, vm.destination]) {
        if (host !== undefined && !touches(vm, host)) {
          return `VM ${vm.name} (${vm.state}) is on host ${this.hostName(host)} without RAM or vCPUs there`;
        }
      }
    }
    for (const host of this.platform.hosts) {
      const kept = this.touching[host.id]?.size ?? 0;
      if (kept !== counted[host.id]) {
        return `host ${host.name}: ${kept} VMs kept as touching it, ${counted[host.id] ?? 0} do`;
      }
    }
    return undefined;
  }

  /** The per-site totals kept change by change equal a scan of every host and VM. */
  private checkSiteTotals(): string | undefined {
    const scanned = scanSiteTotals(this);
    for (const { id, name } of this.platform.sites) {
      for (const key of ["upHosts", "cores", "freeMemory", "demand"] as const) {
        const kept = this.siteTotals[key](id);
        const scan = scanned[key](id);
        if (kept !== scan) return `site ${name}: ${key} kept ${kept}, a scan gives ${scan}`;
      }
    }
    return undefined;
  }
}

/** Whether the VM holds RAM or vCPUs on the host (a crash of the host concerns it). */
function touches(vm: Vm, host: number): boolean {
  return vm.memoryOn.includes(host) || vm.consumer?.host === host;
}

/**
 * Whether a VM in each state has vCPUs on a host. A suspended VM keeps them, paused, so that its
 * work survives; a booting or restoring VM gets them once it runs.
 */
const HAS_CPU: Readonly<Record<VmState, boolean>> = {
  waiting: false,
  booting: false,
  running: true,
  migrating: true,
  suspending: true,
  suspended: true,
  resuming: true,
  snapshotting: true,
  restoring: false,
  failed: false,
  stopped: false,
};

/** Hosts where a VM in its state must hold RAM. */
function expectedMemoryHosts(vm: Vm): number[] {
  switch (vm.state) {
    case "resuming":
      return [vm.destination ?? vm.host].filter((h): h is number => h !== undefined);
    case "booting":
    case "running":
    case "suspending":
    case "snapshotting":
    case "restoring":
      return vm.host === undefined ? [] : [vm.host];
    case "migrating":
      return [vm.host, vm.destination].filter((h): h is number => h !== undefined);
    default:
      return [];
  }
}
