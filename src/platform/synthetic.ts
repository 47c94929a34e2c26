import type { BackboneSpec } from "./backbone.js";
import type { PlatformSpec } from "./build.js";

export interface SyntheticOptions {
  readonly sites: number;
  readonly hostsPerSite: number;
  readonly cores: number;
  /** flop/s per core */
  readonly speed: number;
  readonly memory: number;
  readonly diskBandwidth: number;
  readonly hostBandwidth: number;
  readonly hostLatency: number;
  readonly siteBandwidth: number;
  readonly siteLatency: number;
  readonly backbone: BackboneSpec["type"] & ("shared" | "star" | "ring" | "mesh");
  readonly backboneBandwidth: number;
  readonly backboneLatency: number;
}

/** SimGrid's sgpeer defaults: 1.25e9 B/s (10 Gb/s) links, no latency, 1 Gf cores. */
export const SYNTHETIC_DEFAULTS: SyntheticOptions = {
  sites: 2,
  hostsPerSite: 2,
  cores: 1,
  speed: 1e9,
  memory: 16 * 2 ** 30,
  diskBandwidth: 100e6,
  hostBandwidth: 1.25e9,
  hostLatency: 0,
  siteBandwidth: 1.25e9,
  siteLatency: 0,
  backbone: "shared",
  backboneBandwidth: 1.25e9,
  backboneLatency: 0,
};

/**
 * A federation of identical sites for scale studies. Names follow SimGrid's sgpeer (hosts
 * s<site>h<host>, NIC links site<s>_link_<h>, uplinks site<s>-up, one cluster c<s> per site), so
 * that the same platform can be built on both sides of a cross-check.
 */
export function syntheticPlatform(partial: Partial<SyntheticOptions> = {}): PlatformSpec {
  const o = { ...SYNTHETIC_DEFAULTS, ...partial };
  const backbone: BackboneSpec = {
    type: o.backbone,
    bandwidth: o.backboneBandwidth,
    latency: o.backboneLatency,
  };
  return {
    name: `synthetic-${o.sites}x${o.hostsPerSite}-${o.backbone}`,
    sites: Array.from({ length: o.sites }, (_, s) => ({
      name: `s${s}`,
      uplink: { name: `site${s}-up`, bandwidth: o.siteBandwidth, latency: o.siteLatency },
      clusters: [
        {
          name: `c${s}`,
          hosts: Array.from({ length: o.hostsPerSite }, (_, h) => ({
            name: `s${s}h${h}`,
            cores: o.cores,
            speed: o.speed,
            memory: o.memory,
            diskBandwidth: o.diskBandwidth,
            nic: { name: `site${s}_link_${h}`, bandwidth: o.hostBandwidth, latency: o.hostLatency },
          })),
        },
      ],
    })),
    backbone,
  };
}
