import type { LinkSpec } from "../network/network.js";
import { type BackboneSpec, buildBackbone } from "./backbone.js";
import type { Cluster, Host, Platform, Site } from "./platform.js";

export interface HostSpec {
  readonly name: string;
  readonly cores: number;
  /** flop/s per core */
  readonly speed: number;
  readonly memory: number;
  readonly diskBandwidth: number;
  /** The NIC link to the site switch; its name defaults to "<host>-nic". */
  readonly nic: { readonly bandwidth: number; readonly latency: number; readonly name?: string };
}

export interface PlatformSpec {
  readonly name: string;
  readonly sites: readonly {
    readonly name: string;
    /** The site switch's link to the backbone; its name defaults to "<site>-up". */
    readonly uplink: {
      readonly bandwidth: number;
      readonly latency: number;
      readonly name?: string;
    };
    readonly clusters: readonly { readonly name: string; readonly hosts: readonly HostSpec[] }[];
  }[];
  readonly backbone: BackboneSpec;
}

/**
 * Lays out a platform: link indices go site by site (each host's NIC, then the site's uplink),
 * then the backbone's links; host ids follow the spec's order.
 */
export function buildPlatform(spec: PlatformSpec): Platform {
  const links: LinkSpec[] = [];
  const hosts: Host[] = [];
  const sites: Site[] = [];
  const names = new Set<string>();
  const unique = (kind: string, name: string): string => {
    if (names.has(`${kind}:${name}`))
      throw new RangeError(`platform ${spec.name}: two ${kind}s named ${name}`);
    names.add(`${kind}:${name}`);
    return name;
  };
  spec.sites.forEach((siteSpec, siteId) => {
    unique("site", siteSpec.name);
    const clusters: Cluster[] = siteSpec.clusters.map((clusterSpec) => {
      const ids = clusterSpec.hosts.map((hostSpec) => {
        const link = links.length;
        links.push({
          name: unique("link", hostSpec.nic.name ?? `${hostSpec.name}-nic`),
          bandwidth: hostSpec.nic.bandwidth,
          latency: hostSpec.nic.latency,
        });
        const host: Host = {
          id: hosts.length,
          name: unique("host", hostSpec.name),
          site: siteId,
          cluster: clusterSpec.name,
          cores: hostSpec.cores,
          speed: hostSpec.speed,
          memory: hostSpec.memory,
          diskBandwidth: hostSpec.diskBandwidth,
          link,
        };
        hosts.push(host);
        return host.id;
      });
      return { name: clusterSpec.name, site: siteId, hosts: ids };
    });
    const uplink = links.length;
    links.push({
      name: unique("link", siteSpec.uplink.name ?? `${siteSpec.name}-up`),
      bandwidth: siteSpec.uplink.bandwidth,
      latency: siteSpec.uplink.latency,
    });
    sites.push({ id: siteId, name: siteSpec.name, clusters, uplink });
  });
  const backbone = buildBackbone(
    spec.backbone,
    sites.map((site) => site.name),
  );
  const offset = links.length;
  for (const link of backbone.links) {
    links.push({
      name: unique("link", link.name),
      bandwidth: link.bandwidth,
      latency: link.latency,
    });
  }
  return {
    name: spec.name,
    sites,
    hosts,
    links,
    backboneRoute: (a, b) => backbone.route(a, b).map((link) => link + offset),
  };
}
