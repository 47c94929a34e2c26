import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../src/run/run-scenario.js";
import { validateScenario } from "../src/scenario/load.js";

/*
 * Three clouds (sites) of 2 hosts x 4 cores. Eight one-VM vjobs (2 vCPUs at full load, 2 GB)
 * have home s0, where placement allows 2 vCPUs per core: all eight fit on s0's 8 cores, asking
 * 16 cores, a load of 2. Two more have home s2 (load 4 / 8 = 0.5), none s1. The sky policy is
 * least-loaded, flying a site's vjobs when its load stays above 1 for 300 s, checked every 30 s.
 */
function run(move: "live-migration" | "snapshot") {
  const jobs = [
    ...Array.from({ length: 8 }, (_, i) => ({ name: `a${i}`, submit: 0, homeSite: "s0" })),
    ...Array.from({ length: 2 }, (_, i) => ({ name: `c${i}`, submit: 0, homeSite: "s2" })),
  ];
  const scenario = validateScenario(
    {
      name: "sky-relocation",
      duration: "1h",
      platform: {
        type: "synthetic",
        sites: 3,
        hostsPerSite: 2,
        cores: 4,
        memory: "16GB",
        backbone: { type: "shared", bandwidth: "10Gbps", latency: "5ms" },
      },
      workload: {
        type: "vjobs",
        vm: { vcpus: 2, memory: "2GB" },
        arrivals: { type: "list", jobs: jobs.map((job) => ({ ...job, duration: "2h" })) },
        boot: { delay: 10 },
      },
      policies: {
        placement: { name: "first-fit", vcpusPerCore: 2 },
        sky: { name: "least-loaded", overload: 1, after: "5min", move, period: 30 },
        faultTolerance: { name: "saline", period: "1h" },
      },
      output: { step: 60, charts: false },
    },
    "sky-relocation.yaml",
  );
  const out = mkdtempSync(join(tmpdir(), "skysim-sky-"));
  const result = runScenario(scenario, { outDir: out, version: "t", check: true });
  const [header, ...rows] = readFileSync(join(out, "timeseries.csv"), "utf8").trim().split("\n");
  const columns = (header ?? "").split(",");
  const table = rows.map((row) => {
    const cells = row.split(",");
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]));
  });
  return { summary: result.summary as unknown as Summary, table };
}

interface Summary {
  readonly cloud: { readonly backboneBytes: number; readonly migrations: { bytes: number } };
  readonly vjobs: { readonly crossSiteMoves: number };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe("sky relocation under overload", () => {
  it("flies vjobs to the least loaded cloud, and the backbone carries them", () => {
    const { summary, table } = run("live-migration");
    // s0 is overloaded from the first check after boot (30 s) and flies at 330 s: the least loaded
    // site is s1 (load 0 < 0.5), which takes vjobs while it stays at most 1 (8 cores): s0 must
    // shed 16 - 8 = 8 cores, four vjobs of 2 cores, all to s1 (0 + 4 x 2 = 8 <= 8).
    expect(summary.vjobs.crossSiteMoves).toBe(4);
    const at = (time: number, site: string) =>
      table.find((row) => Number(row.time) === time && row.site === site);
    expect([at(3600, "s0")?.vms, at(3600, "s1")?.vms, at(3600, "s2")?.vms]).toEqual([
      "4",
      "4",
      "2",
    ]);
    // Only migrations crossed the backbone, each through s0's and s1's uplinks: the column's
    // sums at s0 and at s1 are the bytes migrated, and s2's is 0.
    const bytes = (site: string) =>
      sum(table.filter((row) => row.site === site).map((row) => Number(row.backboneBytes)));
    const migrated = summary.cloud.migrations.bytes;
    // Four VMs of 2 GB (and whatever RAM they dirtied meanwhile, resent).
    expect(migrated).toBeGreaterThanOrEqual(4 * 2e9);
    expect(bytes("s0")).toBeCloseTo(migrated, 0);
    expect(bytes("s1")).toBeCloseTo(migrated, 0);
    expect(bytes("s2")).toBe(0);
    expect(summary.cloud.backboneBytes).toBeCloseTo(migrated, 0);
    // They moved in the step that holds 330 s (sampled at 360 s).
    expect(Number(at(360, "s0")?.backboneBytes)).toBeGreaterThan(0);
    expect(Number(at(300, "s0")?.backboneBytes)).toBe(0);
  });

  it("or by a snapshot stored on the new site and restored there", () => {
    const { summary, table } = run("snapshot");
    expect(summary.vjobs.crossSiteMoves).toBe(4);
    expect(summary.cloud.migrations.bytes).toBe(0);
    const at = (site: string) =>
      table.find((row) => Number(row.time) === 3600 && row.site === site);
    expect([at("s0")?.vms, at("s1")?.vms, at("s2")?.vms]).toEqual(["4", "4", "2"]);
    // Each image (2 GB of RAM) crossed the backbone once, from s0 to s1's store.
    expect(summary.cloud.backboneBytes).toBeCloseTo(4 * 2e9, 0);
  });
});
