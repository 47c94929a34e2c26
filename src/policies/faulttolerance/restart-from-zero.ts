import * as z from "zod";
import type { PolicyDefinition } from "../policy-definition.js";
import { duration } from "../../scenario/quantities.js";
import type { FaultTolerancePolicy } from "./fault-tolerance.js";

const options = z.object({
  restartDelay: duration().pipe(z.number().positive()).default(30).meta({
    description:
      "from a job losing a VM to its resubmission; > 0, so that a job whose boot cannot succeed does not retry at the same instant",
  }),
});

/**
 * No fault tolerance: a vjob that lost a VM starts over from zero, back at the head of the queue
 * `restartDelay` later.
 */
export const RESTART_FROM_ZERO: PolicyDefinition<FaultTolerancePolicy, z.output<typeof options>> = {
  kind: "faultTolerance",
  name: "none",
  description: "no fault tolerance: a vjob that lost a VM restarts from zero",
  options,
  create: ({ restartDelay }) => ({
    name: "none",
    detectionDelay: () => restartDelay,
    snapshots: undefined,
  }),
};
