import * as z from "zod";
import type { PolicyKind } from "../policies/policy-definition.js";
import { BUILT_IN_POLICIES } from "../policies/registry.js";
import { LIMITS } from "./limits.js";
import { duration } from "./quantities.js";

/** What a consolidation decision sees of each VM's CPU demand (see README, "Consolidation"). */
export const DEFAULT_DEMAND = { estimate: "instant", window: 10, percentile: 90 } as const;
export const DEFAULT_HEADROOM = 1;
/** Hosts per group manager (Snooze); a group decides for this many hosts at most. */
export const DEFAULT_GROUP_SIZE = 32;

const demandSection = z
  .strictObject({
    estimate: z
      .enum(["instant", "mean", "max", "percentile"])
      .default(DEFAULT_DEMAND.estimate)
      .meta({
        description:
          "instant: the demand at the decision; mean, max or percentile: over the last `window` samples (one per decision)",
      }),
    window: z.int().min(1).max(10_000).default(DEFAULT_DEMAND.window).meta({
      description: "samples of each VM's demand kept (one per period)",
    }),
    percentile: z.number().min(0).max(100).default(DEFAULT_DEMAND.percentile).meta({
      description: "for estimate percentile: which one (nearest rank)",
    }),
  })
  .default(DEFAULT_DEMAND);

/** Who decides consolidation (README, "Manager architectures"). */
export const managerSection = z
  .discriminatedUnion("type", [
    z
      .strictObject({ type: z.literal("centralised") })
      .meta({ description: "one manager per site, or for the sky (scope)" }),
    z
      .strictObject({
        type: z.literal("hierarchical"),
        groupSize: z.int().min(1).max(LIMITS.hostsPerCluster).default(DEFAULT_GROUP_SIZE).meta({
          description:
            "hosts per group manager (Snooze): a site's hosts in id order, cut into groups this large",
        }),
      })
      .meta({ description: "Snooze: group managers each deciding for their group of hosts" }),
    z
      .strictObject({
        type: z.literal("distributed"),
        partition: z.enum(["ring"]).default("ring").meta({
          description:
            "ring: an overloaded host's partition grows through the next hosts in id order (its site's, with scope site), wrapping",
        }),
      })
      .meta({
        description:
          "DVMS: an overloaded host starts a partition that grows until the policy solves it",
      }),
  ])
  .default({ type: "centralised" });

/**
 * The `policies` section: per kind, a built-in policy by `name` with its options, or a user module
 * (`module: ./my-policy.mjs`, relative to the scenario file) followed by the options it is given.
 */
function kindSection<Common extends z.core.$ZodLooseShape>(kind: PolicyKind, common: Common) {
  const builtIns = BUILT_IN_POLICIES[kind].map((definition) =>
    z
      .strictObject({
        name: z.literal(definition.name),
        ...common,
        ...(definition.options?.shape ?? {}),
      })
      .meta({ description: definition.description }),
  );
  const userModule = z
    .looseObject({
      // Absent, so that `name` alone tells a built-in from a module.
      name: z.undefined().optional(),
      module: z.string().meta({ description: "a .js/.mjs file exporting a policy definition" }),
      ...common,
    })
    .meta({ description: "a user policy: a module file, then the options it is given" });
  // The built-ins are only known at run time, so the union's type is spelled out here.
  return z.discriminatedUnion("name", [...builtIns, userModule] as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ]) as unknown as z.ZodType<
    PolicyChoice & { [K in keyof Common]: z.output<Common[K]> },
    PolicyChoice & { [K in keyof Common]?: z.input<Common[K]> }
  >;
}

export const policiesSection = z
  .strictObject({
    placement: kindSection("placement", {})
      .default({ name: "first-fit", vcpusPerCore: 1 })
      .meta({ description: "where a vjob's VMs start" }),
    consolidation: kindSection("consolidation", {
      period: duration()
        .pipe(z.number().positive())
        .default(30)
        .meta({ description: "time between two decisions of the control loop" }),
      scope: z.enum(["site", "sky"]).default("site").meta({
        description:
          "site: each site is a cloud with its own manager, seeing only its hosts; sky: one manager for all (a context switch always decides for the sky)",
      }),
      demand: demandSection,
      manager: managerSection,
      headroom: z.number().gt(0).max(1).default(DEFAULT_HEADROOM).meta({
        description: "fraction of each host's cores a decision may fill (room for demand to grow)",
      }),
    })
      .default({
        name: "none",
        period: 30,
        scope: "site",
        demand: DEFAULT_DEMAND,
        manager: { type: "centralised" },
        headroom: DEFAULT_HEADROOM,
      })
      .meta({ description: "the periodic control loop moving running VMs" }),
    faultTolerance: kindSection("faultTolerance", {})
      .default({ name: "none", restartDelay: 30 })
      .meta({ description: "what a vjob does when it loses a VM" }),
    sky: kindSection("sky", {
      period: duration()
        .pipe(z.number().positive())
        .default(30)
        .meta({ description: "time between two checks for overloaded sites" }),
    })
      .default({ name: "stay-home", period: 30 })
      .meta({ description: "which site (cloud) a vjob goes to, and when running vjobs fly" }),
    power: kindSection("power", {})
      .default({ name: "always-on" })
      .meta({ description: "when hosts switch off and on" }),
  })
  .meta({ description: "the strategies under study, each by name or from a module file" });

export type PoliciesSection = z.output<typeof policiesSection>;
/** One kind's choice: a built-in's name and options, or a module and the options it is given. */
export type PolicyChoice = { readonly name?: string; readonly module?: string } & Record<
  string,
  unknown
>;
