import type { VmSpec } from "../../compute/vm.js";
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

/** A host a placement may use, with what is left on it as the set's VMs are placed one by one. */
export interface Candidate {
  readonly host: number;
  /** Bytes of RAM free. */
  memory: number;
  /** vCPUs that may still be given out (cores x vcpusPerCore minus those held). */
  vcpus: number;
  readonly memoryCapacity: number;
  readonly vcpuCapacity: number;
}

/**
 * The hosts that are up, the home site's first and then the others, each in id order: every
 * placement looks at hosts in this order and breaks its ties by it.
 */
export function candidates(
  view: CloudView,
  homeSite: number | undefined,
  vcpusPerCore: number,
): Candidate[] {
  const hosts = view.platform.hosts;
  return hosts
    .filter((host) => view.isHostUp(host.id))
    .sort((a, b) => (a.site === homeSite ? 0 : 1) - (b.site === homeSite ? 0 : 1) || a.id - b.id)
    .map((host) => ({
      host: host.id,
      memory: view.freeMemory(host.id),
      vcpus: host.cores * vcpusPerCore - view.vcpusOn(host.id),
      memoryCapacity: host.memory,
      vcpuCapacity: host.cores * vcpusPerCore,
    }));
}

export function fits(candidate: Candidate, vm: VmSpec): boolean {
  return candidate.memory >= vm.memory && candidate.vcpus >= vm.vcpus;
}

/**
 * Places the VMs one by one, each on the candidate `choose` picks among those it fits on, and
 * takes its share from that candidate; undefined as soon as one VM fits nowhere.
 */
export function placeEach(
  hosts: Candidate[],
  vms: readonly VmSpec[],
  choose: (fitting: readonly [Candidate, ...Candidate[]], vm: VmSpec) => Candidate,
): number[] | undefined {
  const chosen: number[] = [];
  for (const vm of vms) {
    const fitting = hosts.filter((candidate) => fits(candidate, vm));
    const [first, ...others] = fitting;
    if (first === undefined) return undefined;
    const target = choose([first, ...others], vm);
    target.memory -= vm.memory;
    target.vcpus -= vm.vcpus;
    chosen.push(target.host);
  }
  return chosen;
}

/**
 * The multi-resource sort key of best-fit and worst-fit: what the host would have left after the
 * VM, as the sum of its two fractions (free RAM / RAM + free vCPUs / vCPU capacity). Best-fit
 * takes the smallest (the tightest host), worst-fit the largest; ties go to the earlier candidate.
 */
export function leftAfter(candidate: Candidate, vm: VmSpec): number {
  return (
    (candidate.memory - vm.memory) / candidate.memoryCapacity +
    (candidate.vcpus - vm.vcpus) / candidate.vcpuCapacity
  );
}
