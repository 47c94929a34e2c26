import type { Platform } from "../platform/platform.js";

/**
 * CPU demand is totalled in units of 2^-20 cores, as integers: sums of integers are exact in any
 * order, so totals kept up to date change by change equal a scan of every VM to the last bit (a
 * sum of doubles kept that way would drift from the scan's). 2^-20 cores is a millionth of a core,
 * and 1,000,000 VMs of 8 vCPUs stay below 2^53 units.
 */
export const DEMAND_UNITS = 2 ** 20;

/** A load (cores) in demand units. */
export function demandUnits(cores: number): number {
  return Math.round(cores * DEMAND_UNITS);
}

/** What a site's hosts that are on offer, summed: read per site, without a scan. */
export interface SiteTotalsView {
  upHosts(site: number): number;
  /** Cores of the hosts that are on. */
  cores(site: number): number;
  /** RAM not held by any VM on the hosts that are on, bytes. */
  freeMemory(site: number): number;
  /** Cores asked for by the VMs computing on the hosts that are on (see DEMAND_UNITS). */
  demand(site: number): number;
}

/**
 * Per-site totals of the hosts that are on, kept up to date by the cloud as hosts change (power,
 * RAM given out, the CPU demand of the VMs computing there), so that a sky policy choosing a site
 * for each vjob costs the number of sites, not of hosts and VMs (issue 18). Every count is an
 * integer (bytes, cores, demand units), so the totals are exact; `checkInvariants` and
 * test/cloud-invariants.test.ts compare them with a scan.
 */
export class SiteTotals implements SiteTotalsView {
  private readonly siteUp: Float64Array;
  private readonly siteCores: Float64Array;
  private readonly siteFree: Float64Array;
  private readonly siteDemand: Float64Array;
  private readonly hostFree: Float64Array;
  private readonly hostDemand: Float64Array;

  constructor(
    private readonly platform: Platform,
    /** Whether the host is on now (the power model's answer: no copy kept here). */
    private readonly isOn: (host: number) => boolean,
  ) {
    const sites = platform.sites.length;
    const hosts = platform.hosts.length;
    this.siteUp = new Float64Array(sites);
    this.siteCores = new Float64Array(sites);
    this.siteFree = new Float64Array(sites);
    this.siteDemand = new Float64Array(sites);
    this.hostFree = Float64Array.from(platform.hosts, (host) => host.memory);
    this.hostDemand = new Float64Array(hosts);
    // Every host starts empty; those on count from the start.
    for (const host of platform.hosts) if (isOn(host.id)) this.join(host.id, 1);
  }

  upHosts(site: number): number {
    return this.siteUp[site] ?? 0;
  }

  cores(site: number): number {
    return this.siteCores[site] ?? 0;
  }

  freeMemory(site: number): number {
    return this.siteFree[site] ?? 0;
  }

  demand(site: number): number {
    return (this.siteDemand[site] ?? 0) / DEMAND_UNITS;
  }

  /**
   * The host's power changed from `wasOn` to what `isOn` says now: when it turns on or stops being
   * on, its cores, free RAM and demand join or leave its site's.
   */
  powerChanged(host: number, wasOn: boolean): void {
    const on = this.isOn(host);
    if (on !== wasOn) this.join(host, on ? 1 : -1);
  }

  private join(host: number, sign: 1 | -1): void {
    const spec = this.platform.hosts[host];
    if (spec === undefined) return;
    const site = spec.site;
    this.siteUp[site] = (this.siteUp[site] ?? 0) + sign;
    this.siteCores[site] = (this.siteCores[site] ?? 0) + sign * spec.cores;
    this.siteFree[site] = (this.siteFree[site] ?? 0) + sign * (this.hostFree[host] ?? 0);
    this.siteDemand[site] = (this.siteDemand[site] ?? 0) + sign * (this.hostDemand[host] ?? 0);
  }

  /** The host's free RAM is now `free` bytes. */
  freeMemoryChanged(host: number, free: number): void {
    const delta = free - (this.hostFree[host] ?? 0);
    this.hostFree[host] = free;
    this.addToSite(host, this.siteFree, delta);
  }

  /** The VMs computing on the host ask for `units` more demand units (negative: fewer). */
  demandChanged(host: number, units: number): void {
    if (units === 0) return;
    this.hostDemand[host] = (this.hostDemand[host] ?? 0) + units;
    this.addToSite(host, this.siteDemand, units);
  }

  private addToSite(host: number, totals: Float64Array, delta: number): void {
    const site = this.platform.hosts[host]?.site;
    if (site === undefined || !this.isOn(host)) return;
    totals[site] = (totals[site] ?? 0) + delta;
  }
}

/**
 * The same totals from one pass over the hosts and one over the VMs: what a view without kept
 * totals gives, and the slow reference the kept ones are checked against.
 */
export function scanSiteTotals<
  V extends { readonly consumer?: { readonly host: number } | undefined },
>(source: {
  readonly platform: Platform;
  isHostUp(host: number): boolean;
  freeMemory(host: number): number;
  liveVms(): Iterable<V>;
  load(vm: V): number;
}): SiteTotalsView {
  const { platform } = source;
  const sites = platform.sites.length;
  const up = new Float64Array(sites);
  const cores = new Float64Array(sites);
  const free = new Float64Array(sites);
  const units = new Float64Array(sites);
  for (const host of platform.hosts) {
    if (!source.isHostUp(host.id)) continue;
    up[host.site] = (up[host.site] ?? 0) + 1;
    cores[host.site] = (cores[host.site] ?? 0) + host.cores;
    free[host.site] = (free[host.site] ?? 0) + source.freeMemory(host.id);
  }
  for (const vm of source.liveVms()) {
    const host = vm.consumer === undefined ? undefined : platform.hosts[vm.consumer.host];
    if (host === undefined || !source.isHostUp(host.id)) continue;
    units[host.site] = (units[host.site] ?? 0) + demandUnits(source.load(vm));
  }
  return {
    upHosts: (site) => up[site] ?? 0,
    cores: (site) => cores[site] ?? 0,
    freeMemory: (site) => free[site] ?? 0,
    demand: (site) => (units[site] ?? 0) / DEMAND_UNITS,
  };
}
