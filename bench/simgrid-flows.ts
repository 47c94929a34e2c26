/**
 * The same multi-site flow scenarios in skysim, as SimGrid's sgpeer `flows` builds them: the
 * synthetic platform with a shared backbone, flow i from s(i%S)h(i%H) to s((i+1)%S)h((7i)%H) of
 * size sizes[i % n], starting at i * step.
 */
import { Network, type SharingMode } from "../src/network/network.js";
import { buildPlatform } from "../src/platform/build.js";
import { route } from "../src/platform/platform.js";
import { syntheticPlatform } from "../src/platform/synthetic.js";
import { Simulation } from "../src/sim/index.js";

export interface FlowsParams {
  sites: number;
  hosts: number;
  flows: number;
  sizes: number[];
  step: number;
  hostBandwidth: number;
  hostLatency: number;
  siteBandwidth: number;
  siteLatency: number;
  backboneBandwidth: number;
  backboneLatency: number;
}

/** sgpeer's defaults for `flows`: 2 sites x 2 hosts, 4 flows of 1e8 B, 1.25e9 B/s links, no latency. */
export const SGPEER_FLOWS_DEFAULTS: FlowsParams = {
  sites: 2,
  hosts: 2,
  flows: 4,
  sizes: [1e8],
  step: 0,
  hostBandwidth: 1.25e9,
  hostLatency: 0,
  siteBandwidth: 1.25e9,
  siteLatency: 0,
  backboneBandwidth: 1.25e9,
  backboneLatency: 0,
};

export interface FlowsResult {
  ends: number[];
  routes: string[][];
  completions: number;
}

export function sgpeerArguments(p: FlowsParams): Record<string, number | string> {
  return {
    sites: p.sites,
    hosts: p.hosts,
    flows: p.flows,
    size: p.sizes.join(","),
    "start-step": p.step,
    "host-bw": p.hostBandwidth,
    "host-lat": p.hostLatency,
    "site-bw": p.siteBandwidth,
    "site-lat": p.siteLatency,
    "bb-bw": p.backboneBandwidth,
    "bb-lat": p.backboneLatency,
  };
}

export function runSkysimFlows(p: FlowsParams, mode: SharingMode): FlowsResult {
  const platform = buildPlatform(
    syntheticPlatform({
      sites: p.sites,
      hostsPerSite: p.hosts,
      hostBandwidth: p.hostBandwidth,
      hostLatency: p.hostLatency,
      siteBandwidth: p.siteBandwidth,
      siteLatency: p.siteLatency,
      backbone: "shared",
      backboneBandwidth: p.backboneBandwidth,
      backboneLatency: p.backboneLatency,
    }),
  );
  const sim = new Simulation();
  const network = new Network(sim, platform.links, { mode });
  const ends = new Array<number>(p.flows).fill(Number.NaN);
  const routes: string[][] = [];
  let completions = 0;
  for (let i = 0; i < p.flows; i++) {
    const src = (i % p.sites) * p.hosts + (i % p.hosts);
    const dst = ((i + 1) % p.sites) * p.hosts + ((i * 7) % p.hosts);
    const path = route(platform, src, dst);
    routes.push(path.map((link) => platform.links[link]?.name ?? "?"));
    sim.scheduleAt(i * p.step, () => {
      network.startFlow(path, p.sizes[i % p.sizes.length] ?? 0, {
        onComplete: (flow) => {
          ends[i] = flow.endTime;
          completions++;
        },
      });
    });
  }
  sim.run();
  return { ends, routes, completions };
}
