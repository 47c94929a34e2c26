import { type Cloud, HostDown, MemoryOvercommit } from "./cloud.js";
import { Steps } from "./operation-steps.js";
import type { Snapshot } from "./snapshot.js";
import { IllegalOperation } from "./vm-lifecycle.js";
import type { Vm } from "./vm.js";

export interface RestoreOptions {
  /** Network reconfiguration once a VM is resumed, s: on the site it was captured on... */
  readonly reconfigureSameSite?: number;
  /** ...and on another site (overlay and IP changes). */
  readonly reconfigureOtherSite?: number;
  /**
   * The VMs that take the images (`vms[i]` for `snapshot.images[i]`), waiting; default: the
   * images' own VMs, failed.
   */
  readonly vms?: readonly Vm[];
  readonly onDone?: (restore: Restore) => void;
}

/**
 * Restores the VMs of a stored snapshot on new hosts (`hosts[i]` for `snapshot.images[i]`): each
 * takes its RAM there, fetches its image from the store (a flow), reads its RAM from the local
 * disk, has its network reconfigured (longer when it changed site), then runs again with the work
 * it had left when captured. The restore is `done` once every VM runs; if an image transfer fails,
 * that VM fails and so does the restore (the others go on: a policy decides what to do).
 */
export class Restore {
  state: "restoring" | "done" | "failed" = "restoring";
  readonly start: number;
  end = Number.NaN;
  failure: string | undefined = undefined;
  private pending: number;

  constructor(
    private readonly cloud: Cloud,
    readonly snapshot: Snapshot,
    readonly hosts: readonly number[],
    private readonly options: RestoreOptions,
  ) {
    if (snapshot.state !== "stored") {
      throw new Error(`cannot restore a snapshot that is ${snapshot.state}`);
    }
    if (hosts.length !== snapshot.images.length) {
      throw new RangeError(
        `restore: ${hosts.length} hosts for ${snapshot.images.length} VM images`,
      );
    }
    const vms = options.vms ?? snapshot.images.map((image) => image.vm);
    if (vms.length !== snapshot.images.length) {
      throw new RangeError(`restore: ${vms.length} VMs for ${snapshot.images.length} VM images`);
    }
    for (const vm of vms) {
      if (vm.state !== "failed" && vm.state !== "waiting") {
        throw new IllegalOperation(vm.name, vm.state, "restore");
      }
    }
    checkRoom(cloud, vms, hosts);
    this.start = cloud.sim.now;
    this.pending = hosts.length;
    snapshot.images.forEach((image, i) => {
      this.restoreOne(vms[i] as Vm, hosts[i] as number, image.host, image.bytes, image.workLeft);
    });
  }

  private restoreOne(
    vm: Vm,
    host: number,
    capturedOn: number,
    bytes: number,
    workLeft: number | undefined,
  ): void {
    const { cloud } = this;
    cloud.holdMemory(vm, host);
    vm.host = host;
    const steps = new Steps(cloud, "restore");
    cloud.begin(vm, steps);
    cloud.setState(vm, "restoring");
    const hosts = cloud.platform.hosts;
    const sameSite = hosts[host]?.site === hosts[capturedOn]?.site;
    const reconfigure = sameSite
      ? (this.options.reconfigureSameSite ?? 0)
      : (this.options.reconfigureOtherSite ?? 0);
    steps.transfer(
      this.snapshot.options.store,
      host,
      bytes,
      () => {
        steps.disk(host, vm.spec.memory, () => {
          steps.delay(reconfigure, () => {
            cloud.end(vm, steps);
            cloud.placeCpu(vm, host);
            if (workLeft !== undefined) cloud.setWork(vm, workLeft);
            cloud.setState(vm, "running");
            if (--this.pending === 0 && this.state === "restoring") this.finish("done");
          });
        });
      },
      (reason) => {
        cloud.failVm(vm, `image fetch failed: ${reason}`);
        this.failure ??= `VM ${vm.name}: image fetch failed: ${reason}`;
        if (this.state === "restoring") this.finish("failed");
      },
    );
  }

  private finish(state: "done" | "failed"): void {
    this.state = state;
    this.end = this.cloud.sim.now;
    this.options.onDone?.(this);
  }
}

/**
 * All or nothing: every target host must be up and have the RAM of all the VMs sent to it, before
 * any VM starts restoring (a refused restore changes nothing).
 */
function checkRoom(cloud: Cloud, vms: readonly Vm[], hosts: readonly number[]): void {
  const needed = new Map<number, number>();
  vms.forEach((vm, i) => {
    const host = hosts[i] as number;
    if (!cloud.isHostUp(host)) throw new HostDown(vm.name, cloud.hostName(host));
    const total = (needed.get(host) ?? 0) + vm.spec.memory;
    needed.set(host, total);
    if (total > cloud.freeMemory(host)) {
      throw new MemoryOvercommit(vm.name, cloud.hostName(host), total, cloud.freeMemory(host));
    }
  });
}

export function restoreVms(
  cloud: Cloud,
  snapshot: Snapshot,
  hosts: readonly number[],
  options: RestoreOptions = {},
): Restore {
  return new Restore(cloud, snapshot, hosts, options);
}
