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

/** Every site's load, indexed by site id, from one pass over the hosts and one over the VMs. */
export function siteLoads(view: CloudView): SiteLoad[] {
  const { platform } = view;
  const up = platform.hosts.map((host) => view.isHostUp(host.id));
  const upHosts = platform.sites.map(() => 0);
  const cores = platform.sites.map(() => 0);
  const freeMemory = platform.sites.map(() => 0);
  const demand = platform.sites.map(() => 0);
  for (const host of platform.hosts) {
    if (up[host.id] !== true) continue;
    upHosts[host.site] = (upHosts[host.site] ?? 0) + 1;
    cores[host.site] = (cores[host.site] ?? 0) + host.cores;
    freeMemory[host.site] = (freeMemory[host.site] ?? 0) + view.freeMemory(host.id);
  }
  for (const vm of view.liveVms()) {
    const host = vm.consumer === undefined ? undefined : platform.hosts[vm.consumer.host];
    if (host === undefined || up[host.id] !== true) continue;
    demand[host.site] = (demand[host.site] ?? 0) + view.load(vm);
  }
  return platform.sites.map(({ id: site }) => {
    const siteCores = cores[site] ?? 0;
    const siteDemand = demand[site] ?? 0;
    return {
      site,
      upHosts: upHosts[site] ?? 0,
      cores: siteCores,
      demand: siteDemand,
      freeMemory: freeMemory[site] ?? 0,
      freeCores: siteCores - siteDemand,
      load: siteCores === 0 ? Infinity : siteDemand / siteCores,
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
