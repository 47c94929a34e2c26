import type { Platform } from "../platform/platform.js";
import { servicesOf, vjobNamesOf } from "../workload/services.js";
import {
  type Constraint,
  appliesTo,
  namesPlaces,
  resolveConstraints,
} from "../policies/constraints/placement-constraints.js";
import type { ConstraintSpec } from "./constraints-section.js";
import type { Problem } from "./problems.js";
import { powerCapProblems, usableUnderCaps } from "./power-cap-references.js";
import type { VjobsWorkload } from "./vjobs-section.js";

/** The vjobs a workload will submit, by name, with their VM counts (unknown for an SWF log). */
function vjobsOf(workload: VjobsWorkload): Map<string, number> | undefined {
  const arrivals = workload.arrivals;
  if (arrivals.type === "list") {
    return new Map(arrivals.jobs.flatMap((job) => vjobNamesOf(job).map((name) => [name, job.vms])));
  }
  if (arrivals.type === "poisson" && typeof arrivals.count === "number") {
    return new Map(Array.from({ length: arrivals.count }, (_, i) => [`job${i}`, arrivals.vms]));
  }
  return undefined;
}

/**
 * Names a fence, ban, quarantine or maxOnline gives that the platform lacks, with their paths
 * (a maxOnline naming none caps every host).
 */
function unknownPlaces(spec: ConstraintSpec, i: number, platform: Platform): Problem[] {
  if (!namesPlaces(spec)) return [];
  const known = {
    hosts: platform.hosts.map((host) => host.name),
    clusters: platform.sites.flatMap((site) => site.clusters.map((cluster) => cluster.name)),
    sites: platform.sites.map((site) => site.name),
  };
  const problems = (["hosts", "clusters", "sites"] as const).flatMap((kind) =>
    (spec[kind] ?? []).flatMap((name, j) =>
      known[kind].includes(name)
        ? []
        : [
            {
              path: `constraints[${i}].${kind}[${j}]`,
              message: `expected a ${kind.slice(0, -1)} of the platform, got ${JSON.stringify(name)}`,
            },
          ],
    ),
  );
  const none = spec.hosts === undefined && spec.clusters === undefined && spec.sites === undefined;
  if (none && spec.type !== "maxOnline") {
    problems.push({
      path: `constraints[${i}]`,
      message: `expected hosts, clusters or sites to ${spec.type}, got none`,
    });
  }
  if (spec.type === "quarantine" && spec.until !== undefined && spec.until <= spec.from) {
    problems.push({
      path: `constraints[${i}].until`,
      message: `expected an end after its start (${spec.from} s), got ${spec.until} s`,
    });
  }
  return problems;
}

/** Of some hosts, those the power caps let be on together, one per place (see usableUnderCaps). */
type Usable = (hosts: readonly number[], place?: (host: number) => string | number) => number[];

/**
 * Whether the VMs a set of waiting constraints holds (`vms` of `memory` bytes each) can ever be
 * placed: enough hosts admitted by its fences and bans (and that the power caps let be on, see
 * `usable`) with the RAM for one VM, on enough hosts or sites for its spreads. Undefined if they
 * can; else why not.
 */
function neverPlaced(
  constraints: readonly Constraint[],
  platform: Platform,
  vms: number,
  memory: number,
  usable: Usable,
): string | undefined {
  const gathered = constraints.some((c) => c.type === "gather");
  const needed = gathered ? vms * memory : memory;
  // Cores its VMs reserve (preserve), on one host for all of them if gathered.
  const reserve = Math.max(0, ...constraints.map((c) => c.cores)) * (gathered ? vms : 1);
  const fenced = platform.hosts.filter(
    (host) =>
      host.memory >= needed &&
      host.cores >= reserve &&
      constraints.every(
        (c) =>
          (c.type !== "fence" && c.type !== "ban") || (c.type === "fence") === c.hosts.has(host.id),
      ),
  );
  const ids = fenced.map((host) => host.id);
  if (usable(ids).length === 0) {
    const which = `no host its fences and bans admit${fenced.length > 0 ? " and its power caps let on" : ""}`;
    const cores = reserve > 0 ? ` and ${reserve} cores to reserve` : "";
    return gathered
      ? `${which} has the RAM for its ${vms} VMs together (${needed} B)${cores}`
      : `${which} has the RAM for one of its VMs (${memory} B)${cores}`;
  }
  if (vms > 1) {
    const conflict = constraints.find((together) =>
      constraints.some((spread) => cannotBoth(together, spread)),
    );
    if (conflict !== undefined) {
      return `its ${vms} VMs cannot be both ${conflict.type === "gather" ? "gathered on one host" : `in one ${conflict.across}`} and spread`;
    }
  }
  const among = constraints.find((c) => c.type === "among");
  const spreadHosts = constraints.some((c) => c.type === "spread" && c.across === "host");
  if (among !== undefined && spreadHosts) {
    const byPlace = new Map<string, number[]>();
    for (const host of fenced) {
      const place = among.across === "site" ? `${host.site}` : `${host.site} ${host.cluster}`;
      byPlace.set(place, [...(byPlace.get(place) ?? []), host.id]);
    }
    const most = Math.max(...[...byPlace.values()].map((hosts) => usable(hosts).length));
    if (most < vms) {
      return `its ${vms} VMs cannot be spread over the hosts of one ${among.across} (${most} at most)`;
    }
  }
  for (const c of constraints) {
    if (c.type !== "spread") continue;
    const siteOf = (id: number) => platform.hosts[id]?.site ?? -1;
    const place = c.across === "host" ? (id: number) => id : siteOf;
    const places = usable(ids, place).length;
    if (places < vms) {
      const capped = places < new Set(ids.map(place)).size;
      return `its ${vms} VMs cannot be spread over the ${places} ${c.across}s its fences and bans admit${capped ? " and its power caps let on" : ""}`;
    }
  }
  return undefined;
}

