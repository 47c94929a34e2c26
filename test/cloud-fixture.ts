import { Cloud } from "../src/compute/cloud.js";
import { bootVm } from "../src/compute/boot.js";
import type { Vm, VmSpec } from "../src/compute/vm.js";
import { buildPlatform } from "../src/platform/build.js";
import { type SyntheticOptions, syntheticPlatform } from "../src/platform/synthetic.js";
import { Simulation } from "../src/sim/index.js";

export const GiB = 2 ** 30;
/** Host NICs of the test platform: 125 MB/s, the bottleneck of every route. */
export const NIC = 125e6;
/** Local disks of the test platform. */
export const DISK = 100e6;

/**
 * Two sites of two hosts (s0h0, s0h1, s1h0, s1h1 = hosts 0..3), 4 cores of 1 Gf each, 16 GiB,
 * NICs at 125 MB/s and everything else at 1.25 GB/s, no latency unless given; the cloud's
 * invariants are checked after every event.
 */
export function testCloud(options: Partial<SyntheticOptions> = {}) {
  const sim = new Simulation();
  const platform = buildPlatform(
    syntheticPlatform({
      sites: 2,
      hostsPerSite: 2,
      cores: 4,
      speed: 1e9,
      memory: 16 * GiB,
      diskBandwidth: DISK,
      hostBandwidth: NIC,
      ...options,
    }),
  );
  const cloud = new Cloud(sim, platform);
  sim.addInvariant("cloud", () => cloud.checkInvariants());
  sim.enableChecks();
  return { sim, cloud };
}

export function vmSpec(name: string, overrides: Partial<VmSpec> = {}): VmSpec {
  return {
    name,
    vcpus: 1,
    memory: GiB,
    workingSet: 1,
    dirtyRate: 0,
    imageSize: 2e9,
    ...overrides,
  };
}

/** A VM booted on `host` with no delay and no image transfer, running when this returns. */
export function runningVm(sim: Simulation, cloud: Cloud, host: number, spec: VmSpec, load = 0): Vm {
  const vm = cloud.createVm(spec);
  cloud.setLoad(vm, load);
  bootVm(cloud, vm, host, { delay: 0 });
  sim.run({ until: sim.now });
  return vm;
}
