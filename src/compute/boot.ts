import type { Cloud, VmOperation } from "./cloud.js";
import { IllegalOperation } from "./vm-lifecycle.js";
import type { Vm } from "./vm.js";

export interface BootOptions {
  /** Seconds from power-on to a running guest, after any image transfer. */
  readonly delay: number;
  /** Host of the image store to copy the VM's disk image from first (a network flow). */
  readonly imageStore?: number;
  readonly onDone?: (vm: Vm) => void;
}

/**
 * Boots a waiting VM on `host`: it takes the RAM at once, copies its image from the store if one
 * is given, waits the boot delay, then runs (its vCPUs start asking for its load). If the image
 * transfer fails, the VM fails.
 */
export function bootVm(cloud: Cloud, vm: Vm, host: number, options: BootOptions): void {
  if (vm.state !== "waiting") throw new IllegalOperation(vm.name, vm.state, "boot");
  if (!(options.delay >= 0 && options.delay < Infinity)) {
    throw new RangeError(`boot of ${vm.name}: delay must be >= 0, got ${options.delay}`);
  }
  cloud.holdMemory(vm, host);
  vm.host = host;
  cloud.setState(vm, "booting");
  let stopped = false;
  let flow: ReturnType<Cloud["network"]["startFlow"]> | undefined;
  const operation: VmOperation = {
    kind: "boot",
    abort: () => {
      stopped = true;
      if (flow !== undefined) cloud.network.cancelFlow(flow);
    },
  };
  cloud.begin(vm, operation);
  const powerOn = (): void => {
    cloud.sim.schedule(options.delay, () => {
      if (stopped) return;
      cloud.end(vm, operation);
      cloud.placeCpu(vm, host);
      cloud.setState(vm, "running");
      options.onDone?.(vm);
    });
  };
  if (options.imageStore === undefined) {
    powerOn();
    return;
  }
  flow = cloud.network.startFlow(cloud.route(options.imageStore, host), vm.spec.imageSize, {
    label: `image of ${vm.name}`,
    onComplete: () => {
      flow = undefined;
      powerOn();
    },
    onFail: (_, reason) => {
      flow = undefined;
      cloud.failVm(vm, `image transfer failed: ${reason}`);
    },
  });
}
