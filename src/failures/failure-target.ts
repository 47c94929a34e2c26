import type { Platform } from "../platform/platform.js";

/** What fails together: a host, a whole cluster (correlated), a site (outage), or a link. */
export type FailureTarget =
  | { readonly kind: "host"; readonly name: string; readonly hosts: readonly number[] }
  | { readonly kind: "cluster"; readonly name: string; readonly hosts: readonly number[] }
  | {
      readonly kind: "site";
      readonly name: string;
      readonly hosts: readonly number[];
      /** The site's uplink to the backbone. */
      readonly links: readonly number[];
    }
  | { readonly kind: "link"; readonly name: string; readonly links: readonly number[] };

export type TargetKind = FailureTarget["kind"];

/** Every target of a kind in the platform, in platform order (hosts by id, links by index). */
export function targetsOf(platform: Platform, kind: TargetKind): FailureTarget[] {
  switch (kind) {
    case "host":
      return platform.hosts.map((host) => ({ kind, name: host.name, hosts: [host.id] }));
    case "cluster":
      return platform.sites.flatMap((site) =>
        site.clusters.map((cluster) => ({ kind, name: cluster.name, hosts: cluster.hosts })),
      );
    case "site":
      return platform.sites.map((site) => ({
        kind,
        name: site.name,
        hosts: site.clusters.flatMap((cluster) => cluster.hosts),
        links: [site.uplink],
      }));
    case "link":
      return platform.links.map((link, index) => ({ kind, name: link.name, links: [index] }));
  }
}
