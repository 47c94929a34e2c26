import * as z from "zod";
import { duration } from "../../scenario/quantities.js";
import type { PolicyDefinition } from "../policy-definition.js";
import { alwaysOn } from "./always-on.js";
import { idleOff } from "./idle-off.js";
import type { PowerPolicy } from "./power-policy.js";

const idleOffOptions = z.object({
  idleFor: duration()
    .pipe(z.number().min(0))
    .default(300)
    .meta({ description: "how long a host stays empty before it is switched off, s" }),
  spare: z
    .int()
    .min(0)
    .default(0)
    .meta({ description: "empty hosts kept on per site, to start vjobs without a boot" }),
});

/** The built-in power policies. */
export const POWER_POLICIES: readonly PolicyDefinition<PowerPolicy>[] = [
  {
    kind: "power",
    name: "always-on",
    description: "every host stays on (no power management)",
    create: alwaysOn,
  },
  {
    kind: "power",
    name: "idle-off",
    description:
      "switch off a host empty for idleFor, keeping spare empty hosts on per site; boot hosts when room is needed",
    options: idleOffOptions,
    create: (o: z.output<typeof idleOffOptions>) => idleOff(o.idleFor, o.spare),
  },
];
