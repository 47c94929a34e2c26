import type { LinkSpec } from "../network/network.js";

/** A physical machine. Speeds are per core; the Grid'5000 catalog's per-host speed is divided. */
export interface Host {
  readonly id: number;
  readonly name: string;
  readonly site: number;
  readonly cluster: string;
  readonly cores: number;
  /** flop/s of one core */
  readonly speed: number;
  /** bytes */
  readonly memory: number;
  /** bytes/s of the local disk, shared by its reads and writes */
  readonly diskBandwidth: number;
  /** The host's NIC link to its site switch. */
  readonly link: number;
}

export interface Cluster {
  readonly name: string;
  readonly site: number;
  /** Host ids, in name order. */
  readonly hosts: readonly number[];
}

export interface Site {
  readonly id: number;
  readonly name: string;
  readonly clusters: readonly Cluster[];
  /** The site switch's link to the backbone. */
  readonly uplink: number;
}

/**
 * Sites of clusters of hosts, and the links between them: each host's NIC to its site switch, each
 * site's uplink, and the backbone. Routes are lists of link indices into `links`.
 */
export interface Platform {
  readonly name: string;
  readonly sites: readonly Site[];
  readonly hosts: readonly Host[];
  readonly links: readonly LinkSpec[];
  /** Backbone links between sites a and b, in route order; [] for a = b. */
  readonly backboneRoute: (a: number, b: number) => readonly number[];
}

/**
 * The route between two hosts: within a site, NIC to NIC through the site switch; across sites,
 * NIC, site uplink, backbone path, uplink, NIC. A host to itself crosses its NIC once.
 */
export function route(platform: Platform, from: number, to: number): number[] {
  const a = platform.hosts[from];
  const b = platform.hosts[to];
  if (a === undefined || b === undefined) throw new RangeError(`route: no host ${from} or ${to}`);
  if (from === to) return [a.link];
  if (a.site === b.site) return [a.link, b.link];
  const siteA = platform.sites[a.site] as Site;
  const siteB = platform.sites[b.site] as Site;
  return [a.link, siteA.uplink, ...platform.backboneRoute(a.site, b.site), siteB.uplink, b.link];
}

/** Host ids of each site, in id order (computed once per platform). */
const hostsBySite = new WeakMap<Platform, readonly (readonly number[])[]>();

export function siteHosts(platform: Platform): readonly (readonly number[])[] {
  let bySite = hostsBySite.get(platform);
  if (bySite === undefined) {
    const lists: number[][] = platform.sites.map(() => []);
    for (const host of platform.hosts) lists[host.site]?.push(host.id);
    bySite = lists;
    hostsBySite.set(platform, bySite);
  }
  return bySite;
}
