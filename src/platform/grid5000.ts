import type { BackboneLink } from "./backbone.js";
import type { HostSpec, PlatformSpec } from "./build.js";
import catalog from "./presets/grid5000-2011.json" with { type: "json" };

/*
 * Grid'5000 as of 2011, from the team's copy of the public reference repository
 * (presets/grid5000-2011.json, copied from shared/data/grid5000/; its "about" field gives the
 * sources). Where the catalog is silent, these are our assumptions, each overridable:
 *
 * - speed: the catalog's per-host Gflop/s (SimGrid's g5k.xml) divided by the cores. Two clusters
 *   have none: stremi has parapluie's CPU (2x Opteron 6164HE), so parapluie's 27.39; granduc
 *   (2x Xeon L5335 2.0 GHz) is paradent's 21.50 (2x Xeon L5420 2.5 GHz) scaled by the clock,
 *   21.50 x 2.0 / 2.5 = 17.2.
 * - disks: 100 MB/s (a 2010 SATA disk's sequential rate); the catalog gives only sizes.
 * - NICs: 1 Gb/s (the catalog), 25 us latency, so 50 us one way inside a site.
 * - uplinks: one 10 Gb/s RENATER lambda per site, no latency of its own.
 * - backbone: the router graph of backbone_2010, all 10 Gb/s; luxembourg and reims, absent from
 *   it, hang off nancy and paris. Edge latencies are fitted to the catalog's one-way estimates
 *   (rtt_ms_estimates / 2): rennes-lille 3.85 = rp + pl, rennes-nancy 4.45 = rp + pn, lille-nancy
 *   3.65 = pl + pn give rennes-paris 2.325, lille-paris 1.525, paris-nancy 2.125 ms; rennes-lyon
 *   5.25 gives paris-lyon 2.925; lyon-grenoble 0.7; lyon-bordeaux 3.25; lyon-sophia 3.15 and
 *   lyon-toulouse 4.5 go through marseille, split by road distance (Lyon-Marseille 315 km,
 *   Marseille-Nice 200 km): lyon-marseille 1.93, marseille-sophia 1.22, marseille-toulouse 2.57.
 *   The others from distance x 1.5 / 200 km per ms: orsay-paris (25 km) 0.19, nancy-luxembourg
 *   (120 km) 0.9, paris-reims (145 km) 1.1. Every estimate of the catalog is then met within
 *   0.05 ms (test/grid5000.test.ts).
 */
const MS = 1e-3;
const BACKBONE_LATENCY_MS: Record<string, number> = {
  "lille-paris": 1.525,
  "paris-nancy": 2.125,
  "paris-rennes": 2.325,
  "paris-lyon": 2.925,
  "bordeaux-lyon": 3.25,
  "lyon-grenoble": 0.7,
  "lyon-marseille": 1.93,
  "marseille-sophia": 1.22,
  "marseille-toulouse": 2.57,
  "orsay-paris": 0.19,
};
const EXTRA_EDGES: [string, string, number][] = [
  ["nancy", "luxembourg", 0.9],
  ["paris", "reims", 1.1],
];
const MISSING_SPEED_GFLOPS: Record<string, number> = { stremi: 27.39, granduc: 17.2 };

export const GRID5000_ASSUMPTIONS = {
  diskBandwidth: 100e6,
  nicLatency: 25e-6,
  uplinkBandwidth: 1.25e9,
  uplinkLatency: 0,
  backboneBandwidth: (catalog.backbone_2010.links_gbps * 1e9) / 8,
};

export interface Grid5000Options {
  /** Keep only these sites (default: all 11). */
  readonly sites?: readonly string[] | undefined;
  /** Keep only these clusters (default: all of the kept sites). */
  readonly clusters?: readonly string[] | undefined;
  /** Multiply every cluster's node count (rounded, at least 1). */
  readonly scale?: number | undefined;
}

