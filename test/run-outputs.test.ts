import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CsvFile } from "../src/output/csv-file.js";
import { RunOutputs } from "../src/run/run-outputs.js";
import { prepareVjobs } from "../src/run/vjobs-run.js";
import { runScenario } from "../src/run/run-scenario.js";
import { loadScenarioFile, validateScenario } from "../src/scenario/index.js";
import type { Scenario } from "../src/scenario/schema.js";
import type { VjobsWorkload } from "../src/scenario/vjobs-section.js";

describe("streamed CSV files", () => {
  it("write the header once, rows in chunks, and appear only on commit", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-csv-"));
    const table = new CsvFile(join(dir, "t.csv"), ["a", "b"], 3);
    for (let i = 0; i < 7; i++) table.write([i, `x${i}`]);
    expect(readdirSync(dir)).toEqual([".t.csv.partial"]);
    table.finish();
    table.publish();
    expect(readdirSync(dir)).toEqual(["t.csv"]);
    const lines = readFileSync(join(dir, "t.csv"), "utf8").trim().split("\n");
    expect(lines).toEqual(["a,b", ...Array.from({ length: 7 }, (_, i) => `${i},x${i}`)]);
    const empty = new CsvFile(join(dir, "empty.csv"), ["a", "b"]);
    empty.finish();
    empty.publish();
    expect(readFileSync(join(dir, "empty.csv"), "utf8")).toBe("a,b\n");
  });

  it("a run that fails leaves no file behind, and no folder it created", () => {
    const parent = mkdtempSync(join(tmpdir(), "skysim-abort-"));
    const outputs = new RunOutputs(join(parent, "run"));
    outputs.table({ name: "timeseries", columns: ["time"], text: [] }).write([0]);
    outputs.text("summary.json", "{}");
    outputs.abort();
    expect(existsSync(join(parent, "run"))).toBe(false);
  });
});

