import * as z from "zod";
import { duration } from "../../scenario/quantities.js";
import type { PolicyDefinition } from "../policy-definition.js";
import { leastLoaded } from "./least-loaded.js";
import { mostFree } from "./most-free.js";
import { nearest } from "./nearest.js";
import type { Relocation, SkyPolicy } from "./sky-policy.js";
import { stayHome } from "./stay-home.js";

const options = z.object({
  overload: z.number().positive().default(1).meta({
    description:
      "a site flies vjobs away when its CPU demand per core of its up hosts stays above this (1: demand beyond capacity)",
  }),
  after: duration().pipe(z.number().min(0)).default(300).meta({
    description: "how long a site must stay overloaded before its vjobs fly, s",
  }),
  move: z.enum(["live-migration", "snapshot"]).default("live-migration").meta({
    description:
      "how a vjob flies: live migration of its running VMs, or a snapshot restored on the new site",
  }),
});
type Options = z.output<typeof options>;

function flying(
  name: string,
  description: string,
  create: (relocation: Relocation) => SkyPolicy,
): PolicyDefinition<SkyPolicy, Options> {
  return { kind: "sky", name, description, options, create };
}

/** The built-in sky policies: which site a vjob goes to, and when running ones fly. */
export const SKY_POLICIES: readonly PolicyDefinition<SkyPolicy>[] = [
  {
    kind: "sky",
    name: "stay-home",
    description: "every vjob runs at its home site and never flies",
    create: stayHome,
  },
  flying(
    "least-loaded",
    "the site with the lowest CPU demand per core that has RAM for the vjob",
    leastLoaded,
  ),
  flying(
    "nearest",
    "the site closest to the vjob's home by backbone latency that can take it without overload",
    nearest,
  ),
  flying("most-free", "the site with the most idle cores, then the most free RAM", mostFree),
];
