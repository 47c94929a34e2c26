import type { Platform } from "../platform/platform.js";
import type {
  Assignment,
  Configuration,
  VmDemand,
} from "../policies/consolidation/configuration.js";
import type {
  ConsolidationDecision,
  ConsolidationPolicy,
  ConsolidationView,
} from "../policies/consolidation/consolidation-policy.js";

/**
 * One decision per site, as if each site were a cloud with its own manager: the policy sees only
 * the site's hosts and the VMs on them (numbered 0..n-1 for the site), and its targets are put
 * back together. The managers run in parallel: the decision takes as long as the slowest, and the
 * search work adds up. VMs with no host belong to no site and stay where they are.
 */
export function decidePerSite(
  policy: ConsolidationPolicy,
  view: ConsolidationView,
  platform: Platform,
): ConsolidationDecision {
  const { configuration } = view;
  const target: (number | undefined)[] = configuration.vms.map((vm) => vm.host);
  let computeTime = 0;
  let nodes = 0;
  let proven = true;
  let lowerBound = 0;
  for (const site of platform.sites) {
    const hosts = configuration.hosts.filter((host) => platform.hosts[host.id]?.site === site.id);
    const ids = new Set(hosts.map((host) => host.id));
    const members = configuration.vms.filter((vm) => vm.host !== undefined && ids.has(vm.host));
    if (members.length === 0) continue;
    const local: Configuration = {
      hosts,
      vms: members.map((vm, id): VmDemand => ({ ...vm, id })),
    };
    const { keep, keepsMoves, ...rest } = view;
    // A site's target in the whole configuration: the other sites' VMs where they are.
    const whole = (localTarget: Assignment) => {
      const all = configuration.vms.map((vm) => vm.host);
      members.forEach((vm, id) => {
        all[vm.id] = localTarget[id];
      });
      return all;
    };
    const decision = policy.decide({
      ...rest,
      configuration: local,
      suspended: new Set(),
      vjobs: [],
      // The constraints judge a site's target with the other sites' VMs where they are.
      ...(keep === undefined
        ? {}
        : {
            keep: (localTarget: Assignment) => {
              const kept = keep(whole(localTarget));
              return members.map((vm) => kept[vm.id]);
            },
          }),
      ...(keepsMoves === undefined
        ? {}
        : {
            keepsMoves: (localTarget: Assignment, moved: readonly number[]) =>
              keepsMoves(
                whole(localTarget),
                moved.map((id) => members[id]?.id ?? -1),
              ),
          }),
    });
    members.forEach((vm, id) => {
      target[vm.id] = decision.target[id];
    });
    computeTime = Math.max(computeTime, decision.computeTime);
    nodes += decision.work?.nodes ?? 0;
    proven &&= decision.work?.provenOptimal === true;
    lowerBound += decision.work?.lowerBound ?? 0;
  }
  return { target, computeTime, work: { nodes, provenOptimal: proven, lowerBound } };
}