describe("run outputs", () => {
  it("are byte-identical for the same scenario and seed, and differ for another seed", () => {
    const base = loadScenarioFile("scenarios/sky-vjobs.yaml");
    const traced = { ...base, output: { ...base.output, trace: "events" as const } };
    const run = (seed: number) => {
      const dir = mkdtempSync(join(tmpdir(), "skysim-same-"));
      runScenario({ ...traced, seed }, { outDir: dir, version: "test" });
      return Object.fromEntries(
        readdirSync(dir)
          .sort()
          .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
      );
    };
    const first = run(7);
    expect(Object.keys(first)).toEqual([
      "events.csv",
      "jobs.csv",
      "summary.json",
      "timeseries.csv",
    ]);
    expect(run(7)).toEqual(first);
    const other = run(8);
    for (const name of Object.keys(first)) expect(other[name]).not.toBe(first[name]);
  });

  it("replace an earlier run's in the folder: a table this run does not write goes with it", () => {
    // Traced, then not: the second run's summary.json never sits beside the first's events.csv.
    const base = loadScenarioFile("scenarios/sky-vjobs.yaml");
    const dir = mkdtempSync(join(tmpdir(), "skysim-replace-"));
    runScenario({ ...base, output: { ...base.output, trace: "events" } }, { outDir: dir });
    expect(readdirSync(dir)).toContain("events.csv");
    const { files } = runScenario(base, { outDir: dir });
    expect(readdirSync(dir).sort()).toEqual(["jobs.csv", "summary.json", "timeseries.csv"]);
    expect(files.map((file) => file.slice(dir.length + 1)).sort()).toEqual(readdirSync(dir).sort());
  });

  it("are byte-identical with policies on: random placement, each Entropy objective", () => {
    // The VMPlaceS setting at a quarter of its size, 20 minutes.
    const base = loadScenarioFile("scenarios/consolidation-vmplaces.yaml");
    const platform = { ...base.platform, hostsPerSite: 16 } as typeof base.platform;
    const workload = base.workload as VjobsWorkload;
    for (const objective of ["consolidate", "balance", "repair", "context-switch"] as const) {
      const scenario: Scenario = {
        ...base,
        duration: 1200,
        platform,
        workload: { ...workload, arrivals: { ...workload.arrivals, count: 160 } as never },
        policies: {
          ...base.policies,
          placement: { name: "random", vcpusPerCore: 2 },
          consolidation: { ...base.policies.consolidation, objective, nodeBudget: 20_000 },
        },
        output: { ...base.output, trace: "events", charts: false },
      };
      const run = () => {
        const dir = mkdtempSync(join(tmpdir(), "skysim-policies-"));
        runScenario(scenario, { outDir: dir, version: "test" });
        return Object.fromEntries(
          readdirSync(dir)
            .sort()
            .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
        );
      };
      const first = run();
      expect(JSON.parse(first["summary.json"] ?? "{}"), objective).toMatchObject({
        consolidation: { policy: "entropy" },
      });
      expect(run(), objective).toEqual(first);
    }
  });

  it("are byte-identical with Saline, the sky policies and failures on", () => {
    // sky-saline.yaml (G5K06 failures, a site outage, Saline to a remote store, Entropy repair,
    // least-loaded sky flying vjobs) with 60 jobs over 10 hours.
    const base = loadScenarioFile("scenarios/sky-saline.yaml");
    const workload = base.workload as VjobsWorkload;
    const scenario: Scenario = {
      ...base,
      duration: 36_000,
      workload: { ...workload, arrivals: { ...workload.arrivals, count: 60 } as never },
      output: { ...base.output, trace: "events", charts: false },
    };
    const run = () => {
      const dir = mkdtempSync(join(tmpdir(), "skysim-saline-"));
      runScenario(scenario, { outDir: dir, version: "test", baseDir: "scenarios" });
      return Object.fromEntries(
        readdirSync(dir)
          .sort()
          .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
      );
    };
    const first = run();
    const summary = JSON.parse(first["summary.json"] ?? "{}") as {
      vjobs: { restores: number; snapshots: { stored: number } };
    };
    expect(summary.vjobs.restores).toBeGreaterThan(0);
    expect(summary.vjobs.snapshots.stored).toBeGreaterThan(0);
    expect(run()).toEqual(first);
  });

  it("are the same when the run reports its progress (it then runs in 100 slices)", () => {
    const scenario = loadScenarioFile("scenarios/sky-vjobs.yaml");
    const [plain, sliced] = [0, 1].map(() => mkdtempSync(join(tmpdir(), "skysim-progress-")));
    runScenario(scenario, { outDir: plain as string, version: "t" });
    const times: number[] = [];
    runScenario(scenario, {
      outDir: sliced as string,
      version: "t",
      onProgress: (time) => times.push(time),
    });
    expect(times).toHaveLength(100);
    expect(times[0]).toBe(864); // 1% of a day
    expect(times.at(-1)).toBe(86_400);
    for (const name of ["summary.json", "timeseries.csv", "jobs.csv"]) {
      expect(readFileSync(join(sliced as string, name), "utf8")).toBe(
        readFileSync(join(plain as string, name), "utf8"),
      );
    }
  });

  it("sample every site at each step, from 0 to the end", () => {
    const dir = mkdtempSync(join(tmpdir(), "skysim-ts-"));
    const scenario = loadScenarioFile("scenarios/sky-vjobs.yaml");
    runScenario(
      {
        ...scenario,
        output: { step: 3600, trace: "none", charts: false, format: "csv", failureFree: false },
      },
      { outDir: dir, version: "t" },
    );
    const rows = readFileSync(join(dir, "timeseries.csv"), "utf8").trim().split("\n").slice(1);
    // 1 day at 1 h: samples at 0, 1 h, ..., 24 h = 25 instants x 3 sites.
    expect(rows).toHaveLength(25 * 3);
    expect(rows.slice(0, 3).map((r) => r.split(",").slice(0, 2).join(","))).toEqual([
      "0,rennes",
      "0,nancy",
      "0,lyon",
    ]);
    expect(rows.at(-1)?.startsWith("86400,lyon,")).toBe(true);
  });
});

describe("cloud metrics", () => {
  it("integrate active hosts and energy by hand-computable steps", () => {
    // Two hosts of 4 cores at 1 Gf, linear power 100 W idle to 200 W full. One job, one VM of
    // 2 vCPUs at full load with 2 core-hours of work, no boot delay: it runs 0 to 1 h on host
    // s0h0 at utilisation 2/4. Over 2 h: host s0h0 draws 150 W for 1 h then 100 W, s0h1 100 W
    // throughout: 150 + 100 + 2 x 100 = 450 Wh = 0.45 kWh. Active: one host for 1 h.
    const scenario = validateScenario(
      {
        name: "energy",
        duration: "2h",
        platform: { type: "synthetic", sites: 1, hostsPerSite: 2, cores: 4, speed: "1Gf" },
        energy: { type: "linear", idle: 100, full: 200 },
        workload: {
          type: "vjobs",
          vm: { vcpus: 2 },
          arrivals: { type: "list", jobs: [{ name: "a", submit: 0, work: { coreSeconds: "2h" } }] },
          boot: { delay: 0 },
        },
      },
      "energy.yaml",
    );
    if (scenario.workload.type !== "vjobs") throw new Error("vjobs expected");
    const run = prepareVjobs(scenario, scenario.workload, { baseDir: ".", check: true });
    run.sim.enableChecks();
    run.sim.run({ until: 7200 });
    const summary = run.metrics.summarize(7200);
    expect(summary.energyKWh).toBeCloseTo(0.45, 12);
    expect(summary.activeHostHours).toBeCloseTo(1, 12);
    expect(summary.violationHostSeconds).toBe(0);
  });
});
