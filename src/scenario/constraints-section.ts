import * as z from "zod";
import { duration } from "./quantities.js";

/**
 * The `constraints` section: what users expect of their VMs' placement (BtrPlace's vocabulary,
 * Hermenier et al., IEEE TDSC 2013), each over some vjobs' VMs.
 */

const vjobs = z.union([z.literal("each"), z.array(z.string().min(1)).min(1)]).meta({
  description:
    "each: every vjob on its own (its VMs); or a list of vjob names: their VMs together, as one group",
});

const onViolation = z.enum(["wait", "allow"]).default("wait").meta({
  description:
    "when a vjob cannot start without breaking it: wait (for room that keeps it), or allow (start anyway; the violation is counted)",
});

/**
 * BtrPlace's two restrictions: a continuous constraint holds at every instant, plans included (a
 * VM migrating occupies both its hosts); a discrete one once each plan is done. Its defaults are
 * BtrPlace's: continuous for spread, discrete for the others.
 */
function holdsOption(fallback: "continuous" | "discrete") {
  return z.enum(["continuous", "discrete"]).default(fallback).meta({
    description:
      "continuous: kept at every instant, while plans run too (a migrating VM is on both its hosts); discrete: kept once each plan is done",
  });
}

const places = {
  hosts: z.array(z.string()).min(1).optional(),
  clusters: z.array(z.string()).min(1).optional(),
  sites: z.array(z.string()).min(1).optional(),
};

export const constraintSpec = z.discriminatedUnion("type", [
  z
    .strictObject({
      type: z.literal("spread"),
      vjobs,
      across: z.enum(["host", "site"]).default("host").meta({
        description: "host: the VMs on distinct hosts; site: on distinct sites (availability)",
      }),
      holds: holdsOption("continuous"),
      onViolation,
    })
    .meta({ description: "the VMs apart: no two on one host (or site)" }),
  z
    .strictObject({ type: z.literal("gather"), vjobs, holds: holdsOption("discrete"), onViolation })
    .meta({ description: "the VMs together on one host" }),
  z
    .strictObject({
      type: z.literal("among"),
      vjobs,
      within: z.enum(["site", "cluster"]).default("site").meta({
        description: "site: all the VMs in one site, whichever; cluster: in one cluster",
      }),
      holds: holdsOption("discrete"),
      onViolation,
    })
    .meta({ description: "the VMs together in one site (or cluster), whichever" }),
  z
    .strictObject({
      type: z.literal("split"),
      groups: z
        .array(z.array(z.string().min(1)).min(1))
        .min(2)
        .meta({ description: "groups of vjob names: no host holds VMs of two groups" }),
      holds: holdsOption("discrete"),
      onViolation,
    })
    .meta({ description: "groups of vjobs apart: their VMs never share a host" }),
  z
    .strictObject({
      type: z.literal("lonely"),
      vjobs,
      holds: holdsOption("discrete"),
      onViolation,
    })
    .meta({
      description:
        "the VMs on hosts of their own: no VM of another vjob (or of a vjob outside the group) on their hosts",
    }),
  z
    .strictObject({
      type: z.literal("quarantine"),
      ...places,
      from: duration()
        .pipe(z.number().min(0))
        .default(0)
        .meta({ description: "when the maintenance starts" }),
      until: duration()
        .pipe(z.number().positive())
        .optional()
        .meta({ description: "when it ends (none: the end of the run)" }),
    })
    .meta({
      description:
        "hosts under maintenance: from `from` until `until` no VM arrives on them (placed, restored, migrated) and none leaves them by migration",
    }),
  z
    .strictObject({
      type: z.literal("maxOnline"),
      ...places,
      max: z.number().int().min(0).meta({ description: "hosts on at most at once" }),
      per: z.enum(["all", "site", "cluster"]).default("all").meta({
        description:
          "all: the hosts named together (every host if none is named); site or cluster: each site's (cluster's) among them apart",
      }),
    })
    .meta({
      description:
        "a power cap: at most `max` of these hosts on at once, booting and switching off counted (continuous by nature); the others start off, boots beyond it wait, a repaired host beyond it comes back off",
    }),
  z
    .strictObject({
      type: z.literal("preserve"),
      vjobs,
      cores: z.number().gt(0).meta({
        description: "cores each VM keeps, up to its demand, however loaded its host",
      }),
      holds: holdsOption("discrete"),
      onViolation,
    })
    .meta({
      description:
        "a CPU floor: each VM gets at least `cores` cores (up to its demand) as a CPU reservation; placement and consolidations keep each host's reservations within its cores",
    }),
  z.strictObject({ type: z.literal("root"), vjobs }).meta({
    description:
      "the VMs never live-migrated (placed once, restored or restarted only): continuous by nature",
  }),
  z
    .strictObject({
      type: z.literal("fence"),
      vjobs,
      ...places,
      holds: holdsOption("discrete"),
      onViolation,
    })
    .meta({ description: "the VMs only on these hosts, clusters or sites (data residency)" }),
  z
    .strictObject({
      type: z.literal("ban"),
      vjobs,
      ...places,
      holds: holdsOption("discrete"),
      onViolation,
    })
    .meta({ description: "the VMs never on these hosts, clusters or sites" }),
]);

export const constraintsSection = z.array(constraintSpec).meta({
  description:
    "placement constraints on vjobs' VMs, honoured by placement and measured at every instant (summary.constraints)",
});

export type ConstraintSpec = z.output<typeof constraintSpec>;
