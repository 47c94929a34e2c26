import * as z from "zod";
import type { PolicyDefinition } from "../policy-definition.js";
import { duration } from "../../scenario/quantities.js";

/**
 * What a vjob does when one of its VMs is lost. Without fault tolerance ("none") it starts over
 * from zero: its VMs stop, and it goes back to the head of the queue `restartDelay` later.
 */
export interface FaultTolerancePolicy {
  readonly name: string;
  /** Seconds from losing a VM to resubmission (noticing the failure). */
  readonly restartDelay: number;
}

const options = z.object({
  restartDelay: duration().pipe(z.number().positive()).default(30).meta({
    description:
      "from a job losing a VM to its resubmission; > 0, so that a job whose boot cannot succeed does not retry at the same instant",
  }),
});

export const RESTART_FROM_ZERO: PolicyDefinition<FaultTolerancePolicy, z.output<typeof options>> = {
  kind: "faultTolerance",
  name: "none",
  description: "no fault tolerance: a vjob that lost a VM restarts from zero",
  options,
  create: ({ restartDelay }) => ({ name: "none", restartDelay }),
};