/** The names of the catalog's sites and clusters, for messages and `skysim platform list`. */
export function grid5000Catalog(): { site: string; clusters: string[] }[] {
  return catalog.sites.map((s) => ({ site: s.site, clusters: s.clusters.map((c) => c.cluster) }));
}

/** Throws a RangeError naming what the catalog lacks (a site, a cluster) or a bad scale. */
export function checkGrid5000Options(options: Grid5000Options): void {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale < Infinity)) throw new RangeError(`scale must be > 0, got ${scale}`);
  const known = grid5000Catalog();
  for (const site of options.sites ?? []) {
    if (!known.some((k) => k.site === site)) {
      throw new RangeError(
        `no site ${site} in grid5000-2011 (${known.map((k) => k.site).join(", ")})`,
      );
    }
  }
  for (const cluster of options.clusters ?? []) {
    if (!known.some((k) => k.clusters.includes(cluster))) {
      throw new RangeError(`no cluster ${cluster} in grid5000-2011`);
    }
  }
}

/** The catalog's clusters the options keep, with their node counts once scaled. */
function keptClusters(options: Grid5000Options) {
  const scale = options.scale ?? 1;
  return catalog.sites
    .filter((s) => options.sites === undefined || options.sites.includes(s.site))
    .map((s) => ({
      site: s,
      clusters: s.clusters
        .filter((c) => options.clusters === undefined || options.clusters.includes(c.cluster))
        .map((c) => ({ cluster: c, count: Math.max(1, Math.round(c.nodes * scale)) })),
    }));
}

/** How many hosts grid5000Platform(options) makes, without making them. */
export function grid5000HostCount(options: Grid5000Options): number {
  return keptClusters(options).reduce(
    (sum, s) => sum + s.clusters.reduce((n, c) => n + c.count, 0),
    0,
  );
}

export function grid5000Platform(options: Grid5000Options = {}): PlatformSpec {
  checkGrid5000Options(options);
  const scale = options.scale ?? 1;
  const sites = keptClusters(options)
    .map(({ site: s, clusters }) => ({
      name: s.site,
      uplink: {
        bandwidth: GRID5000_ASSUMPTIONS.uplinkBandwidth,
        latency: GRID5000_ASSUMPTIONS.uplinkLatency,
      },
      clusters: clusters
        .map(({ cluster: c, count }) => {
          const perHost = c.speed_gflops_per_host ?? MISSING_SPEED_GFLOPS[c.cluster] ?? Number.NaN;
          const hosts: HostSpec[] = Array.from({ length: count }, (_, i) => ({
            name: `${c.cluster}-${i + 1}.${s.site}`,
            cores: c.cores,
            speed: (perHost * 1e9) / c.cores,
            memory: c.ram_gib * 2 ** 30,
            diskBandwidth: GRID5000_ASSUMPTIONS.diskBandwidth,
            nic: { bandwidth: (c.nic_gbps * 1e9) / 8, latency: GRID5000_ASSUMPTIONS.nicLatency },
          }));
          return { name: c.cluster, hosts };
        })
        .filter((c) => c.hosts.length > 0),
    }))
    .filter((s) => s.clusters.length > 0);
  const links: BackboneLink[] = [
    ...catalog.backbone_2010.edges.map(([from = "", to = ""]) => ({ from, to })),
    ...EXTRA_EDGES.map(([from, to]) => ({ from, to })),
  ].map(({ from, to }) => {
    const key = `${from}-${to}`;
    const extra = EXTRA_EDGES.find(([a, b]) => a === from && b === to);
    const latencyMs = BACKBONE_LATENCY_MS[key] ?? extra?.[2] ?? Number.NaN;
    return {
      name: `${from}-${to}`,
      from,
      to,
      bandwidth: GRID5000_ASSUMPTIONS.backboneBandwidth,
      latency: latencyMs * MS,
    };
  });
  const suffix = scale === 1 ? "" : ` x${scale}`;
  return { name: `grid5000-2011${suffix}`, sites, backbone: { type: "graph", links } };
}
