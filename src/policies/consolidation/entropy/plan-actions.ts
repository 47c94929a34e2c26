/**
 * The actions of a reconfiguration plan, on the VM ids and host ids of the configuration. The
 * shapes are the engine's (src/run/plan-executor.ts), so a plan's pools can be executed as they are.
 */
export type PlanAction =
  /** Live migration: the VM holds its CPU and memory on both hosts until it ends. */
  | { readonly kind: "migrate"; readonly vm: number; readonly from: number; readonly to: number }
  /** RAM written to the local disk: frees the host when it ends. */
  | { readonly kind: "suspend"; readonly vm: number; readonly on: number }
  /** A suspended image brought back: needs room on `to` from its start. */
  | { readonly kind: "resume"; readonly vm: number; readonly to: number }
  /** First start of a VM that never ran: needs room on `to` from its start. */
  | { readonly kind: "run"; readonly vm: number; readonly to: number };

/** Actions that start together and run in parallel; the next pool starts once all have ended. */
export type PlanPool = readonly PlanAction[];

/** The host an action brings its VM to (it needs room there from its start), if any. */
export function arrivalHost(action: PlanAction): number | undefined {
  return action.kind === "suspend" ? undefined : action.to;
}

/** The host an action takes its VM off (freed when the action ends), if any. */
export function departureHost(action: PlanAction): number | undefined {
  switch (action.kind) {
    case "migrate":
      return action.from;
    case "suspend":
      return action.on;
    case "resume":
    case "run":
      return undefined;
  }
}
