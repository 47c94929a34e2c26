import * as z from "zod";
import type { PolicyDefinition } from "../policy-definition.js";
import { bestFit } from "./best-fit.js";
import { firstFit } from "./first-fit.js";
import type { Placement } from "./placement.js";
import { randomFit } from "./random-fit.js";
import { roundRobin } from "./round-robin.js";
import { worstFit } from "./worst-fit.js";

const options = z.object({
  vcpusPerCore: z
    .number()
    .positive()
    .default(1)
    .meta({ description: "vCPUs a host may give out per core (1: no CPU overcommit)" }),
});
type Options = z.output<typeof options>;

function placement(
  name: string,
  description: string,
  create: PolicyDefinition<Placement, Options>["create"],
): PolicyDefinition<Placement, Options> {
  return { kind: "placement", name, description, options, create };
}

/** The built-in placements: where a vjob's VMs start (RAM and vCPUs reserved). */
export const PLACEMENTS = [
  placement("first-fit", "first host that fits, home site first", (o) => firstFit(o.vcpusPerCore)),
  placement("best-fit", "tightest host, home site first on ties", (o) => bestFit(o.vcpusPerCore)),
  placement("worst-fit", "roomiest host, home site first on ties", (o) => worstFit(o.vcpusPerCore)),
  placement("round-robin", "next host that fits after the last one used", (o) =>
    roundRobin(o.vcpusPerCore),
  ),
  placement("random", "a host that fits, uniformly at random", (o, context) =>
    randomFit(o.vcpusPerCore, context.stream()),
  ),
] as const;