/**
 * Whether two constraints can never both hold over two VMs: a gather and any spread, VMs kept in
 * one site (or cluster) and spread across sites.
 */
function cannotBoth(together: Constraint, spread: Constraint): boolean {
  if (spread.type !== "spread") return false;
  if (together.type === "gather") return true;
  return together.type === "among" && spread.across === "site";
}

/**
 * What the schema cannot see of the constraints: names of the platform and of the workload's
 * vjobs, fences and bans that name something, and constraints no placement can meet (they would
 * keep vjobs waiting for ever): a fence to hosts without room for a VM, a spread over fewer hosts
 * or sites than VMs.
 */
export function constraintProblems(
  specs: readonly ConstraintSpec[],
  workload: VjobsWorkload,
  platform: Platform,
  /** The hosts that stay on (stores), with what they store. */
  stores: ReadonlyMap<number, string> = new Map(),
): Problem[] {
  const problems = specs.flatMap((spec, i) => unknownPlaces(spec, i, platform));
  const vjobs = vjobsOf(workload);
  const services =
    workload.arrivals.type === "list" ? servicesOf(workload.arrivals.jobs) : new Map();
  const known = (path: string, name: string) => {
    if (vjobs === undefined || vjobs.has(name) || services.has(name)) return;
    problems.push({
      path,
      message: `expected a vjob (or a replicated service) of the workload, got ${JSON.stringify(name)}`,
    });
  };
  specs.forEach((spec, i) => {
    if (spec.type === "split") {
      const groupOf = new Map<string, number>();
      spec.groups.forEach((group, g) => {
        group.forEach((name, j) => {
          const path = `constraints[${i}].groups[${g}][${j}]`;
          known(path, name);
          const other = groupOf.get(name);
          if (other !== undefined && other !== g) {
            problems.push({
              path,
              message: `expected ${name} in one group, got it in groups ${other} and ${g} too`,
            });
          }
          groupOf.set(name, g);
        });
      });
      return;
    }
    if (spec.type === "quarantine" || spec.type === "maxOnline" || spec.vjobs === "each") return;
    spec.vjobs.forEach((name, j) => {
      known(`constraints[${i}].vjobs[${j}]`, name);
    });
  });
  const vcpus = workload.arrivals.type === "swf" ? workload.arrivals.vcpusPerVm : workload.vm.vcpus;
  specs.forEach((spec, i) => {
    if (spec.type !== "preserve" || spec.cores <= vcpus) return;
    problems.push({
      path: `constraints[${i}].cores`,
      message: `expected at most ${vcpus} (a VM's vCPUs), got ${spec.cores}`,
    });
  });
  const constraints = resolveConstraints(specs, platform, services).filter(
    (c) => c.onViolation === "wait",
  );
  const capped = constraints.filter((c) => c.caps.length > 0);
  problems.push(...powerCapProblems(capped, stores, platform));
  if (problems.length > 0 || vjobs === undefined) return problems;
  const storeIds = new Set(stores.keys());
  const usable: Usable = (hosts, place) => usableUnderCaps(capped, storeIds, hosts, place);
  const memory = workload.vm.memory;
  // Each vjob on its own (the constraints on it), then each group (its VMs together). Vjobs
  // under the same constraints with as many VMs are alike: checked once.
  const checked = new Map<string, string | undefined>();
  for (const [name, vms] of vjobs) {
    const mine = constraints.filter((c) => appliesTo(c, name));
    if (mine.length === 0) continue;
    const key = `${mine.map((c) => c.index).join(",")}/${vms}`;
    if (!checked.has(key)) checked.set(key, neverPlaced(mine, platform, vms, memory, usable));
    const why = checked.get(key);
    if (why !== undefined) {
      problems.push({ path: "constraints", message: `expected room for vjob ${name}: ${why}` });
      return problems;
    }
  }
  // A gather (or among) and a spread over two VMs or more in common can never both hold.
  for (const gather of constraints) {
    for (const spread of constraints.filter((c) => cannotBoth(gather, c))) {
      if (gather.vjobs === "each" && spread.vjobs === "each") continue;
      const common = [...vjobs].filter(
        ([name]) => appliesTo(gather, name) && appliesTo(spread, name),
      );
      if (common.reduce((sum, [, vms]) => sum + vms, 0) >= 2) {
        problems.push({
          path: `constraints[${spread.index}]`,
          message: `expected VMs that can be spread, got VMs that constraints[${gather.index}] ${gather.type === "gather" ? "gathers" : `keeps in one ${gather.across}`} (${common.map(([name]) => name).join(", ")})`,
        });
      }
    }
  }
  for (const c of constraints) {
    if (c.vjobs === "each" || (c.type !== "spread" && c.type !== "gather")) continue;
    const vms = [...c.vjobs].reduce((sum, name) => sum + (vjobs.get(name) ?? 0), 0);
    const why = neverPlaced([c], platform, vms, memory, usable);
    if (why !== undefined) {
      problems.push({
        path: `constraints[${c.index}]`,
        message: `expected room for its group: ${why}`,
      });
    }
  }
  return problems;
}
