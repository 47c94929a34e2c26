import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../src/platform/build.js";
import { syntheticPlatform } from "../src/platform/synthetic.js";
import type { CloudView } from "../src/policies/cloud-view.js";
import { referencePlacement } from "./placement-reference.js";
import { RandomStreams } from "../src/sim/random.js";
import { PLACEMENTS } from "../src/policies/placement/definitions.js";
import type { Placement } from "../src/policies/placement/placement.js";
import { GiB, runningVm, testCloud, vmSpec } from "./cloud-fixture.js";

/** The built-in placement `name` with `vcpusPerCore` 1 and its stream from seed 1. */
function placementNamed(name: string): Placement {
  const definition = PLACEMENTS.find((d) => d.name === name);
  if (definition === undefined) throw new Error(name);
  const streams = new RandomStreams(1);
  return definition.create({ vcpusPerCore: 1 }, { stream: () => streams.stream("placement") });
}

/**
 * Hosts 0..3 (sites 0: hosts 0, 1; site 1: hosts 2, 3), 4 cores and 16 GiB each. Already there:
 * host 0 holds 3 vCPUs / 12 GiB, host 1 holds 1 vCPU / 2 GiB, host 2 holds 2 vCPUs / 4 GiB, host 3
 * is empty. Free (vCPUs, GiB): h0 (1, 4), h1 (3, 14), h2 (2, 12), h3 (4, 16).
 */
function loadedCloud() {
  const { sim, cloud } = testCloud();
  runningVm(sim, cloud, 0, vmSpec("x0", { vcpus: 3, memory: 12 * GiB }));
  runningVm(sim, cloud, 1, vmSpec("x1", { vcpus: 1, memory: 2 * GiB }));
  runningVm(sim, cloud, 2, vmSpec("x2", { vcpus: 2, memory: 4 * GiB }));
  return cloud;
}

const small = vmSpec("v", { vcpus: 1, memory: 2 * GiB });

describe("placement policies", () => {
  it("first-fit takes the first host with room, home site first", () => {
    const cloud = loadedCloud();
    const place = placementNamed("first-fit");
    // 1 vCPU / 2 GiB: host 0 has 1 vCPU but only 4 GiB... it fits (1 <= 1, 2 <= 4).
    expect(place.place(cloud, [small], 0)).toEqual([0]);
    // Home site 1: hosts 2, 3 come first.
    expect(place.place(cloud, [small], 1)).toEqual([2]);
    // Two VMs: the first takes host 0's last vCPU, the second goes on to host 1.
    expect(place.place(cloud, [small, small], 0)).toEqual([0, 1]);
  });

  it("best-fit takes the host left tightest, worst-fit the roomiest", () => {
    const cloud = loadedCloud();
    // Left after a 1-vCPU 2-GiB VM, as free RAM fraction + free vCPU fraction:
    // h0: 2/16 + 0/4 = 0.125; h1: 12/16 + 2/4 = 1.25; h2: 10/16 + 1/4 = 0.875; h3: 14/16 + 3/4 =
    // 1.625. Best-fit: h0; worst-fit: h3.
    expect(placementNamed("best-fit").place(cloud, [small], undefined)).toEqual([0]);
    expect(placementNamed("worst-fit").place(cloud, [small], undefined)).toEqual([3]);
  });

  it("round-robin goes on from the host after the last one used, cycling", () => {
    const cloud = loadedCloud();
    const place = placementNamed("round-robin");
    // 4 VMs of 1 vCPU / 2 GiB: h0, h1, h2, h3 in turn (each takes one, nothing is committed).
    expect(place.place(cloud, [small, small, small, small], undefined)).toEqual([0, 1, 2, 3]);
    // The next call starts after h3: back to h0.
    expect(place.place(cloud, [small], undefined)).toEqual([0]);
    // A 2-vCPU VM skips h0 (1 vCPU free) after wrapping: h1.
    expect(place.place(cloud, [vmSpec("w", { vcpus: 2 })], undefined)).toEqual([1]);
  });

  it("random draws among the hosts that fit, from its stream, reproducibly", () => {
    const cloud = loadedCloud();
    const big = vmSpec("b", { vcpus: 2, memory: 12 * GiB });
    // A 2-vCPU 12-GiB VM fits h1 (3, 14), h2 (2, 12) and h3 (4, 16), not h0 (1 vCPU free).
    const draws = Array.from({ length: 40 }, () => placementNamed("random").place(cloud, [big], 0));
    const again = Array.from({ length: 40 }, () => placementNamed("random").place(cloud, [big], 0));
    expect(draws).toEqual(again);
    const random = placementNamed("random");
    const hosts = new Set(Array.from({ length: 40 }, () => random.place(cloud, [big], 0)?.[0]));
    expect([...hosts].sort()).toEqual([1, 2, 3]);
  });

  it("every placement gives up (undefined) when one VM of the set fits nowhere", () => {
    const cloud = loadedCloud();
    const huge = vmSpec("h", { vcpus: 5 });
    for (const { name } of PLACEMENTS) {
      expect(placementNamed(name).place(cloud, [small, huge], 0), name).toBeUndefined();
    }
  });

  it("skip hosts that are down", () => {
    const cloud = loadedCloud();
    cloud.crashHost(0, "test");
    expect(placementNamed("first-fit").place(cloud, [small], 0)).toEqual([1]);
  });
});

