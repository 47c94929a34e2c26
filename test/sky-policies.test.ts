import { describe, expect, it } from "vitest";
import { CpuConsumer } from "../src/compute/cpu.js";
import { Vm, type VmSpec } from "../src/compute/vm.js";
import type { BackboneSpec } from "../src/platform/backbone.js";
import { buildPlatform } from "../src/platform/build.js";
import type { Platform } from "../src/platform/platform.js";
import type { CloudView } from "../src/policies/cloud-view.js";
import { SKY_POLICIES } from "../src/policies/sky/definitions.js";
import { leastLoaded } from "../src/policies/sky/least-loaded.js";
import { mostFree } from "../src/policies/sky/most-free.js";
import { nearest } from "../src/policies/sky/nearest.js";
import { siteLatency, siteLoads } from "../src/policies/sky/site-load.js";
import type { Relocation, SkyRequest } from "../src/policies/sky/sky-policy.js";
import { stayHome } from "../src/policies/sky/stay-home.js";
import { GiB, vmSpec } from "./cloud-fixture.js";

/**
 * Sites s0, s1, s2 (ids 0, 1, 2) of two hosts each (hosts 0-1, 2-3, 4-5), 4 cores and 16 GiB per
 * host. The default backbone is a star through a router: s0 2 ms, s1 3 ms, s2 10 ms from it, so
 * s0-s1 is 5 ms, s0-s2 12 ms and s1-s2 13 ms.
 */
function platform(
  backbone: BackboneSpec = {
    type: "graph",
    links: [
      { name: "s0-core", from: "s0", to: "core", bandwidth: 1e9, latency: 0.002 },
      { name: "s1-core", from: "s1", to: "core", bandwidth: 1e9, latency: 0.003 },
      { name: "s2-core", from: "s2", to: "core", bandwidth: 1e9, latency: 0.01 },
    ],
  },
): Platform {
  const nic = { bandwidth: 1e9, latency: 0 };
  return buildPlatform({
    name: "three-sites",
    sites: [0, 1, 2].map((s) => ({
      name: `s${s}`,
      uplink: { bandwidth: 1e9, latency: 0 },
      clusters: [
        {
          name: `c${s}`,
          hosts: [0, 1].map((h) => ({
            name: `s${s}h${h}`,
            cores: 4,
            speed: 1e9,
            memory: 16 * GiB,
            diskBandwidth: 1e8,
            nic,
          })),
        },
      ],
    })),
    backbone,
  });
}

interface CloudState {
  /** Free RAM per host, GiB. */
  readonly free: readonly number[];
  /** One computing VM per entry: [host, cores its load asks for]. */
  readonly loads: readonly (readonly [number, number])[];
  readonly down?: readonly number[];
  readonly backbone?: BackboneSpec;
}

/** A hand-made view: only what the sky policies read is meaningful. */
function view(state: CloudState): CloudView {
  const load = new Map<Readonly<Vm>, number>();
  const vms = state.loads.map(([host, cores], i) => {
    const vm = new Vm(i, vmSpec(`x${i}`, { vcpus: 4 }));
    vm.host = host;
    vm.consumer = new CpuConsumer(vm.name, host, 4, 0);
    load.set(vm, cores);
    return vm;
  });
  // A suspended VM (no CPU) with a load: it asks for no core anywhere.
  const asleep = new Vm(vms.length, vmSpec("asleep", { vcpus: 4 }));
  asleep.host = 0;
  load.set(asleep, 4);
  const live = [...vms, asleep];
  return {
    platform: platform(state.backbone),
    sim: { now: 0 },
    isHostUp: (host) => !(state.down ?? []).includes(host),
    freeMemory: (host) => (state.free[host] ?? 0) * GiB,
    vcpusOn: () => 0,
    liveVms: () => live.values(),
    load: (vm) => load.get(vm) ?? 0,
    operationOf: () => undefined,
  };
}

/**
 * Loads: s0 (3 + 3) / 8 = 0.75, s1 2 / 8 = 0.25, s2 4 / 8 = 0.5. Free cores: s0 2, s1 6, s2 4.
 * Free RAM: s0 4 + 4 = 8 GiB, s1 2 + 2 = 4 GiB, s2 16 + 16 = 32 GiB.
 */
const BASE: CloudState = {
  free: [4, 4, 2, 2, 16, 16],
  loads: [
    [0, 3],
    [1, 3],
    [2, 2],
    [4, 4],
  ],
};

/** A vjob of `count` VMs of `vcpus` vCPUs and `memory` GiB each. */
function vjob(count: number, vcpus: number, memory: number): VmSpec[] {
  return Array.from({ length: count }, (_, i) => vmSpec(`v${i}`, { vcpus, memory: memory * GiB }));
}

