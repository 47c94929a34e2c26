import type { Assignment, VmDemand } from "../configuration.js";
import { currentAssignment } from "./assignment-metrics.js";
import type { Packing, PackingProblem } from "./packing-problem.js";

/**
 * Turns a packing (VM types per bin, bins on forced hosts or on some host of a class) into an
 * assignment of VMs to hosts, migrating little: each class bin goes to the host of its class that
 * already holds the most memory of the VMs it contains (a greedy matching on that saving, the
 * largest first, ties by bin then host index); the other bins to the class's hosts in class order
 * (most memory held first). Then, in each bin, the VMs of a type that already run on its host are
 * chosen first; the others are taken among the rest of that type, those running nowhere first
 * (placing them costs nothing), then by id. O(VMs log VMs), not counted in the budget.
 */
export function assignPacking(problem: PackingProblem, packing: Packing): Assignment {
  const { configuration, types, hostIndex } = problem;
  const vmById = new Map(configuration.vms.map((vm) => [vm.id, vm]));
  const hostOfBin = binHosts(problem, packing, vmById);
  const target = currentAssignment(configuration);
  const taken = new Set<number>();
  const vmsOn = (type: number, host: number): number[] =>
    (types[type]?.vms ?? []).filter((vm) => hostIndex.get(vmById.get(vm)?.host ?? -1) === host);
  const missing: { bin: number; type: number; count: number }[] = [];
  packing.bins.forEach((bin, b) => {
    const host = hostOfBin[b] ?? -1;
    for (const { type, count } of bin.contents) {
      const home = vmsOn(type, host).slice(0, count);
      for (const vm of home) {
        taken.add(vm);
        target[vm] = configuration.hosts[host]?.id;
      }
      if (home.length < count) missing.push({ bin: b, type, count: count - home.length });
    }
  });
  const runsNowhere = (vm: number): boolean => !hostIndex.has(vmById.get(vm)?.host ?? -1);
  const rest = types.map((type) =>
    type.vms
      .filter((vm) => !taken.has(vm))
      .sort((a, b) => Number(runsNowhere(b)) - Number(runsNowhere(a)) || a - b),
  );
  for (const { bin, type, count } of missing) {
    for (const vm of (rest[type] ?? []).splice(0, count)) {
      target[vm] = configuration.hosts[hostOfBin[bin] ?? -1]?.id;
    }
  }
  return target;
}

/** Host index (into configuration.hosts) of each bin of the packing. */
function binHosts(
  problem: PackingProblem,
  packing: Packing,
  vmById: ReadonlyMap<number, VmDemand>,
): number[] {
  const { configuration, types, classes, forced, hostIndex } = problem;
  const hostOfBin: number[] = packing.bins.map((bin) =>
    bin.slot.kind === "forced" ? (forced[bin.slot.index]?.host ?? -1) : -1,
  );
  // Memory each class bin would keep in place on each host of its class.
  const saving = new Map<number, number>();
  const hosts = configuration.hosts.length;
  packing.bins.forEach((bin, b) => {
    if (bin.slot.kind !== "class") return;
    const classHosts = new Set(classes[bin.slot.index]?.hosts ?? []);
    for (const { type, count } of bin.contents) {
      const perHost = new Map<number, number>();
      for (const vm of types[type]?.vms ?? []) {
        const at = hostIndex.get(vmById.get(vm)?.host ?? -1);
        if (at !== undefined && classHosts.has(at)) perHost.set(at, (perHost.get(at) ?? 0) + 1);
      }
      for (const [host, held] of perHost) {
        const key = b * hosts + host;
        const kept = Math.min(held, count) * (types[type]?.memory ?? 0);
        saving.set(key, (saving.get(key) ?? 0) + kept);
      }
    }
  });
  const pairs = [...saving].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const usedHost = new Set<number>(hostOfBin.filter((h) => h >= 0));
  for (const [key] of pairs) {
    const b = Math.floor(key / hosts);
    const host = key - b * hosts;
    if (hostOfBin[b] !== -1 || usedHost.has(host)) continue;
    hostOfBin[b] = host;
    usedHost.add(host);
  }
  packing.bins.forEach((bin, b) => {
    if (hostOfBin[b] !== -1 || bin.slot.kind !== "class") return;
    const host = (classes[bin.slot.index]?.hosts ?? []).find((h) => !usedHost.has(h));
    if (host === undefined) return;
    hostOfBin[b] = host;
    usedHost.add(host);
  });
  return hostOfBin;
}