/** A view of random free RAM and vCPUs on a synthetic platform, some hosts down. */
const randomView = fc
  .record({
    sites: fc.integer({ min: 1, max: 4 }),
    hostsPerSite: fc.integer({ min: 1, max: 6 }),
    cores: fc.integer({ min: 1, max: 8 }),
    hosts: fc.array(
      fc.record({
        up: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
        freeGiB: fc.integer({ min: 0, max: 16 }),
        heldVcpus: fc.integer({ min: 0, max: 16 }),
      }),
      { minLength: 24, maxLength: 24 },
    ),
  })
  .map(({ sites, hostsPerSite, cores, hosts }): CloudView => {
    const platform = buildPlatform(
      syntheticPlatform({ sites, hostsPerSite, cores, memory: 16 * GiB }),
    );
    const state = (host: number) =>
      hosts[host % hosts.length] ?? { up: true, freeGiB: 0, heldVcpus: 0 };
    return {
      platform,
      sim: { now: 0 },
      isHostUp: (host) => state(host).up,
      freeMemory: (host) => state(host).freeGiB * GiB,
      vcpusOn: (host) => state(host).heldVcpus,
      liveVms: () => [][Symbol.iterator](),
      load: () => 0,
      operationOf: () => undefined,
    };
  });

const randomRequests = fc.array(
  fc.record({
    vms: fc.array(
      fc.record({ vcpus: fc.integer({ min: 1, max: 4 }), memory: fc.integer({ min: 1, max: 8 }) }),
      { minLength: 1, maxLength: 4 },
    ),
    home: fc.integer({ min: -1, max: 3 }),
  }),
  { minLength: 1, maxLength: 6 },
);

describe("placement policies against their slow reference (test/placement-reference.ts)", () => {
  it("choose the same hosts on random clouds, call after call", () => {
    const names = ["first-fit", "best-fit", "worst-fit", "round-robin", "random"] as const;
    fc.assert(
      fc.property(
        randomView,
        randomRequests,
        fc.constantFrom(...names),
        fc.constantFrom(1, 1.5, 2),
        (view, requests, name, vcpusPerCore) => {
          const definition = PLACEMENTS.find((d) => d.name === name);
          if (definition === undefined) throw new Error(name);
          // Both draw from a stream of the same seed and name: the same draws.
          const fast = definition.create(
            { vcpusPerCore },
            { stream: () => new RandomStreams(7).stream("placement") },
          );
          const slow = referencePlacement(
            name,
            vcpusPerCore,
            new RandomStreams(7).stream("placement"),
          );
          for (const request of requests) {
            const vms = request.vms.map((v, i) =>
              vmSpec(`v${i}`, { vcpus: v.vcpus, memory: v.memory * GiB }),
            );
            const home = request.home < 0 ? undefined : request.home;
            expect(fast.place(view, vms, home)).toEqual(slow.place(view, vms, home));
          }
        },
      ),
      { numRuns: 1000, seed: 20261202 },
    );
  });
});
