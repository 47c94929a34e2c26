import * as z from "zod";
import type { BackboneSpec } from "../platform/backbone.js";
import type { PlatformSpec } from "../platform/build.js";
import { grid5000Platform } from "../platform/grid5000.js";
import { SYNTHETIC_DEFAULTS, syntheticPlatform } from "../platform/synthetic.js";
import { bandwidth, duration, size, speed } from "./quantities.js";

const name = () => z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const link = () => z.strictObject({ bandwidth: bandwidth(), latency: duration().default(0) });
const simpleBackbone = z.strictObject({
  type: z.enum(["shared", "star", "ring", "mesh"]),
  bandwidth: bandwidth(),
  latency: duration().default(0),
});

const grid5000 = z
  .strictObject({
    type: z.literal("grid5000-2011"),
    sites: z.array(z.string()).optional().meta({ description: "keep only these sites" }),
    clusters: z.array(z.string()).optional().meta({ description: "keep only these clusters" }),
    scale: z.number().positive().default(1).meta({ description: "factor on node counts" }),
  })
  .superRefine((spec, ctx) => {
    try {
      grid5000Platform(spec);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      ctx.addIssue({
        code: "custom",
        message: `expected a site or cluster of the catalog: ${error.message}`,
        input: spec,
      });
    }
  });

const d = SYNTHETIC_DEFAULTS;
const synthetic = z.strictObject({
  type: z.literal("synthetic"),
  sites: z.int().min(1).default(d.sites),
  hostsPerSite: z.int().min(1).default(d.hostsPerSite),
  cores: z.int().min(1).default(d.cores),
  speed: speed().default(d.speed).meta({ description: "flop/s per core" }),
  memory: size().default(d.memory),
  disk: bandwidth().default(d.diskBandwidth),
  nic: link().default({ bandwidth: d.hostBandwidth, latency: d.hostLatency }),
  uplink: link().default({ bandwidth: d.siteBandwidth, latency: d.siteLatency }),
  backbone: simpleBackbone.default({
    type: d.backbone,
    bandwidth: d.backboneBandwidth,
    latency: d.backboneLatency,
  }),
});

const inline = z.strictObject({
  type: z.literal("inline"),
  name: name().default("inline"),
  sites: z
    .array(
      z.strictObject({
        name: name(),
        uplink: link(),
        clusters: z
          .array(
            z.strictObject({
              name: name(),
              hosts: z.int().min(1),
              cores: z.int().min(1),
              speed: speed().meta({ description: "flop/s per core" }),
              memory: size(),
              disk: bandwidth(),
              nic: link(),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
  backbone: z.union([
    simpleBackbone,
    z.strictObject({
      type: z.literal("graph"),
      links: z.array(
        z.strictObject({
          name: name().optional(),
          from: z.string(),
          to: z.string(),
          bandwidth: bandwidth(),
          latency: duration().default(0),
        }),
      ),
    }),
  ]),
});

/** `platform:` — a preset, a synthetic federation, or sites written out. */
export const platformSection = z.discriminatedUnion("type", [grid5000, synthetic, inline]);
export type PlatformSection = z.output<typeof platformSection>;

/** The platform a validated section describes. */
export function platformSpecOf(section: PlatformSection): PlatformSpec {
  switch (section.type) {
    case "grid5000-2011":
      return grid5000Platform(section);
    case "synthetic":
      return syntheticPlatform({
        sites: section.sites,
        hostsPerSite: section.hostsPerSite,
        cores: section.cores,
        speed: section.speed,
        memory: section.memory,
        diskBandwidth: section.disk,
        hostBandwidth: section.nic.bandwidth,
        hostLatency: section.nic.latency,
        siteBandwidth: section.uplink.bandwidth,
        siteLatency: section.uplink.latency,
        backbone: section.backbone.type,
        backboneBandwidth: section.backbone.bandwidth,
        backboneLatency: section.backbone.latency,
      });
    case "inline": {
      const backbone: BackboneSpec =
        section.backbone.type === "graph"
          ? {
              type: "graph",
              links: section.backbone.links.map((l) => ({
                ...l,
                name: l.name ?? `${l.from}-${l.to}`,
              })),
            }
          : section.backbone;
      return {
        name: section.name,
        sites: section.sites.map((site) => ({
          name: site.name,
          uplink: site.uplink,
          clusters: site.clusters.map((cluster) => ({
            name: cluster.name,
            hosts: Array.from({ length: cluster.hosts }, (_, i) => ({
              name: `${cluster.name}-${i + 1}.${site.name}`,
              cores: cluster.cores,
              speed: cluster.speed,
              memory: cluster.memory,
              diskBandwidth: cluster.disk,
              nic: cluster.nic,
            })),
          })),
        })),
        backbone,
      };
    }
  }
}
