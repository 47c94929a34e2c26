import { within } from "../capacity.js";
import type { Assignment, Configuration, VmDemand } from "../configuration.js";

/**
 * Entropy's cluster-wide context switch, the decision: vjobs by priority (first come, first
 * served); a vjob runs only if all its VMs fit on top of the vjobs before it that run, otherwise
 * all its VMs are off (suspended if they ran, still waiting if they never did). Later vjobs may
 * still run if they fit (the queue is not blocked by a large head). The plan builder then turns
 * the permutation into one plan of suspends, resumes, runs and migrations.
 *
 * Where a VM goes: its current host if it still fits there (no migration), else the first host in
 * id order that fits its CPU demand and memory; the VMs of a vjob are placed largest memory first.
 * A vjob with a VM busy with an operation (booting, migrating) cannot be switched off: its VMs on
 * hosts stay there, counted first, and its VMs off a host start only if they fit.
 */
export function contextSwitchTarget(
  configuration: Configuration,
  vjobs: readonly (readonly number[])[],
): { readonly assignment: Assignment; readonly nodes: number } {
  const { hosts, vms } = configuration;
  const index = new Map(hosts.map((host, i) => [host.id, i]));
  const cpu = new Float64Array(hosts.length);
  const memory = new Float64Array(hosts.length);
  const target: (number | undefined)[] = vms.map(() => undefined);
  const take = (vm: VmDemand, host: number): void => {
    const at = index.get(host) ?? -1;
    cpu[at] = (cpu[at] ?? 0) + vm.cpu;
    memory[at] = (memory[at] ?? 0) + vm.memory;
    target[vm.id] = host;
  };
  const release = (vm: VmDemand): void => {
    const at = index.get(target[vm.id] ?? -1) ?? -1;
    cpu[at] = (cpu[at] ?? 0) - vm.cpu;
    memory[at] = (memory[at] ?? 0) - vm.memory;
    target[vm.id] = undefined;
  };
  // The work done, as the search's nodes: one per host examined for a VM.
  let nodes = 0;
  const fitsOn = (vm: VmDemand, at: number): boolean => {
    nodes++;
    const host = hosts[at];
    return (
      host !== undefined &&
      within((cpu[at] ?? 0) + vm.cpu, host.cpu) &&
      within((memory[at] ?? 0) + vm.memory, host.memory)
    );
  };
  const members = (vjob: readonly number[]): VmDemand[] =>
    vjob.flatMap((id) => (vms[id] === undefined ? [] : [vms[id]]));
  const scheduled = new Set(vjobs.flat());
  const busy = vjobs.filter((vjob) => members(vjob).some((vm) => vm.pinned));
  // What cannot move is counted first: VMs outside any vjob, and busy vjobs' VMs on hosts.
  for (const vm of vms) {
    if (vm.host !== undefined && !scheduled.has(vm.id)) take(vm, vm.host);
  }
  for (const vjob of busy) {
    for (const vm of members(vjob)) if (vm.host !== undefined) take(vm, vm.host);
  }
  const place = (vm: VmDemand): boolean => {
    const current = vm.host === undefined ? undefined : index.get(vm.host);
    const at =
      current !== undefined && fitsOn(vm, current)
        ? current
        : hosts.findIndex((_, i) => fitsOn(vm, i));
    const host = hosts[at];
    if (host === undefined) return false;
    take(vm, host.id);
    return true;
  };
  for (const vjob of vjobs) {
    const isBusy = busy.includes(vjob);
    const off = members(vjob)
      .filter((vm) => !isBusy || vm.host === undefined)
      .sort((a, b) => b.memory - a.memory || a.id - b.id);
    const placed: VmDemand[] = [];
    for (const vm of off) {
      if (place(vm)) placed.push(vm);
      else if (!isBusy) {
        for (const done of placed) release(done);
        break;
      }
    }
  }
  return { assignment: target, nodes };
}
