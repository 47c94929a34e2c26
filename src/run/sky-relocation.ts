import type { Cloud } from "../compute/cloud.js";
import { siteLoads } from "../policies/sky/site-load.js";
import type { SkyPolicy } from "../policies/sky/sky-policy.js";
import type { VjobRecord } from "../workload/vjob-record.js";
import type { VjobRunner } from "../workload/vjob-runner.js";

/**
 * Flies vjobs away from overloaded clouds: every `period` each site's CPU demand per core of its
 * up hosts is compared with the sky policy's threshold; a site above it for `after` seconds moves
 * its running vjobs, the most demanding first (then by name), each to the site the policy picks
 * (never the one it leaves), until its demand is back under the threshold. A target must stay
 * under the threshold with the vjob added. The site's clock then starts again, so that the moves
 * take effect before more are decided.
 */
export function installSkyRelocation(
  cloud: Cloud,
  runner: VjobRunner,
  sky: SkyPolicy,
  period: number,
  /**
   * Vjobs that must not be live-migrated to another site (root, or a continuous gather or among):
   * they fly only by snapshot.
   */
  rooted: (vjob: string) => boolean = () => false,
): void {
  const relocation = sky.relocation;
  if (relocation === undefined) return;
  const overloadedSince = new Map<number, number>();
  const check = (): void => {
    const now = cloud.sim.now;
    const loads = siteLoads(cloud);
    const demand = loads.map((site) => site.demand);
    for (const site of loads) {
      if (!(site.load > relocation.overload) || site.cores === 0) {
        overloadedSince.delete(site.site);
        continue;
      }
      const since = overloadedSince.get(site.site) ?? now;
      overloadedSince.set(site.site, since);
      if (now - since < relocation.after) continue;
      overloadedSince.set(site.site, now);
      for (const { record, cores } of runningOn(cloud, runner, site.site)) {
        if ((demand[site.site] ?? 0) <= relocation.overload * site.cores) break;
        const target = sky.siteFor(cloud, {
          vms: record.spec.vms,
          homeSite: record.spec.homeSite,
          from: site.site,
          avoid: site.site,
        });
        const to = target === undefined ? undefined : loads[target];
        if (to === undefined || to.cores === 0) continue;
        if ((demand[to.site] ?? 0) + cores > relocation.overload * to.cores) continue;
        if (relocation.move === "live-migration" && rooted(record.spec.name)) continue;
        if (!runner.fly(record, to.site, relocation.move)) continue;
        demand[site.site] = (demand[site.site] ?? 0) - cores;
        demand[to.site] = (demand[to.site] ?? 0) + cores;
      }
    }
    cloud.sim.schedule(period, check);
  };
  cloud.sim.schedule(period, check);
}

/** The running vjobs whose VMs all run on the site, most demanding first, then by name. */
function runningOn(
  cloud: Cloud,
  runner: VjobRunner,
  site: number,
): { record: VjobRecord; cores: number }[] {
  const onSite = (host: number | undefined): boolean =>
    host !== undefined && cloud.platform.hosts[host]?.site === site;
  return runner
    .pending()
    .filter((r) => r.state === "running" && r.vms.every((vm) => onSite(vm.consumer?.host)))
    .map((record) => ({
      record,
      cores: record.vms.reduce((sum, vm) => sum + cloud.load(vm), 0),
    }))
    .sort(
      (a, b) =>
        b.cores - a.cores ||
        (a.record.spec.name < b.record.spec.name
          ? -1
          : a.record.spec.name > b.record.spec.name
            ? 1
            : 0),
    );
}
