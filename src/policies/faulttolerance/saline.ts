import * as z from "zod";
import type { CloudView } from "../cloud-view.js";
import type { PolicyDefinition } from "../policy-definition.js";
import { duration, size } from "../../scenario/quantities.js";
import { dalyPeriod, youngPeriod } from "./checkpoint-period.js";
import type { FaultTolerancePolicy } from "./fault-tolerance.js";
import { snapshotStores } from "./snapshot-stores.js";

const options = z.object({
  period: z
    .union([
      duration().pipe(z.number().positive()),
      z.strictObject({
        formula: z.enum(["young", "daly"]).meta({
          description:
            "young: sqrt(2 C M); daly: Daly's higher-order estimate; C is the vjob's capture cost (its RAM over its hosts' disk bandwidth)",
        }),
        mtbf: duration()
          .pipe(z.number().positive())
          .meta({ description: "mean time between failures of one vjob (M)" }),
      }),
    ])
    .default(3600)
    .meta({
      description:
        "running time between two snapshots of a vjob: a duration, or a formula given the MTBF",
    }),
  mode: z.enum(["coordinated", "live"]).default("coordinated").meta({
    description:
      "coordinated: the VMs pause while their RAM is saved; live: they keep running (copy on write)",
  }),
  store: z.enum(["local", "remote"]).default("remote").meta({
    description:
      "local: the store of the site the vjob runs on; remote: the store of the nearest other site",
  }),
  stores: z.array(z.string()).optional().meta({
    description:
      "host names of the snapshot stores, at most one per site (default: each site's first host)",
  }),
  diskDelta: size()
    .pipe(z.number().nonnegative())
    .default(0)
    .meta({ description: "disk bytes changed since boot, saved with each VM's RAM" }),
  heartbeat: z
    .strictObject({
      period: duration()
        .pipe(z.number().positive())
        .default(10)
        .meta({ description: "every VM reports alive at multiples of this period" }),
      timeout: duration()
        .pipe(z.number().positive())
        .default(30)
        .meta({ description: "a VM is declared dead this long after its last heartbeat" }),
    })
    .refine((beat) => beat.timeout > beat.period, {
      message: "expected a timeout longer than the heartbeat period",
      path: ["timeout"],
    })
    .default({ period: 10, timeout: 30 })
    .meta({ description: "failure detection" }),
  reconfiguration: z
    .strictObject({
      sameSite: duration()
        .pipe(z.number().nonnegative())
        .default(1)
        .meta({ description: "network reconfiguration of a VM restored on its own site" }),
      otherSite: duration()
        .pipe(z.number().nonnegative())
        .default(30)
        .meta({ description: "on another site: overlay and IP changes" }),
    })
    .default({ sameSite: 1, otherSite: 30 })
    .meta({ description: "delay after a VM is resumed before it is reachable again" }),
});
type Options = z.output<typeof options>;

/**
 * Saline: every vjob is snapshotted (coordinated) every period; heartbeats detect a dead VM; the
 * whole vjob is then restored from its latest stored snapshot wherever the placement finds room.
 */
export function saline(o: Options): FaultTolerancePolicy {
  const { period } = o;
  const storeOf = snapshotStores(o.stores, o.store);
  return {
    name: "saline",
    // Heartbeats go out at multiples of the period: the last one before a failure at `time` is
    // the latest multiple, and the VM is declared dead `timeout` after it.
    detectionDelay: (time) =>
      Math.floor(time / o.heartbeat.period) * o.heartbeat.period + o.heartbeat.timeout - time,
    snapshots: {
      mode: o.mode,
      period:
        typeof period === "number"
          ? () => period
          : (cost) => (period.formula === "young" ? youngPeriod : dalyPeriod)(cost, period.mtbf),
      store: (view: CloudView, site: number) => storeOf(view, site),
      diskDelta: o.diskDelta,
      reconfigureSameSite: o.reconfiguration.sameSite,
      reconfigureOtherSite: o.reconfiguration.otherSite,
    },
  };
}

export const SALINE: PolicyDefinition<FaultTolerancePolicy, Options> = {
  kind: "faultTolerance",
  name: "saline",
  description:
    "periodic snapshots of each vjob; on a failure, restore the whole vjob from its latest snapshot",
  options,
  create: saline,
};