function request(
  vms: readonly VmSpec[],
  homeSite: number | undefined,
  more: Partial<Pick<SkyRequest, "from" | "avoid">> = {},
): SkyRequest {
  return { vms, homeSite, from: undefined, ...more };
}

const RELOCATION: Relocation = { overload: 1, after: 300, move: "live-migration" };
const small = vjob(2, 1, 1); // 2 vCPUs, 2 GiB

describe("site loads", () => {
  it("sums cores, demand and free RAM of the up hosts, per site", () => {
    const loads = siteLoads(view(BASE));
    expect(loads.map((s) => s.load)).toEqual([6 / 8, 2 / 8, 4 / 8]);
    expect(loads.map((s) => s.freeCores)).toEqual([8 - 6, 8 - 2, 8 - 4]);
    expect(loads.map((s) => s.freeMemory / GiB)).toEqual([4 + 4, 2 + 2, 16 + 16]);
    // Host 1 down: s0 keeps host 0 only, 4 cores, the 3 cores of host 0's VM, its 4 GiB.
    // Hosts 2 and 3 down: s1 has nothing up, an infinite load.
    const partly = siteLoads(view({ ...BASE, down: [1, 2, 3] }));
    expect(partly[0]).toEqual({
      site: 0,
      upHosts: 1,
      cores: 4,
      demand: 3,
      freeMemory: 4 * GiB,
      freeCores: 4 - 3,
      load: 3 / 4,
    });
    expect(partly[1]).toMatchObject({ upHosts: 0, cores: 0, demand: 0, load: Infinity });
  });

  it("adds the latencies of the backbone route between two sites", () => {
    const p = platform();
    // Star: each route crosses two spokes.
    expect(siteLatency(p, 0, 1)).toBeCloseTo(0.002 + 0.003, 12);
    expect(siteLatency(p, 2, 0)).toBeCloseTo(0.01 + 0.002, 12);
    expect(siteLatency(p, 1, 1)).toBe(0);
  });
});

describe("stay-home", () => {
  it("names the home site, else the site it ran on, and never flies", () => {
    const policy = stayHome();
    expect(policy.relocation).toBeUndefined();
    expect(policy.siteFor(view(BASE), request(small, 2))).toBe(2);
    expect(policy.siteFor(view(BASE), request(small, undefined, { from: 1 }))).toBe(1);
    expect(policy.siteFor(view(BASE), request(small, undefined))).toBeUndefined();
  });
});

describe("least-loaded", () => {
  const policy = leastLoaded(RELOCATION);

  it("picks the least loaded site whose free RAM holds the vjob", () => {
    // 2 GiB: s1 (0.25) holds it.
    expect(policy.siteFor(view(BASE), request(small, 0))).toBe(1);
    // 2 x 4 GiB = 8 GiB: s1 has 4 GiB, skipped; s2 (0.5, 32 GiB) before s0 (0.75, 8 GiB).
    expect(policy.siteFor(view(BASE), request(vjob(2, 1, 4), 0))).toBe(2);
    // 40 GiB fits no site: the lowest load anyway, s1.
    expect(policy.siteFor(view(BASE), request(vjob(1, 1, 40), 0))).toBe(1);
  });

  it("honours avoid and never picks a site with all hosts down", () => {
    // Without s1: s2 (0.5) beats s0 (0.75).
    expect(policy.siteFor(view(BASE), request(small, 0, { avoid: 1 }))).toBe(2);
    // Nothing runs; s1's hosts are down: home s1 is out, s0 and s2 tie at 0, s0 by id.
    expect(policy.siteFor(view({ ...BASE, loads: [], down: [2, 3] }), request(small, 1))).toBe(0);
    // No host up anywhere: no site to name.
    const dark = view({ ...BASE, down: [0, 1, 2, 3, 4, 5] });
    expect(policy.siteFor(dark, request(small, 1))).toBeUndefined();
  });

  it("breaks ties by home site, then id", () => {
    // Nothing runs: every load is 0 and every site holds the vjob.
    const idle = view({ ...BASE, loads: [] });
    expect(policy.siteFor(idle, request(small, 2))).toBe(2);
    expect(policy.siteFor(idle, request(small, undefined))).toBe(0);
    expect(policy.siteFor(idle, request(small, 0, { avoid: 0 }))).toBe(1);
  });
});

