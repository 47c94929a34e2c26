import * as z from "zod";
import type { BackboneSpec } from "../platform/backbone.js";
import type { PlatformSpec } from "../platform/build.js";
import { checkGrid5000Options, grid5000Platform } from "../platform/grid5000.js";
import { SYNTHETIC_DEFAULTS, syntheticPlatform } from "../platform/synthetic.js";
import { bandwidth, duration, size, speed } from "./quantities.js";
import { LIMITS } from "./limits.js";
import { distinctItems } from "./distinct.js";

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
    sites: z
      .array(z.string())
      .superRefine(distinctItems("a site", String))
      .optional()
      .meta({ description: "keep only these sites" }),
    clusters: z
      .array(z.string())
      .superRefine(distinctItems("a cluster", String))
      .optional()
      .meta({ description: "keep only these clusters" }),
    scale: z
      .number()
      .positive()
      .max(LIMITS.grid5000Scale)
      .default(1)
      .meta({ description: "factor on node counts" }),
  })
  .superRefine((spec, ctx) => {
    try {
      checkGrid5000Options(spec);
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
  sites: z.int().min(1).max(LIMITS.sites).default(d.sites),
  hostsPerSite: z.int().min(1).max(LIMITS.hostsPerCluster).default(d.hostsPerSite),
  cores: z.int().min(1).max(LIMITS.cores).default(d.cores),
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

const inline = z
  .strictObject({
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
                hosts: z.int().min(1).max(LIMITS.hostsPerCluster),
                cores: z.int().min(1).max(LIMITS.cores),
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
    backbone: z.discriminatedUnion("type", [
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
  })
  .superRefine((spec, ctx) => {
    for (const problem of inlineNameProblems(spec)) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message, input: spec });
    }
  });

interface InlineNames {
  readonly sites: readonly {
    readonly name: string;
    readonly clusters: readonly { readonly name: string }[];
  }[];
  readonly backbone:
    | {
        readonly type: "graph";
        readonly links: readonly {
          readonly name?: string | undefined;
          readonly from: string;
          readonly to: string;
        }[];
      }
    | { readonly type: string };
}

/**
 * What makes an inline platform ambiguous or disconnected: two sites (or two clusters of a site,
 * whose hosts would share names, or two backbone links) with one name, and sites that a graph
 * backbone does not join.
 */
function inlineNameProblems(spec: InlineNames): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const firstOf = new Map<string, number>();
  spec.sites.forEach((site, i) => {
    const first = firstOf.get(site.name);
    if (first !== undefined) {
      problems.push({
        path: ["sites", i, "name"],
        message: `expected a name no other site has, got ${JSON.stringify(site.name)} (also sites[${first}])`,
      });
    } else firstOf.set(site.name, i);
    const clusters = new Map<string, number>();
    site.clusters.forEach((cluster, j) => {
      const same = clusters.get(cluster.name);
      if (same !== undefined) {
        problems.push({
          path: ["sites", i, "clusters", j, "name"],
          message: `expected a name no other cluster of the site has, got ${JSON.stringify(cluster.name)} (also clusters[${same}])`,
        });
      } else clusters.set(cluster.name, j);
    });
  });
  const backbone = spec.backbone;
  if (!("links" in backbone)) return problems;
  const links = new Map<string, number>();
  const neighbours = new Map<string, string[]>();
  backbone.links.forEach((link, k) => {
    const name = link.name ?? `${link.from}-${link.to}`;
    const same = links.get(name);
    if (same !== undefined) {
      problems.push({
        path: ["backbone", "links", k, link.name === undefined ? "to" : "name"],
        message: `expected a link name no other link has, got ${JSON.stringify(name)} (also links[${same}])`,
      });
    } else links.set(name, k);
    for (const [a, b] of [
      [link.from, link.to],
      [link.to, link.from],
    ] as const) {
      neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
    }
  });
  const start = spec.sites[0]?.name;
  if (start === undefined) return problems;
  const reached = new Set([start]);
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const next of neighbours.get(node) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  spec.sites.forEach((site, i) => {
    if (!reached.has(site.name)) {
      problems.push({
        path: ["sites", i, "name"],
        message: `expected a site the backbone links join to ${start}, got ${site.name} with no route to it`,
      });
    }
  });
  return problems;
}

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
