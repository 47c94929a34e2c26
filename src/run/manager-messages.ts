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

/**
 * The round trip of a decision over `hosts` (the hosts a decision sees): with `perSite`, one
 * manager per site on the first host of its first cluster, in parallel (the slowest site's);
 * otherwise one manager on the first of `hosts` (a group manager, the sky's manager).
 */
export function decisionRoundTrip(
  cloud: Cloud,
  hosts: readonly number[],
  perSite: boolean,
): number {
  const first = hosts.reduce((min, host) => Math.min(min, host), Infinity);
  if (first === Infinity) return 0;
  if (!perSite) return roundTrip(cloud, first, hosts);
  const { platform } = cloud;
  const bySite = new Map<number, number[]>();
  for (const host of hosts) {
    const site = platform.hosts[host]?.site ?? 0;
    const list = bySite.get(site);
    if (list === undefined) bySite.set(site, [host]);
    else list.push(host);
  }
  let slowest = 0;
  for (const [site, members] of bySite) {
    const manager = platform.sites[site]?.clusters[0]?.hosts[0] ?? first;
    slowest = Math.max(slowest, roundTrip(cloud, manager, members));
  }
  return slowest;
}
