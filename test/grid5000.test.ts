import { describe, expect, it } from "vitest";
import { buildPlatform } from "../src/platform/build.js";
import { grid5000Platform } from "../src/platform/grid5000.js";
import { route } from "../src/platform/platform.js";
import catalog from "../src/platform/presets/grid5000-2011.json" with { type: "json" };

describe("grid5000-2011 preset", () => {
  const platform = buildPlatform(grid5000Platform());

  it("holds the 11 sites and the node counts of the catalog", () => {
    expect(platform.sites.map((s) => s.name)).toEqual([
      "rennes",
      "nancy",
      "lyon",
      "grenoble",
      "lille",
      "sophia",
      "toulouse",
      "bordeaux",
      "orsay",
      "luxembourg",
      "reims",
    ]);
    // 162 + 236 + 135 + 106 + 72 + 151 + 132 + 93 + 310 + 22 + 44, summed from the catalog:
    const nodes = catalog.sites.reduce(
      (n, s) => n + s.clusters.reduce((m, c) => m + c.nodes, 0),
      0,
    );
    expect(platform.hosts.length).toBe(nodes);
    expect(nodes).toBe(1463);
  });

  it("gives per-core speeds: the catalog's speed is per host", () => {
    const paradent = platform.hosts.find((h) => h.name === "paradent-1.rennes");
    expect(paradent?.cores).toBe(8);
    expect(paradent?.speed).toBeCloseTo(21.5e9 / 8, 0); // 21.50 Gflop/s per host, 8 cores
    expect(paradent?.memory).toBe(32 * 2 ** 30);
    const granduc = platform.hosts.find((h) => h.cluster === "granduc");
    expect(granduc?.speed).toBeCloseTo((21.5e9 * (2.0 / 2.5)) / 8, 0); // estimated from paradent
  });

  it("meets every one-way latency estimate of the catalog within 0.05 ms", () => {
    const first = (site: string): number =>
      platform.hosts.findIndex((h) => platform.sites[h.site]?.name === site);
    for (const [from, targets] of Object.entries(catalog.rtt_ms_estimates)) {
      for (const [to, rtt] of Object.entries(targets)) {
        const path = route(platform, first(from), first(to));
        const oneWay = path.reduce((sum, link) => sum + (platform.links[link]?.latency ?? NaN), 0);
        // The two NICs add 2 x 25 us to the backbone's latency.
        expect(Math.abs(oneWay - 2 * 25e-6 - (rtt / 2) * 1e-3)).toBeLessThanOrEqual(
          0.05e-3 + 1e-12,
        );
      }
    }
  });

  it("routes across sites through NIC, uplink, backbone, uplink, NIC", () => {
    const a = platform.hosts.findIndex((h) => h.name === "paradent-1.rennes");
    const b = platform.hosts.findIndex((h) => h.name === "sagittaire-1.lyon");
    const names = route(platform, a, b).map((link) => platform.links[link]?.name);
    expect(names).toEqual([
      "paradent-1.rennes-nic",
      "rennes-up",
      "paris-rennes",
      "paris-lyon",
      "lyon-up",
      "sagittaire-1.lyon-nic",
    ]);
  });

  it("selects sites and clusters and scales node counts", () => {
    const small = buildPlatform(
      grid5000Platform({
        sites: ["rennes", "lyon"],
        clusters: ["paradent", "sagittaire"],
        scale: 0.25,
      }),
    );
    expect(small.sites.map((s) => s.name)).toEqual(["rennes", "lyon"]);
    // round(64 x 0.25) = 16 paradent nodes, round(79 x 0.25) = 20 sagittaire nodes.
    expect(small.hosts.length).toBe(16 + 20);
    expect(() => grid5000Platform({ sites: ["paris"] })).toThrow(/no site paris/);
  });
});
