import type { Assignment, Configuration } from "../configuration.js";
import {
  cpuRatio,
  currentAssignment,
  isViable,
  maxCpuLoad,
  migrationCost,
} from "./assignment-metrics.js";
import { leastMigrations } from "./migration-search.js";
import { NodeBudget } from "./node-budget.js";
import { HostLoads, coresOf, returnHome } from "./vm-moves.js";

/**
 * The balance objective: a viable assignment with a low peak CPU load ratio (sum of CPU demand /
 * cores, over hosts), then few bytes migrated. A heuristic, not an exact search:
 * 1. longest processing time first (Graham): free VMs by decreasing cpu (then memory, id), each to
 *    the host where its load ratio after it is lowest among hosts with room for its cpu and
 *    memory (ties: its current host, then host order). One node per host examined;
 * 2. the peak ratio to keep is the lower of that assignment's and the current one's (when the
 *    current one is viable and places every VM: then it is kept, as it migrates nothing);
 * 3. at that peak, `leastMigrations` over all hosts with cpu limited to peak x cores looks for a
 *    cheaper assignment than step 1's, then VMs go back home where they fit (`returnHome`).
 * When step 1 finds no viable assignment (memory can strand it), it starts from the current one
 * if viable, else from `packed` (the consolidation packing); undefined when neither is viable.
 */
export function balanceLoad(
  configuration: Configuration,
  budget: NodeBudget,
  packed: () => Assignment | undefined,
): Assignment | undefined {
  const current = currentAssignment(configuration);
  const currentViable = isViable(configuration, current);
  const greedy = leastLoadedFirst(configuration, budget) ?? (currentViable ? current : packed());
  if (greedy === undefined) return undefined;
  const peak = maxCpuLoad(configuration, greedy);
  if (currentViable && maxCpuLoad(configuration, current) <= peak) return current;
  const limits = Float64Array.from(configuration.hosts, (host) =>
    Math.min(host.cpu, peak * host.cpu),
  );
  const everyHost = configuration.hosts.map((_, i) => i);
  const search = new NodeBudget(budget.limit - budget.nodes);
  const found = leastMigrations(
    configuration,
    everyHost,
    limits,
    search,
    migrationCost(configuration, greedy),
  );
  budget.spend(search.nodes);
  const candidates = [greedy, ...(found ? [returnHome(configuration, found, limits, budget)] : [])];
  let best = greedy;
  for (const candidate of candidates) {
    // (The cpu limits are products: check the peak and viability on the sums themselves.)
    if (!isViable(configuration, candidate) || maxCpuLoad(configuration, candidate) > peak)
      continue;
    if (migrationCost(configuration, candidate) < migrationCost(configuration, best)) {
      best = candidate;
    }
  }
  return best;
}

function leastLoadedFirst(
  configuration: Configuration,
  budget: NodeBudget,
): Assignment | undefined {
  const loads = new HostLoads(configuration, coresOf(configuration));
  const target = currentAssignment(configuration);
  for (const vm of configuration.vms) {
    const at = loads.index.get(vm.host ?? -1);
    if (vm.pinned && at !== undefined) loads.add(vm, at);
  }
  const free = configuration.vms
    .filter((vm) => !vm.pinned)
    .sort((a, b) => b.cpu - a.cpu || b.memory - a.memory || a.id - b.id);
  for (const vm of free) {
    const home = loads.index.get(vm.host ?? -1) ?? -1;
    let chosen = -1;
    let chosenRatio = Infinity;
    for (let h = 0; h < configuration.hosts.length; h++) {
      if (!budget.spend()) return undefined;
      if (!loads.fits(vm, h)) continue;
      const ratio = cpuRatio((loads.cpu[h] ?? 0) + vm.cpu, configuration.hosts[h]?.cpu ?? 0);
      if (ratio < chosenRatio || (ratio === chosenRatio && h === home)) {
        chosen = h;
        chosenRatio = ratio;
      }
    }
    if (chosen < 0) return undefined;
    loads.add(vm, chosen);
    target[vm.id] = configuration.hosts[chosen]?.id;
  }
  return target;
}
