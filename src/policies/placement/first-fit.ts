import type { Cloud } from "../../compute/cloud.js";
import type { VmSpec } from "../../compute/vm.js";

/**
 * Where to start a set of VMs: one host per VM, or undefined if they do not all fit now (the
 * set then waits). Placements decide with what the cloud has given out, never with the future.
 */
export type Placement = (
  cloud: Cloud,
  vms: readonly VmSpec[],
  homeSite: number | undefined,
) => number[] | undefined;

/**
 * The static first-fit baseline: each VM, in order, on the first host that is up (home site's
 * hosts first, then the others, each in id order) with the RAM free and vCPUs free (no CPU
 * overcommit beyond `vcpusPerCore` vCPUs per core).
 */
export function firstFit(vcpusPerCore = 1): Placement {
  return (cloud, vms, homeSite) => {
    const hosts = cloud.platform.hosts;
    const order = hosts
      .map((host) => host.id)
      .filter((id) => cloud.isHostUp(id))
      .sort((a, b) => {
        const homeA = hosts[a]?.site === homeSite ? 0 : 1;
        const homeB = hosts[b]?.site === homeSite ? 0 : 1;
        return homeA - homeB || a - b;
      });
    const memory = order.map((h) => cloud.freeMemory(h));
    const vcpus = order.map((h) => (hosts[h]?.cores ?? 0) * vcpusPerCore - cloud.vcpusOn(h));
    const chosen: number[] = [];
    for (const vm of vms) {
      const at = order.findIndex(
        (_, i) => (memory[i] as number) >= vm.memory && (vcpus[i] as number) >= vm.vcpus,
      );
      if (at < 0) return undefined;
      memory[at] = (memory[at] as number) - vm.memory;
      vcpus[at] = (vcpus[at] as number) - vm.vcpus;
      chosen.push(order[at] as number);
    }
    return chosen;
  };
}
