import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BackboneTraffic } from "../src/output/backbone-traffic.js";
import { runScenario } from "../src/run/run-scenario.js";
import { validateScenario } from "../src/scenario/index.js";
import { NIC, testCloud } from "./cloud-fixture.js";

// testCloud: sites s0 (hosts 0, 1) and s1 (hosts 2, 3). A route s0 -> s1 is NIC, s0's uplink, the
// shared backbone link, s1's uplink, NIC; the NICs (125 MB/s) bound every flow alone.

describe("backbone traffic", () => {
  it("counts nothing for a flow within a site", () => {
    const { sim, cloud } = testCloud();
    const traffic = new BackboneTraffic(cloud);
    cloud.network.startFlow(cloud.route(0, 1), 1e9);
    sim.run({ until: 4 });
    expect(traffic.takeStep()).toEqual([0, 0]);
    sim.run();
    expect(traffic.takeStep()).toEqual([0, 0]);
    expect(traffic.total()).toEqual({ perSite: [0, 0], backbone: 0 });
  });

  it("counts an inter-site flow at both uplinks as it goes, and once on the backbone", () => {
    // Latency: 2 NICs x 10 ms + 2 uplinks x 20 ms + the backbone's 50 ms = 0.11 s.
    const { sim, cloud } = testCloud({
      hostLatency: 0.01,
      siteLatency: 0.02,
      backboneLatency: 0.05,
    });
    const latency = 2 * 0.01 + 2 * 0.02 + 0.05;
    const traffic = new BackboneTraffic(cloud);
    const start = 1;
    const size = 1e9;
    sim.run({ until: start });
    const flow = cloud.network.startFlow(cloud.route(0, 2), size);
    // Still in its latency phase: no byte sent yet.
    sim.run({ until: start + latency / 2 });
    expect(traffic.takeStep()).toEqual([0, 0]);
    // Mid-way, at 4 s: NIC * (t - start - latency) bytes sent, through both uplinks.
    sim.run({ until: 4 });
    const midway = NIC * (4 - start - latency);
    const step = traffic.takeStep();
    expect(step[0]).toBeCloseTo(midway, 3);
    expect(step[1]).toBeCloseTo(midway, 3);
    // It ends at start + latency + size / NIC = 9.11 s; the next step has the rest.
    sim.run();
    expect(flow.endTime).toBeCloseTo(start + latency + size / NIC, 9);
    const rest = traffic.takeStep();
    expect(rest[0]).toBeCloseTo(size - midway, 3);
    expect(rest[1]).toBeCloseTo(size - midway, 3);
    expect(traffic.takeStep()).toEqual([0, 0]);
    const total = traffic.total();
    expect(total.perSite[0]).toBeCloseTo(size, 3);
    expect(total.perSite[1]).toBeCloseTo(size, 3);
    expect(total.backbone).toBeCloseTo(size, 3);
  });

  it("counts both directions at each site, each flow once on the backbone", () => {
    // s0 -> s1 (hosts 0 -> 2) and s1 -> s0 (hosts 3 -> 1): four NICs, each flow alone on its
    // NICs at 125 MB/s; the uplinks and backbone (1.25 GB/s) take both.
    const { sim, cloud } = testCloud();
    const traffic = new BackboneTraffic(cloud);
    cloud.network.startFlow(cloud.route(0, 2), 1e9);
    cloud.network.startFlow(cloud.route(3, 1), 1e9);
    sim.run({ until: 2 });
    // 2 flows x 2 s x 125 MB/s through each uplink.
    expect(traffic.takeStep()).toEqual([2 * 2 * NIC, 2 * 2 * NIC]);
    // The backbone carried 2 s x 125 MB/s of each flow.
    expect(traffic.total()).toEqual({ perSite: [2 * 2 * NIC, 2 * 2 * NIC], backbone: 2 * 2 * NIC });
  });

  it("counts what a failed flow sent, before and after a sample", () => {
    const { sim, cloud } = testCloud();
    const traffic = new BackboneTraffic(cloud);
    const uplink1 = cloud.platform.sites[1]?.uplink as number;
    const flow = cloud.network.startFlow(cloud.route(0, 2), 1e9);
    sim.run({ until: 1 });
    expect(traffic.takeStep()).toEqual([1 * NIC, 1 * NIC]);
    // s1's uplink goes down at 3 s: the flow fails having sent 3 s x 125 MB/s, 2 s of it since
    // the sample.
    sim.run({ until: 3 });
    cloud.network.setLinkUp(uplink1, false);
    expect(flow.state).toBe("failed");
    sim.run({ until: 5 });
    expect(traffic.takeStep()).toEqual([2 * NIC, 2 * NIC]);
    expect(traffic.total()).toEqual({ perSite: [3 * NIC, 3 * NIC], backbone: 3 * NIC });
  });

  it("counts nothing for a flow that fails in its latency phase", () => {
    const { sim, cloud } = testCloud({ backboneLatency: 1 });
    const traffic = new BackboneTraffic(cloud);
    const uplink0 = cloud.platform.sites[0]?.uplink as number;
    const flow = cloud.network.startFlow(cloud.route(0, 2), 1e9);
    sim.run({ until: 0.5 });
    cloud.network.setLinkUp(uplink0, false);
    expect(flow.state).toBe("failed");
    expect(traffic.total()).toEqual({ perSite: [0, 0], backbone: 0 });
  });

  it("counts what a cancelled flow sent, though no sample saw it running", () => {
    const { sim, cloud } = testCloud();
    const traffic = new BackboneTraffic(cloud);
    const flow = cloud.network.startFlow(cloud.route(2, 0), 1e9);
    sim.run({ until: 3 });
    cloud.network.cancelFlow(flow);
    sim.run({ until: 5 });
    // Cancelled at 3 s: 3 s x 125 MB/s.
    expect(traffic.takeStep()).toEqual([3 * NIC, 3 * NIC]);
    expect(traffic.total().backbone).toBe(3 * NIC);
  });
});

