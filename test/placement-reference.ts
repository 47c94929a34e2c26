import type { VmSpec } from "../src/compute/vm.js";
import type { CloudView } from "../src/policies/cloud-view.js";
import type { Placement } from "../src/policies/placement/placement.js";
import type { RandomStream } from "../src/sim/random.js";

/**
 * The built-in placements as first written, slow and obviously correct: every call copies the up
 * hosts with what they have free, sorts them (home site first, then id), and each VM filters the
 * whole list. src/policies/placement/ scans hosts on demand instead; test/placement.test.ts checks
 * that both choose the same hosts.
 */
interface Candidate {
  readonly host: number;
  memory: number;
  vcpus: number;
  readonly memoryCapacity: number;
  readonly vcpuCapacity: number;
}

function candidates(view: CloudView, homeSite: number | undefined, vcpusPerCore: number) {
  return view.platform.hosts
    .filter((host) => view.isHostUp(host.id))
    .sort((a, b) => (a.site === homeSite ? 0 : 1) - (b.site === homeSite ? 0 : 1) || a.id - b.id)
    .map((host): Candidate => ({
      host: host.id,
      memory: view.freeMemory(host.id),
      vcpus: host.cores * vcpusPerCore - view.vcpusOn(host.id),
      memoryCapacity: host.memory,
      vcpuCapacity: host.cores * vcpusPerCore,
    }));
}

function placeEach(
  hosts: Candidate[],
  vms: readonly VmSpec[],
  choose: (fitting: readonly [Candidate, ...Candidate[]], vm: VmSpec) => Candidate,
): number[] | undefined {
  const chosen: number[] = [];
  for (const vm of vms) {
    const [first, ...others] = hosts.filter((c) => c.memory >= vm.memory && c.vcpus >= vm.vcpus);
    if (first === undefined) return undefined;
    const target = choose([first, ...others], vm);
    target.memory -= vm.memory;
    target.vcpus -= vm.vcpus;
    chosen.push(target.host);
  }
  return chosen;
}

const leftAfter = (c: Candidate, vm: VmSpec): number =>
  (c.memory - vm.memory) / c.memoryCapacity + (c.vcpus - vm.vcpus) / c.vcpuCapacity;

export function referencePlacement(
  name: "first-fit" | "best-fit" | "worst-fit" | "round-robin" | "random",
  vcpusPerCore: number,
  rng: RandomStream,
): Placement {
  let last = -1;
  const place = (view: CloudView, vms: readonly VmSpec[], homeSite: number | undefined) => {
    switch (name) {
      case "first-fit":
        return placeEach(candidates(view, homeSite, vcpusPerCore), vms, (f) => f[0]);
      case "best-fit":
        return placeEach(candidates(view, homeSite, vcpusPerCore), vms, (f, vm) =>
          f.reduce((best, c) => (leftAfter(c, vm) < leftAfter(best, vm) ? c : best)),
        );
      case "worst-fit":
        return placeEach(candidates(view, homeSite, vcpusPerCore), vms, (f, vm) =>
          f.reduce((best, c) => (leftAfter(c, vm) > leftAfter(best, vm) ? c : best)),
        );
      case "round-robin":
        return placeEach(candidates(view, undefined, vcpusPerCore), vms, (f) => {
          const next = f.find((c) => c.host > last) ?? f[0];
          last = next.host;
          return next;
        });
      case "random":
        return placeEach(
          candidates(view, undefined, vcpusPerCore),
          vms,
          (f) => f[Math.floor(rng.next() * f.length)] ?? f[0],
        );
    }
  };
  return { name, place };
}
