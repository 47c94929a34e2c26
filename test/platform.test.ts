import { describe, expect, it } from "vitest";
import { buildPlatform } from "../src/platform/build.js";
import { route } from "../src/platform/platform.js";
import { syntheticPlatform } from "../src/platform/synthetic.js";

const names = (
  kind: "shared" | "star" | "ring" | "mesh",
  sites: number,
  from: number,
  to: number,
) => {
  const platform = buildPlatform(syntheticPlatform({ sites, hostsPerSite: 2, backbone: kind }));
  return route(platform, from, to).map((link) => platform.links[link]?.name);
};

describe("synthetic platforms and routes", () => {
  it("lays out sites of hosts with SimGrid's sgpeer names", () => {
    const platform = buildPlatform(syntheticPlatform({ sites: 3, hostsPerSite: 4 }));
    expect(platform.hosts.length).toBe(3 * 4);
    expect(platform.hosts[5]?.name).toBe("s1h1"); // site-major: 5 = 1 x 4 + 1
    // 12 NICs + 3 uplinks + 1 shared backbone link
    expect(platform.links.length).toBe(12 + 3 + 1);
  });

  it("routes within a site NIC to NIC, and a host to itself through its NIC", () => {
    expect(names("shared", 2, 0, 1)).toEqual(["site0_link_0", "site0_link_1"]);
    expect(names("shared", 2, 0, 0)).toEqual(["site0_link_0"]);
  });

  it("crosses each kind of backbone", () => {
    // host 0 is s0h0; host 4 is s2h0 (2 hosts per site).
    expect(names("shared", 3, 0, 4)).toEqual([
      "site0_link_0",
      "site0-up",
      "backbone",
      "site2-up",
      "site2_link_0",
    ]);
    expect(names("star", 3, 0, 4)).toEqual([
      "site0_link_0",
      "site0-up",
      "s0-core",
      "s2-core",
      "site2-up",
      "site2_link_0",
    ]);
    expect(names("mesh", 3, 0, 4)).toEqual([
      "site0_link_0",
      "site0-up",
      "s0-s2",
      "site2-up",
      "site2_link_0",
    ]);
    // Ring of 3: s0 and s2 are neighbours through the closing link s2-s0.
    expect(names("ring", 3, 0, 4)).toEqual([
      "site0_link_0",
      "site0-up",
      "s2-s0",
      "site2-up",
      "site2_link_0",
    ]);
  });

  it("breaks ties in a ring by latency, then by link names", () => {
    // Ring of 4, equal latencies: s0 to s2 is 2 hops either way (s0-s1, s1-s2 or s3-s0, s2-s3);
    // the name sequence ["s0-s1", "s1-s2"] sorts first.
    const platform = buildPlatform(
      syntheticPlatform({ sites: 4, hostsPerSite: 1, backbone: "ring" }),
    );
    const path = route(platform, 0, 2).map((link) => platform.links[link]?.name);
    expect(path).toEqual([
      "site0_link_0",
      "site0-up",
      "s0-s1",
      "s1-s2",
      "site2-up",
      "site2_link_0",
    ]);
    // Same in the other direction, and the same on every call.
    expect(route(platform, 2, 0).map((link) => platform.links[link]?.name)).toEqual([
      "site2_link_0",
      "site2-up",
      "s1-s2",
      "s0-s1",
      "site0-up",
      "site0_link_0",
    ]);
  });

  it("rejects duplicate names", () => {
    const spec = syntheticPlatform({ sites: 1, hostsPerSite: 1 });
    const site = spec.sites[0];
    if (site === undefined) throw new Error("no site");
    expect(() => buildPlatform({ ...spec, sites: [site, site] })).toThrow(/two sites named s0/);
  });
});