describe("timeseries.csv", () => {
  it("has the bytes through each site's uplink per step, and the summary their total", () => {
    // Two sites of one 2-core host; two jobs of one 2-vCPU VM at 0 s. First-fit puts job a on
    // s0h0, job b on s1h0; images (2 GB) come from s0h0: a's over s0h0's NIC alone, b's across
    // the backbone. Both share s0h0's NIC (1.25 GB/s), 0.625 GB/s each, every other link has
    // room: both end at 2e9 / 0.625e9 = 3.2 s. So b's image sends 0.625 GB in each of the first
    // three 1 s steps and 2 - 3 x 0.625 = 0.125 GB in the fourth, through both uplinks.
    const scenario = validateScenario(
      {
        name: "backbone",
        duration: "10s",
        platform: { type: "synthetic", sites: 2, hostsPerSite: 1, cores: 2 },
        workload: {
          type: "vjobs",
          vm: { vcpus: 2, image: "2GB" },
          arrivals: {
            type: "list",
            jobs: [
              { name: "a", submit: 0, work: { coreSeconds: "1h" } },
              { name: "b", submit: 0, work: { coreSeconds: "1h" } },
            ],
          },
          boot: { delay: "30s", imageStore: "s0h0" },
        },
        output: { step: "1s", charts: false },
      },
      "backbone.yaml",
    );
    const dir = mkdtempSync(join(tmpdir(), "skysim-backbone-"));
    const { summary } = runScenario(scenario, { outDir: dir, version: "t" });
    const [header, ...rows] = readFileSync(join(dir, "timeseries.csv"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(","));
    const columns = header ?? [];
    expect(columns.indexOf("backboneBytes")).toBe(columns.indexOf("migrations") + 1);
    const bytesAt = (site: string): number[] =>
      rows
        .filter((row) => row[columns.indexOf("site")] === site)
        .map((row) => Number(row[columns.indexOf("backboneBytes")]));
    const rate = 1.25e9 / 2;
    // Samples at 0, 1, ..., 10 s.
    const expected = [0, rate, rate, rate, 2e9 - 3 * rate, 0, 0, 0, 0, 0, 0];
    for (const site of ["s0", "s1"]) {
      const bytes = bytesAt(site);
      expect(bytes).toHaveLength(expected.length);
      bytes.forEach((value, i) => {
        expect(value).toBeCloseTo(expected[i] as number, 0);
      });
    }
    expect(summary).toMatchObject({ cloud: { backboneBytes: 2e9 } });
  });
});
