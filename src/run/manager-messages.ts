import type { Cloud } from "../compute/cloud.js";
import { route } from "../platform/platform.js";

/**
 * Seconds a manager's message takes from one host to another: the latency of the route between
 * them. Monitoring reports and orders are a few hundred bytes, so bandwidth does not count.
 */
export function messageDelay(cloud: Cloud, from: number, to: number): number {
  return cloud.network.routeLatency(route(cloud.platform, from, to));
}

/**
 * A decision's round of messages between a manager on host `manager` and the hosts it manages:
 * their monitoring reports come in, then its orders go out; each way waits for the farthest host.
 */
export function roundTrip(cloud: Cloud, manager: number, hosts: Iterable<number>): number {
  let farthest = 0;
  for (const host of hosts) farthest = Math.max(farthest, messageDelay(cloud, manager, host));
  return 2 * farthest;
}
