import type { Cloud, VmOperation } from "./cloud.js";
import { Steps } from "./operation-steps.js";
import { IllegalOperation } from "./vm-lifecycle.js";
import type { Vm } from "./vm.js";

/** What a snapshot keeps of one VM. */
export interface VmImage {
  readonly vm: Vm;
  /** Host the VM ran on when captured. */
  readonly host: number;
  /** RAM plus disk delta, bytes. */
  readonly bytes: number;
  /** Work the VM's load had left when captured, flops (undefined if none). */
  readonly workLeft: number | undefined;
}

export interface SnapshotOptions {
  /** Host of the snapshot store that receives the images. */
  readonly store: number;
  /**
   * `coordinated`: every VM pauses, saves its RAM to local disk, and all resume once all are
   * saved. `live`: the VMs keep running (copy-on-write) and each is back to running as soon as
   * its own save is done.
   */
  readonly mode?: "coordinated" | "live";
  /** Disk bytes changed since the image, saved with each VM's RAM. */
  readonly diskDelta?: number;
  /** Called once every VM's RAM is saved and the VMs run again (the copies then begin). */
  readonly onCaptured?: (snapshot: Snapshot) => void;
  readonly onDone?: (snapshot: Snapshot) => void;
}

/**
 * A snapshot of a set of VMs (a vjob): each VM's RAM is written to its host's disk, then the RAM
 * and disk delta are copied to the store as network flows. It counts (state `stored`) only once
 * every image is in the store; if a VM fails or a copy fails first, the snapshot fails.
 */
export class Snapshot {
  state: "saving" | "copying" | "stored" | "failed" = "saving";
  readonly start: number;
  /** When every VM's RAM was saved (NaN before). */
  captured = Number.NaN;
  end = Number.NaN;
  failure: string | undefined = undefined;
  readonly images: VmImage[];
  private readonly steps: Steps[] = [];
  private pending: number;

  constructor(
    private readonly cloud: Cloud,
    readonly vms: readonly Vm[],
    readonly options: SnapshotOptions,
  ) {
    for (const vm of vms) {
      if (vm.state !== "running") throw new IllegalOperation(vm.name, vm.state, "snapshot");
    }
    this.start = cloud.sim.now;
    const delta = options.diskDelta ?? 0;
    this.images = vms.map((vm) => ({
      vm,
      host: vm.host as number,
      bytes: vm.spec.memory + delta,
      workLeft: cloud.workLeft(vm),
    }));
    this.pending = vms.length;
    const coordinated = (options.mode ?? "coordinated") === "coordinated";
    this.images.forEach((image) => {
      const steps = new Steps(cloud, "snapshot");
      const operation: VmOperation = {
        kind: "snapshot",
        abort: (reason) => {
          this.fail(`VM ${image.vm.name} lost: ${reason}`, image.vm);
        },
      };
      this.steps.push(steps);
      cloud.begin(image.vm, operation);
      // Paused first, so that observers of the state change see a coordinated capture's pause.
      if (coordinated) cloud.setPaused(image.vm, true);
      cloud.setState(image.vm, "snapshotting");
      steps.disk(image.host, image.vm.spec.memory, () => {
        if (!coordinated) this.release(image.vm, operation);
        if (--this.pending > 0) return;
        if (coordinated) {
          this.vms.forEach((vm) => {
            this.release(vm, undefined);
          });
        }
        this.captured = cloud.sim.now;
        options.onCaptured?.(this);
        this.copy();
      });
    });
  }

  private release(vm: Vm, operation: VmOperation | undefined): void {
    const current = operation ?? this.cloud.operationOf(vm);
    if (current !== undefined) this.cloud.end(vm, current);
    this.cloud.setPaused(vm, false);
    this.cloud.setState(vm, "running");
  }

  private copy(): void {
    this.state = "copying";
    this.pending = this.images.length;
    this.images.forEach((image, i) => {
      const steps = this.steps[i] as Steps;
      steps.transfer(
        image.host,
        this.options.store,
        image.bytes,
        () => {
          if (--this.pending === 0) this.finish("stored");
        },
        (reason) => {
          this.fail(`copy of ${image.vm.name} failed: ${reason}`);
        },
      );
    });
  }

  /** Gives up (the vjob ended): the snapshot fails and never replaces an earlier one. */
  abort(reason: string): void {
    this.fail(reason);
  }

  /** Stops every save and copy; the VMs still saving go back to running, except `lost`. */
  private fail(reason: string, lost?: Vm): void {
    if (this.state === "stored" || this.state === "failed") return;
    this.failure = reason;
    for (const steps of this.steps) steps.abort();
    for (const vm of this.vms) {
      if (vm !== lost && vm.state === "snapshotting") this.release(vm, undefined);
    }
    this.finish("failed");
  }

  private finish(state: "stored" | "failed"): void {
    this.state = state;
    this.end = this.cloud.sim.now;
    this.cloud.snapshotEnded.emit({
      vms: this.vms,
      state,
      start: this.start,
      end: this.end,
      bytes: state === "stored" ? this.images.reduce((sum, image) => sum + image.bytes, 0) : 0,
    });
    this.options.onDone?.(this);
  }
}

export function snapshotVms(cloud: Cloud, vms: readonly Vm[], options: SnapshotOptions): Snapshot {
  return new Snapshot(cloud, vms, options);
}
