import { scanSiteTotals } from "../../compute/site-totals.js";
import type { Platform } from "../../platform/platform.js";
import type { CloudView } from "../cloud-view.js";
import type { SkyRequest } from "./sky-policy.js";

/** What a site offers now, counting only its up hosts. */
export interface SiteLoad {
  readonly site: number;
  readonly upHosts: number;
  /** Cores of the up hosts. */
  readonly cores: number;
  /** Cores asked for by the loads of the VMs computing on the up hosts. */
  readonly demand: number;
  /** RAM not held by any VM on the up hosts, bytes. */
  readonly freeMemory: number;
  /** cores - demand: negative when the site is overloaded. */
  readonly freeCores: number;
  /** demand / cores; Infinity when no host is up. */
  readonly load: number;
}

/**
 * Every site's load, indexed by site id: from the totals the cloud keeps (a read per site), or
 * from a scan of the hosts and VMs for a view without them. CPU demand is summed in units of
 * 2^-20 cores (DEMAND_UNITS), so both give the same numbers to the last bit.
 */
export function siteLoads(view: CloudView): SiteLoad[] {
  const totals = view.siteTotals ?? scanSiteTotals(view);
  return view.platform.sites.map(({ id: site }) => {
    const cores = totals.cores(site);
    const demand = totals.demand(site);
    return {
      site,
      upHosts: totals.upHosts(site),
      cores,
      demand,
      freeMemory: totals.freeMemory(site),
      freeCores: cores - demand,
      load: cores === 0 ? Infinity : demand / cores,
    };
  });
}

/** Seconds of latency on the backbone route between two sites (0 within a site). */
export function siteLatency(platform: Platform, a: number, b: number): number {
  return platform
    .backboneRoute(a, b)
    .reduce((sum, link) => sum + (platform.links[link]?.latency ?? 0), 0);
}

/**
 * The sites a request may go to (some host up, not the one avoided), the home site first and then
 * in id order: the rules scan them in this order and keep the first of equals.
 */
export function candidateSites(loads: readonly SiteLoad[], request: SkyRequest): SiteLoad[] {
  const home = (s: SiteLoad) => (s.site === request.homeSite ? 0 : 1);
  return loads
    .filter((s) => s.upHosts > 0 && s.site !== request.avoid)
    .sort((a, b) => home(a) - home(b) || a.site - b.site);
}

/** The RAM (bytes) and vCPUs a vjob's VMs are sized for, together. */
export function vjobSize(request: SkyRequest): { memory: number; vcpus: number } {
  return request.vms.reduce(
    (sum, vm) => ({ memory: sum.memory + vm.memory, vcpus: sum.vcpus + vm.vcpus }),
    { memory: 0, vcpus: 0 },
  );
}

/** The best site by `better`; among equals, the earliest (the scan order breaks ties). */
export function firstBest(
  sites: readonly SiteLoad[],
  better: (a: SiteLoad, b: SiteLoad) => boolean,
): SiteLoad | undefined {
  const [first, ...others] = sites;
  return first && others.reduce((best, s) => (better(s, best) ? s : best), first);
}
