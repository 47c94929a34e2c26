import type { Cloud } from "./cloud.js";
import { Steps } from "./operation-steps.js";
import { IllegalOperation } from "./vm-lifecycle.js";
import type { Vm } from "./vm.js";

export interface SuspendOptions {
  readonly onDone?: (vm: Vm) => void;
}

/**
 * Suspends a running VM to its host's local disk: it pauses at once, its RAM is written at the
 * disk's (shared) bandwidth, then the RAM is freed. The image stays on that host.
 */
export function suspendVm(cloud: Cloud, vm: Vm, options: SuspendOptions = {}): void {
  if (vm.state !== "running") throw new IllegalOperation(vm.name, vm.state, "suspend");
  const host = vm.host as number;
  const steps = new Steps(cloud, "suspend");
  cloud.begin(vm, steps);
  cloud.setState(vm, "suspending");
  cloud.setPaused(vm, true);
  steps.disk(host, vm.spec.memory, () => {
    cloud.end(vm, steps);
    cloud.releaseMemory(vm, host);
    cloud.setState(vm, "suspended");
    options.onDone?.(vm);
  });
}

export interface ResumeOptions {
  /** Where to resume; default the host holding the image. Elsewhere adds the image transfer. */
  readonly host?: number;
  readonly onDone?: (vm: Vm) => void;
  /** The image transfer failed or the target crashed: the VM is back to suspended where it was. */
  readonly onFail?: (vm: Vm, reason: string) => void;
}

/**
 * Resumes a suspended VM: it takes the RAM on the target, the image crosses the network first if
 * the target is another host, then the RAM is read from the target's disk and the VM runs.
 */
export function resumeVm(cloud: Cloud, vm: Vm, options: ResumeOptions = {}): void {
  if (vm.state !== "suspended") throw new IllegalOperation(vm.name, vm.state, "resume");
  const from = vm.host as number;
  const target = options.host ?? from;
  cloud.holdMemory(vm, target);
  vm.destination = target;
  const steps = new Steps(cloud, "resume");
  cloud.begin(vm, steps);
  cloud.setState(vm, "resuming");
  const read = (): void => {
    steps.disk(target, vm.spec.memory, () => {
      cloud.end(vm, steps);
      vm.host = target;
      vm.destination = undefined;
      cloud.placeCpu(vm, target);
      cloud.setPaused(vm, false);
      cloud.setState(vm, "running");
      options.onDone?.(vm);
    });
  };
  if (target === from) {
    read();
    return;
  }
  // The image stays on the source's disk until the VM runs: if the copy fails or the target
  // crashes, the VM is suspended where it was.
  const giveUp = (reason: string): void => {
    steps.abort();
    cloud.end(vm, steps);
    cloud.releaseMemory(vm, target);
    vm.destination = undefined;
    cloud.setState(vm, "suspended");
    options.onFail?.(vm, reason);
  };
  steps.targetLost = (host, reason) => {
    if (host !== target) return false;
    giveUp(`destination ${cloud.hostName(host)} lost: ${reason}`);
    return true;
  };
  steps.transfer(from, target, vm.spec.memory, read, giveUp);
}

/** Cold migration: suspend on the VM's host, then resume on `destination` (image transfer). */
export function coldMigrateVm(
  cloud: Cloud,
  vm: Vm,
  destination: number,
  options: {
    readonly onDone?: (vm: Vm) => void;
    readonly onFail?: (vm: Vm, reason: string) => void;
  } = {},
): void {
  suspendVm(cloud, vm, {
    onDone: () => {
      resumeVm(cloud, vm, { host: destination, ...options });
    },
  });
}
