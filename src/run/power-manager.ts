import type { Cloud } from "../compute/cloud.js";
import type { VmSpec } from "../compute/vm.js";
import type { CloudView } from "../policies/cloud-view.js";
import type { Placement } from "../policies/placement/placement.js";
import type { PowerPolicy } from "../policies/power/power-policy.js";
import type { PowerCaps } from "../policies/constraints/power-caps.js";
import type { EventId } from "../sim/simulation.js";
import type { WakeRequest } from "../workload/vjob-runner.js";
import type { PlanPower } from "./power-plan.js";
import type { PowerState } from "../compute/power-model.js";

/**
 * Carries out a power policy: a host that is on and holds no VM is offered to the policy for a
 * switch-off once it has been empty for `idleFor` (again every `idleFor` while it stays empty and
 * on), unless it is `pinned` (an image or snapshot store) or still moving data (a flow on its NIC,
 * a disk transfer). And it wakes hosts for room: see `wake`. Under power caps (maxOnline), the
 * hosts beyond them start off, and the cloud refuses boots beyond them (whoever asks).
 */
export class PowerManager {
  private readonly timers: (EventId | undefined)[];
  private readonly stateOf: (host: number) => PowerState;

  constructor(
    private readonly cloud: Cloud,
    private readonly policy: PowerPolicy,
    private readonly pinned: ReadonlySet<number>,
    private readonly caps?: PowerCaps,
  ) {
    const hosts = cloud.platform.hosts.length;
    this.timers = new Array<EventId | undefined>(hosts).fill(undefined);
    this.stateOf = (host) => cloud.powerState(host);
    if (caps !== undefined && !caps.empty) {
      cloud.power.gateBoots((host) => caps.mayComeOn(host, this.stateOf));
      const on = caps.startingOn(hosts, pinned);
      for (let host = 0; host < hosts; host++) if (!on.has(host)) cloud.power.startOff(host);
    }
    if (policy.idleFor === undefined) return;
    cloud.hostUsageChanged.subscribe((host) => {
      this.watch(host);
    });
    cloud.hostPowerChanged.subscribe(({ host }) => {
      this.watch(host);
    });
    // A suspended VM's paused vCPUs leave without a change of RAM.
    cloud.cpu.hostReshared.subscribe((host) => {
      this.watch(host);
    });
    for (const host of cloud.platform.hosts) this.watch(host.id);
  }

  /**
   * Asks the policy about the idle host in `after` seconds; if it declines (or the host still
   * moves data), asks again idleFor later, at least a second: a shorter wait (0, 1e-172 s) would
   * ask the same question without end while the clock barely moves.
   */
  private askIn(host: number, after: number, idleFor: number): void {
    this.timers[host] = this.cloud.sim.schedule(after, () => {
      this.timers[host] = undefined;
      if (this.busy(host) || !this.policy.switchOff(this.cloud, host)) {
        this.askIn(host, Math.max(idleFor, 1), idleFor);
        return;
      }
      this.cloud.switchOff(host);
    });
  }

  /** (Re)starts the idle clock of an empty host that is on; stops it otherwise. */
  private watch(host: number): void {
    const timer = this.timers[host];
    const idleFor = this.policy.idleFor;
    const idle = this.cloud.isHostUp(host) && this.cloud.isEmpty(host);
    if (idle && timer !== undefined) return;
    if (timer !== undefined) this.cloud.sim.cancel(timer);
    this.timers[host] = undefined;
    if (!idle || idleFor === undefined || this.pinned.has(host)) return;
    this.askIn(host, idleFor, idleFor);
  }

  /**
   * What consolidation plans may do with hosts under this policy: nothing unless it switches
   * hosts off; then boot hosts that are off (if it wakes hosts) and switch off the hosts a plan
   * empties, unless they are stores or still move data.
   */
  planPower(): PlanPower | undefined {
    if (this.policy.idleFor === undefined) return undefined;
    const { caps } = this;
    return {
      wakes: this.policy.wakeOnDemand,
      bootable: (off) => (caps === undefined ? [...off] : caps.bootable(off, this.stateOf)),
      mayPowerOff: (host) => !this.pinned.has(host) && !this.busy(host),
    };
  }

  private busy(host: number): boolean {
    const link = this.cloud.platform.hosts[host]?.link;
    const flows = link === undefined ? 0 : this.cloud.network.flowsOn(link).length;
    return flows > 0 || this.cloud.disks.load(host) > 0;
  }