describe("nearest", () => {
  const policy = nearest(RELOCATION);

  it("picks the site nearest the home site that takes the vjob without overload", () => {
    // Home s0, 2 vCPUs: (6 + 2) / 8 = 1 <= 1 and 8 GiB >= 2 GiB: stays on s0.
    expect(policy.siteFor(view(BASE), request(small, 0))).toBe(0);
    // 4 vCPUs, 4 GiB: s0 would reach (6 + 4) / 8 = 1.25 > 1; next nearest s1 (5 ms):
    // (2 + 4) / 8 = 0.75 and 4 GiB >= 4 GiB.
    expect(policy.siteFor(view(BASE), request(vjob(2, 2, 2), 0))).toBe(1);
    // 4 vCPUs, 8 GiB: s0 overloaded, s1 short of RAM (4 GiB); s2 (12 ms): (4 + 4) / 8 = 1.
    expect(policy.siteFor(view(BASE), request(vjob(2, 2, 4), 0))).toBe(2);
    // Home s2 avoided: s0 (12 ms) is nearer than s1 (13 ms).
    expect(policy.siteFor(view(BASE), request(small, 2, { avoid: 2 }))).toBe(0);
  });

  it("measures from the site a homeless vjob ran on, else from site 0", () => {
    // From s1, which it flies away from: s0 (5 ms) before s2 (13 ms).
    expect(policy.siteFor(view(BASE), request(small, undefined, { from: 1, avoid: 1 }))).toBe(0);
    expect(policy.siteFor(view(BASE), request(small, undefined))).toBe(0);
  });

  it("checks only RAM when vjobs never fly", () => {
    // 4 vCPUs on s0 reach a load of 1.25, but there is no threshold: RAM suffices.
    expect(nearest(undefined).siteFor(view(BASE), request(vjob(2, 2, 2), 0))).toBe(0);
  });

  it("falls back to the nearest site when none can take the vjob", () => {
    const huge = vjob(1, 1, 40);
    expect(policy.siteFor(view(BASE), request(huge, 0))).toBe(0);
    expect(policy.siteFor(view(BASE), request(huge, 0, { avoid: 0 }))).toBe(1);
    // s0's hosts down: the nearest site with a host up, s1.
    expect(policy.siteFor(view({ ...BASE, down: [0, 1] }), request(huge, 0))).toBe(1);
  });

  it("breaks ties by the origin site, then id", () => {
    // A shared backbone: every pair of sites is 1 ms apart, so only ids separate s0 and s1.
    // Home s2 avoided, 2 vCPUs: s0 reaches (6 + 2) / 8 = 1, s1 (2 + 2) / 8: both fit, s0 by id.
    const shared: CloudState = {
      ...BASE,
      backbone: { type: "shared", bandwidth: 1e9, latency: 0.001 },
    };
    expect(policy.siteFor(view(shared), request(small, 2, { avoid: 2 }))).toBe(0);
    // No latency at all: home s2 is no nearer than the others but comes first.
    const flat: CloudState = { ...BASE, backbone: { type: "shared", bandwidth: 1e9, latency: 0 } };
    expect(policy.siteFor(view(flat), request(small, 2))).toBe(2);
  });
});

describe("most-free", () => {
  const policy = mostFree(RELOCATION);

  it("picks the site with the most idle cores", () => {
    // Free cores: s0 2, s1 6, s2 4.
    expect(policy.siteFor(view(BASE), request(small, 0))).toBe(1);
    expect(policy.siteFor(view(BASE), request(small, 0, { avoid: 1 }))).toBe(2);
    // s1's hosts down: it has no cores at all.
    expect(policy.siteFor(view({ ...BASE, down: [2, 3] }), request(small, 1))).toBe(2);
  });

  it("breaks ties by free RAM, then home site, then id", () => {
    // s1 loaded like s2 (4 cores asked): s1 and s2 have 4 idle cores; s2 has more RAM.
    const even = { ...BASE, loads: [...BASE.loads, [3, 2] as const] };
    expect(policy.siteFor(view(even), request(small, 1))).toBe(2);
    // Nothing runs and RAM is equal: home s2 first, else id order.
    const idle = view({ free: [8, 8, 8, 8, 8, 8], loads: [] });
    expect(policy.siteFor(idle, request(small, 2))).toBe(2);
    expect(policy.siteFor(idle, request(small, undefined))).toBe(0);
  });
});

describe("sky definitions", () => {
  it("stay-home takes no options; the others parse to their defaults", () => {
    const byName = new Map(SKY_POLICIES.map((d) => [d.name, d]));
    expect([...byName.keys()]).toEqual(["stay-home", "least-loaded", "nearest", "most-free"]);
    expect(byName.get("stay-home")?.options).toBeUndefined();
    for (const name of ["least-loaded", "nearest", "most-free"]) {
      const definition = byName.get(name);
      expect(definition?.kind).toBe("sky");
      const options = definition?.options?.parse({});
      expect(options, name).toEqual({ overload: 1, after: 300, move: "live-migration" });
      const policy = definition?.create(options ?? {}, { stream: () => expect.fail("no draw") });
      expect(policy?.name).toBe(name);
      expect(policy?.relocation).toEqual(options);
    }
    // Durations take units.
    expect(byName.get("nearest")?.options?.parse({ after: "5min" })).toMatchObject({ after: 300 });
    expect(() => byName.get("nearest")?.options?.parse({ overload: 0 })).toThrow();
  });
});
