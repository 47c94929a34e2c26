import type { CloudView } from "../cloud-view.js";
import type { Platform } from "../../platform/platform.js";

/**
 * Which host keeps the snapshots of a vjob running on a site: that site's store (`local`), or
 * the nearest store up on another site by backbone latency, ties to the lower site id (`remote`).
 * A site's store is the named host of that site, or its first host. Without a store up the
 * snapshot is skipped.
 */
export function snapshotStores(
  names: readonly string[] | undefined,
  where: "local" | "remote",
): (view: CloudView, site: number) => number | undefined {
  let stores: (number | undefined)[] | undefined;
  return (view, site) => {
    stores ??= storesOf(view.platform, names);
    const up = stores.map((store) =>
      store !== undefined && view.isHostUp(store) ? store : undefined,
    );
    const target = where === "local" ? site : nearestOther(view.platform, site, up);
    return target === undefined ? undefined : up[target];
  };
}

/** Each site's store: the host named on it, or its first host without names. */
export function storesOf(
  platform: Platform,
  names: readonly string[] | undefined,
): (number | undefined)[] {
  if (names === undefined) {
    return platform.sites.map((site) => site.clusters[0]?.hosts[0]);
  }
  const stores = new Array<number | undefined>(platform.sites.length).fill(undefined);
  for (const name of names) {
    const host = platform.hosts.find((h) => h.name === name);
    if (host === undefined) throw new RangeError(`no host named ${name} for a snapshot store`);
    stores[host.site] = host.id;
  }
  return stores;
}

function nearestOther(
  platform: Platform,
  site: number,
  stores: readonly (number | undefined)[],
): number | undefined {
  let best: number | undefined;
  let bestLatency = Infinity;
  for (const other of platform.sites) {
    if (other.id === site || stores[other.id] === undefined) continue;
    const latency = platform
      .backboneRoute(site, other.id)
      .reduce((sum, link) => sum + (platform.links[link]?.latency ?? 0), 0);
    if (latency < bestLatency) {
      best = other.id;
      bestLatency = latency;
    }
  }
  return best;
}
