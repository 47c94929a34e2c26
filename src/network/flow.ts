import { FluidActivity } from "../sim/fluid-activity.js";

/** Where a flow is in its life. */
export type FlowState = "latency" | "active" | "completed" | "failed" | "cancelled";

export interface FlowOptions {
  /** Upper bound on the flow's rate, bytes/s (a migration speed, a TCP window...). */
  readonly bound?: number;
  /** Free text carried into signals and traces. */
  readonly label?: string;
  /** Called once the last byte has arrived. */
  readonly onComplete?: (flow: Flow) => void;
  /** Called if a link of the route goes down before that. */
  readonly onFail?: (flow: Flow, reason: string) => void;
}

/**
 * A transfer of `size` bytes along a route of links. It uses no bandwidth until the route latency
 * has elapsed, then shares its links with the other active flows. Its fields are read-only for
 * everyone but the network.
 */
export class Flow extends FluidActivity {
  state: FlowState = "latency";
  /** Time the last byte arrived (or the flow failed); NaN before. */
  endTime = Number.NaN;
  failure: string | undefined = undefined;
  /** For each link of the route, this flow's index in that link's list of active flows. */
  readonly positions: Int32Array;
  /** Index in the network's list of active (or waiting) flows. */
  listIndex = -1;
  /** The network's key for this flow's current finish time (-1: none filed). */
  ticket = -1;
  /** Where the network keeps this flow while it is active (-1: elsewhere). */
  slot = -1;
  /** Marks the last component search that reached this flow. */
  visit = 0;

  constructor(
    readonly id: number,
    readonly route: Int32Array,
    readonly size: number,
    readonly startTime: number,
    readonly latency: number,
    readonly weight: number,
    readonly bound: number,
    readonly options: FlowOptions,
  ) {
    super(size, startTime);
    this.positions = new Int32Array(route.length).fill(-1);
  }
}
