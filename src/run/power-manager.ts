import type { Cloud } from "../compute/cloud.js";
import type { VmSpec } from "../compute/vm.js";
import type { CloudView } from "../policies/cloud-view.js";
import type { Placement } from "../policies/placement/placement.js";
import type { PowerPolicy } from "../policies/power/power-policy.js";
import type { EventId } from "../sim/simulation.js";

/**
 * Carries out a power policy: a host that is on and holds no VM is offered to the policy for a
 * switch-off once it has been empty for `idleFor` (again every `idleFor` while it stays empty and
 * on), unless it is `pinned` (an image or snapshot store) or still moving data (a flow on its NIC,
 * a disk transfer). And it wakes hosts for room: see `wake`.
 */
export class PowerManager {
  private readonly timers: (EventId | undefined)[];

  constructor(
    private readonly cloud: Cloud,
    private readonly policy: PowerPolicy,
    private readonly pinned: ReadonlySet<number>,
  ) {
    this.timers = new Array<EventId | undefined>(cloud.platform.hosts.length).fill(undefined);
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

  /** (Re)starts the idle clock of an empty host that is on; stops it otherwise. */
  private watch(host: number): void {
    const timer = this.timers[host];
    const idleFor = this.policy.idleFor;
    const idle = this.cloud.isHostUp(host) && this.cloud.isEmpty(host);
    if (idle && timer !== undefined) return;
    if (timer !== undefined) this.cloud.sim.cancel(timer);
    this.timers[host] = undefined;
    if (!idle || idleFor === undefined || this.pinned.has(host)) return;
    this.timers[host] = this.cloud.sim.schedule(idleFor, () => {
      this.timers[host] = undefined;
      if (this.busy(host) || !this.policy.switchOff(this.cloud, host)) {
        this.watch(host);
        return;
      }
      this.cloud.switchOff(host);
    });
  }

  private busy(host: number): boolean {
    const link = this.cloud.platform.hosts[host]?.link;
    const flows = link === undefined ? 0 : this.cloud.network.flowsOn(link).length;
    return flows > 0 || this.cloud.disks.load(host) > 0;
  }

  /**
   * Room for `vms` on hosts that are off: if the placement fits them when the hosts off or
   * booting are seen as empty hosts, boots those it chose that are off and returns true (the
   * caller waits for them, and those already booting, to be on); false if the policy does not
   * wake hosts, or even then they do not fit.
   */
  wake(placement: Placement, vms: readonly VmSpec[], site: number | undefined): boolean {
    if (!this.policy.wakeOnDemand) return false;
    const hosts = placement.place(awakeView(this.cloud), vms, site);
    if (hosts === undefined) return false;
    const sleeping = [...new Set(hosts)]
      .filter((host) => !this.cloud.isHostUp(host))
      .sort((a, b) => a - b);
    for (const host of sleeping) this.cloud.powerOn(host);
    return sleeping.length > 0;
  }
}

/** The cloud with its hosts that are off or booting seen as on and empty. */
function awakeView(cloud: Cloud): CloudView {
  const sleeping = (host: number): boolean => {
    const state = cloud.powerState(host);
    return state === "off" || state === "booting";
  };
  return {
    platform: cloud.platform,
    sim: cloud.sim,
    isHostUp: (host) => cloud.isHostUp(host) || sleeping(host),
    freeMemory: (host) =>
      sleeping(host) ? (cloud.platform.hosts[host]?.memory ?? 0) : cloud.freeMemory(host),
    vcpusOn: (host) => (sleeping(host) ? 0 : cloud.vcpusOn(host)),
    liveVms: () => cloud.liveVms(),
    load: (vm) => cloud.load(vm),
    operationOf: (vm) => cloud.operationOf(vm),
  };
}
