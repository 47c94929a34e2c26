import type { VmSpec } from "../../compute/vm.js";
import { type Platform, siteHosts } from "../../platform/platform.js";
import type { CloudView } from "../cloud-view.js";

/**
 * Where to start a set of VMs (a vjob): one host per VM, or undefined if they do not all fit now
 * (the set then waits). A placement reserves what VMs are sized for (RAM and vCPUs), not what they
 * use: it decides with what the cloud has given out, never with the future.
 */
export interface Placement {
  readonly name: string;
  place(
    view: CloudView,
    vms: readonly VmSpec[],
    homeSite: number | undefined,
  ): number[] | undefined;
}

/**
 * What a set's VMs may still take on each host while a placement places them one by one: the
 * view's free RAM and vCPUs (cores x vcpusPerCore minus those held), less what the set's earlier
 * VMs took. Read host by host on demand, so that a placement costs what it looks at, not a copy
 * of the whole platform (test/placement-reference.ts keeps the copy-and-sort version it must agree
 * with).
 */
export class HostRoom {
  private readonly takenMemory = new Map<number, number>();
  /** The hosts the set's VMs were given so far, in order. */
  private readonly chosen: number[] = [];
  private readonly takenVcpus = new Map<number, number>();

  constructor(
    readonly view: CloudView,
    readonly vcpusPerCore: number,
  ) {}

  /** Bytes of RAM free. */
  memory(host: number): number {
    return this.view.freeMemory(host) - (this.takenMemory.get(host) ?? 0);
  }

  /** vCPUs that may still be given out. */
  vcpus(host: number): number {
    return this.vcpuCapacity(host) - this.view.vcpusOn(host) - (this.takenVcpus.get(host) ?? 0);
  }

  vcpuCapacity(host: number): number {
    return (this.view.platform.hosts[host]?.cores ?? 0) * this.vcpusPerCore;
  }

  /**
   * The host is up, has the VM's RAM and vCPUs left, and the view's constraints admit it there
   * after the set's earlier VMs.
   */
  fits(host: number, vm: VmSpec): boolean {
    return (
      this.view.isHostUp(host) &&
      this.memory(host) >= vm.memory &&
      this.vcpus(host) >= vm.vcpus &&
      (this.view.admits?.(host, this.chosen) ?? true)
    );
  }

  take(host: number, vm: VmSpec): void {
    this.chosen.push(host);
    this.takenMemory.set(host, (this.takenMemory.get(host) ?? 0) + vm.memory);
    this.takenVcpus.set(host, (this.takenVcpus.get(host) ?? 0) + vm.vcpus);
  }

  /**
   * The multi-resource sort key of best-fit and worst-fit: what the host would have left after the
   * VM, as the sum of its two fractions (free RAM / RAM + free vCPUs / vCPU capacity). Best-fit
   * takes the smallest (the tightest host), worst-fit the largest; ties go to the earlier host in
   * the scan order.
   */
  leftAfter(host: number, vm: VmSpec): number {
    const memoryCapacity = this.view.platform.hosts[host]?.memory ?? 0;
    return (
      (this.memory(host) - vm.memory) / memoryCapacity +
      (this.vcpus(host) - vm.vcpus) / this.vcpuCapacity(host)
    );
  }
}

/**
 * Calls `visit` on every host id in the order placements scan them: the home site's hosts first,
 * then the others, each in id order; stops when `visit` returns true. Without a home site, all
 * hosts in id order.
 */
export function scanHosts(
  platform: Platform,
  homeSite: number | undefined,
  visit: (host: number) => boolean,
): void {
  const home = homeSite === undefined ? undefined : siteHosts(platform)[homeSite];
  if (home !== undefined) {
    for (const host of home) if (visit(host)) return;
  }
  for (const host of platform.hosts) {
    if (home !== undefined && host.site === homeSite) continue;
    if (visit(host.id)) return;
  }
}

/**
 * Places the VMs one by one, each on the host `choose` picks among those it fits on (undefined:
 * none), and takes its share there; undefined as soon as one VM fits nowhere.
 */
export function placeEach(
  view: CloudView,
  vcpusPerCore: number,
  vms: readonly VmSpec[],
  choose: (room: HostRoom, vm: VmSpec) => number | undefined,
): number[] | undefined {
  const room = new HostRoom(view, vcpusPerCore);
  const chosen: number[] = [];
  for (const vm of vms) {
    const host = choose(room, vm);
    if (host === undefined) return undefined;
    room.take(host, vm);
    chosen.push(host);
  }
  return chosen;
}

/**
 * The fitting host (in scan order) that `better` prefers to all those before it: the first of
 * equals. One pass over the hosts.
 */
export function bestFitting(
  room: HostRoom,
  vm: VmSpec,
  homeSite: number | undefined,
  better: (a: number, b: number) => boolean,
): number | undefined {
  let best: number | undefined;
  scanHosts(room.view.platform, homeSite, (host) => {
    if (room.fits(host, vm) && (best === undefined || better(host, best))) best = host;
    return false;
  });
  return best;
}