  /**
   * Room on hosts that are off for the vjobs waiting, in queue order (the first did not fit on the
   * hosts that are on): each is placed with the hosts off or booting seen as empty, what earlier
   * ones took held back, until one does not fit or all were placed; the hosts chosen
   * that are off boot (the vjobs wait for them, a host coming on serves the queue again). Under
   * power caps, only hosts that may come on are seen, and a vjob whose hosts cannot all come on
   * together does not fit. True if the first found room; false if the policy does not wake hosts,
   * or even then it does not fit.
   */
  wake(placement: Placement, waiting: readonly WakeRequest[]): boolean {
    if (!this.policy.wakeOnDemand) return false;
    const view = new AwakeView(this.cloud, this.caps);
    let first = true;
    for (const request of waiting) {
      const hosts = placement.place(view, request.vms, request.site);
      const sleeping = [...new Set(hosts)]
        .filter((host) => this.cloud.powerState(host) === "off")
        .sort((a, b) => a - b);
      if (hosts === undefined || !view.mayAllComeOn(sleeping)) return !first;
      first = false;
      view.hold(hosts, request.vms);
      for (const host of sleeping) this.cloud.powerOn(host);
    }
    return !first;
  }
}

/**
 * The cloud with its hosts that are off (those power caps let come on) or booting seen as on and
 * empty, less what the vjobs placed so far in this look-ahead hold.
 */
class AwakeView implements CloudView {
  readonly platform: Cloud["platform"];
  readonly sim: Cloud["sim"];
  private readonly memoryHeld = new Map<number, number>();
  private readonly vcpusHeld = new Map<number, number>();
  private readonly reservedHeld = new Map<number, number>();
  private readonly stateOf: (host: number) => PowerState;

  constructor(
    private readonly cloud: Cloud,
    private readonly caps: PowerCaps | undefined,
  ) {
    this.platform = cloud.platform;
    this.sim = cloud.sim;
    this.stateOf = (host) => cloud.powerState(host);
  }

  /** Whether these hosts that are off may all come on together (booted by wake as it goes). */
  mayAllComeOn(off: readonly number[]): boolean {
    return this.caps === undefined || this.caps.bootable(off, this.stateOf).length === off.length;
  }

  hold(hosts: readonly number[], vms: readonly VmSpec[]): void {
    hosts.forEach((host, i) => {
      const vm = vms[i];
      if (vm === undefined) return;
      this.memoryHeld.set(host, (this.memoryHeld.get(host) ?? 0) + vm.memory);
      this.vcpusHeld.set(host, (this.vcpusHeld.get(host) ?? 0) + vm.vcpus);
      this.reservedHeld.set(host, (this.reservedHeld.get(host) ?? 0) + (vm.reserved ?? 0));
    });
  }

  private sleeping(host: number): boolean {
    const state = this.cloud.powerState(host);
    return state === "off" || state === "booting";
  }

  isHostUp(host: number): boolean {
    if (this.cloud.isHostUp(host)) return true;
    const state = this.cloud.powerState(host);
    if (state === "booting") return true;
    return state === "off" && (this.caps?.mayComeOn(host, this.stateOf) ?? true);
  }

  freeMemory(host: number): number {
    const free = this.sleeping(host)
      ? (this.platform.hosts[host]?.memory ?? 0)
      : this.cloud.freeMemory(host);
    return free - (this.memoryHeld.get(host) ?? 0);
  }

  vcpusOn(host: number): number {
    return (this.sleeping(host) ? 0 : this.cloud.vcpusOn(host)) + (this.vcpusHeld.get(host) ?? 0);
  }

  reservedOn(host: number): number {
    const held = this.reservedHeld.get(host) ?? 0;
    return (this.sleeping(host) ? 0 : this.cloud.reservedOn(host)) + held;
  }

  liveVms(): ReturnType<CloudView["liveVms"]> {
    return this.cloud.liveVms();
  }

  load(vm: Parameters<CloudView["load"]>[0]): number {
    return this.cloud.load(vm);
  }

  operationOf(vm: Parameters<CloudView["operationOf"]>[0]): ReturnType<CloudView["operationOf"]> {
    return this.cloud.operationOf(vm);
  }
}
