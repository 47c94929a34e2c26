import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Cloud } from "../src/compute/cloud.js";
import { migrateVm } from "../src/compute/live-migration.js";
import { type FailureEvent, FailureInjector } from "../src/failures/failure-injector.js";
import { renewalFailures } from "../src/failures/failure-processes.js";
import { targetsOf } from "../src/failures/failure-target.js";
import { findTarget, parseFtaTrace } from "../src/failures/failure-trace.js";
import { buildPlatform } from "../src/platform/build.js";
import { syntheticPlatform } from "../src/platform/synthetic.js";
import { runScenario } from "../src/run/run-scenario.js";
import { prepareVjobs } from "../src/run/vjobs-run.js";
import { ScenarioError, loadScenarioFile, validateScenario } from "../src/scenario/index.js";
import { RandomStreams, Simulation, exponential } from "../src/sim/index.js";
import { checkReferences } from "../src/scenario/references.js";
import { runningVm, testCloud, vmSpec } from "./cloud-fixture.js";

function bareCloud(hosts: number) {
  const sim = new Simulation();
  const cloud = new Cloud(
    sim,
    buildPlatform(syntheticPlatform({ sites: 2, hostsPerSite: hosts / 2 })),
  );
  return { sim, cloud, injector: new FailureInjector(cloud) };
}

describe("failure processes", () => {
  it("exponential up-times of mean M give duration x hosts / (M + mean down-time) failures", () => {
    // 20 hosts, up-time exponential of mean M = 10 h, down-time of mean D = 2 h, for T = 2,000 days.
    // Each host alternates up and down periods (a renewal process of cycle M + D = 12 h): about
    // T / (M + D) failures each, 80,000 in all. The count's variance per host is T x
    // (M^2 + D^2) / (M + D)^3 (cycle variance M^2 + D^2 for exponentials): sd of the total
    // sqrt(20 x 48e6 s x (100 + 4) h^2 / (12 h)^3) = 240.
    const H = 20;
    const M = 10 * 3600;
    const D = 2 * 3600;
    const T = 2000 * 86_400;
    const { sim, cloud, injector } = bareCloud(H);
    renewalFailures(
      injector,
      targetsOf(cloud.platform, "host"),
      exponential(M),
      exponential(D),
      new RandomStreams(5),
      "0",
    );
    sim.run({ until: T });
    const expected = (T * H) / (M + D);
    const sd = Math.sqrt((H * T * (M * M + D * D)) / (M + D) ** 3);
    expect(expected).toBeCloseTo(80_000, 6);
    expect(sd).toBeCloseTo(240, 0);
    expect(Math.abs(injector.failures.host - expected)).toBeLessThan(3 * sd);
  });

  it("a trace replays at exactly its times, whatever the seed", () => {
    // The whole run, with a Poisson workload whose arrivals do depend on the seed.
    const replay = (seed: number): string[] => {
      const scenario = validateScenario(
        {
          name: "trace",
          seed,
          duration: "1h",
          platform: { type: "synthetic", sites: 2, hostsPerSite: 2, cores: 4 },
          workload: {
            type: "vjobs",
            arrivals: {
              type: "poisson",
              count: 20,
              interarrival: "20s",
              work: { coreSeconds: 100 },
            },
          },
          failures: [{ type: "trace", file: "trace.csv" }],
        },
        "trace.yaml",
      );
      if (scenario.workload.type !== "vjobs") throw new Error("vjobs expected");
      const run = prepareVjobs(scenario, scenario.workload, {
        baseDir: "test/fixtures/failures",
        check: true,
      });
      run.sim.enableChecks();
      const seen: string[] = [];
      run.injector.changed.subscribe((e: FailureEvent) => {
        seen.push(`${e.time} ${e.target.kind}:${e.target.name} ${e.event}`);
      });
      run.sim.run({ until: 3600 });
      return seen;
    };
    const expected = [
      "10 host:s0h1 down",
      "25.5 host:s0h1 up",
      "60 site:s1 down",
      "120 site:s1 up",
      "120 link:backbone down",
      "150 cluster:c0 down",
      "180 link:backbone up",
    ];
    expect(replay(1)).toEqual(expected);
    expect(replay(2)).toEqual(expected);
  });

  it("reads the Failure Trace Archive's tabular events, times from the earliest start", () => {
    const { cloud } = bareCloud(4);
    const events = parseFtaTrace(
      "g5k.fta",
      readFileSync("test/fixtures/failures/g5k.fta", "utf8"),
      cloud.platform,
    );
    // Unavailabilities [1000, 1600) of node 1, [1300, 1400) of node 0, and a zero-length one of
    // node 3 at 2000 (down, never up again); shifted by the earliest start, 1000.
    expect(events.map((e) => `${e.time} ${e.target.name} ${e.event}`)).toEqual([
      "0 s0h1 down",
      "300 s0h0 down",
      "400 s0h0 up",
      "600 s0h1 up",
      "1000 s1h1 down",
    ]);
    expect(findTarget(cloud.platform, "cluster:c1")?.kind).toBe("cluster");
    expect(findTarget(cloud.platform, "nowhere")).toBeUndefined();
  });
});

describe("failure effects", () => {
  it("a site outage fails every VM of the site and every flow crossing its links, nothing else", () => {
    const { sim, cloud } = testCloud();
    const injector = new FailureInjector(cloud);
    const vms = [0, 1, 2, 3].map((host) => runningVm(sim, cloud, host, vmSpec(`vm${host}`)));
    const route = (a: number, b: number) => cloud.route(a, b);
    const inside0 = cloud.network.startFlow(route(0, 1), 1e9);
    const across = cloud.network.startFlow(route(0, 2), 1e9);
    const inside1 = cloud.network.startFlow(route(2, 3), 1e9);
    sim.run({ until: 1 });
    injector.down(targetsOf(cloud.platform, "site")[0] as ReturnType<typeof targetsOf>[number]);
    expect(vms.map((vm) => vm.state)).toEqual(["failed", "failed", "running", "running"]);
    expect([inside0.state, across.state, inside1.state]).toEqual(["failed", "failed", "active"]);
    expect(cloud.isHostUp(0) || cloud.isHostUp(1)).toBe(false);
    expect(cloud.isHostUp(2) && cloud.isHostUp(3)).toBe(true);
  });

  it("keeps a host down while any target covering it is down", () => {
    const { cloud } = testCloud();
    const injector = new FailureInjector(cloud);
    const target = (name: string) =>
      findTarget(cloud.platform, name) as ReturnType<typeof targetsOf>[number];
    // Host s0h0 fails, then its cluster c0; the host's repair comes during the cluster's outage:
    // it stays down until the cluster is back. The same for the site s1 and its host s1h0.
    injector.down(target("s0h0"));
    injector.down(target("cluster:c0"));
    injector.up(target("s0h0"));
    expect([cloud.isHostUp(0), cloud.isHostUp(1)]).toEqual([false, false]);
    injector.up(target("cluster:c0"));
    expect([cloud.isHostUp(0), cloud.isHostUp(1)]).toEqual([true, true]);
    injector.down(target("site:s1"));
    injector.down(target("s1h0"));
    injector.up(target("site:s1"));
    expect([cloud.isHostUp(2), cloud.isHostUp(3)]).toEqual([false, true]);
    injector.up(target("s1h0"));
    expect(cloud.isHostUp(2)).toBe(true);
  });

  it("a migration whose destination crashes leaves the VM on its source; whose source crashes loses it", () => {
    const { sim, cloud } = testCloud();
    const injector = new FailureInjector(cloud);
    const host = (name: string) =>
      findTarget(cloud.platform, name) as ReturnType<typeof targetsOf>[number];
    const a = runningVm(sim, cloud, 0, vmSpec("a"));
    const b = runningVm(sim, cloud, 2, vmSpec("b"));
    const toCrashed = migrateVm(cloud, a, 1);
    const fromCrashed = migrateVm(cloud, b, 3);
    sim.run({ until: 1 });
    injector.down(host("s0h1")); // a's destination
    injector.down(host("s1h0")); // b's source
    expect([toCrashed.state, a.state, a.host]).toEqual(["failed", "running", 0]);
    expect([fromCrashed.state, b.state]).toEqual(["failed", "failed"]);
    expect(cloud.freeMemory(3)).toBe(cloud.platform.hosts[3]?.memory);
  });

  it("without fault tolerance, a vjob that loses a VM starts over, and jobs.csv counts it", () => {
    // Boot 60 s, then 4 core-hours on 2 vCPUs: would run 60 s to 60 + 7,200 s. s0h0 crashes at
    // 1 h: (3,600 - 60) x 2 = 7,080 core-seconds lost. The job is resubmitted after the restart
    // delay (30 s) on s0h1 (s0h0 is down): boots until 3,690, runs 7,200 s, ends at 10,890 s.
    const out = mkdtempSync(join(tmpdir(), "skysim-restart-"));
    const scenario = loadScenarioFile("test/fixtures/failures/restart.yaml");
    const result = runScenario(scenario, {
      outDir: out,
      version: "t",
      check: true,
      baseDir: "test/fixtures/failures",
    });
    const rows = readFileSync(join(out, "jobs.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe(
      "vjob,submit,start,end,vms,hosts,state,restarts,restores,crossSiteMoves,lostCoreSeconds,snapshots,snapshotsFailed,snapshotSeconds,snapshotBytes,inflation,constraintViolationSeconds",
    );
    // No snapshots without fault tolerance; restarted on the same site (s0h1); no inflation
    // (the failure-free run was not asked for).
    // No constraint either: an empty last cell.
    expect(rows[1]).toBe("a,0,0,10890,1,s0h1,done,1,0,0,7080,0,0,0,0,,");
    expect(result.summary).toMatchObject({
      vjobs: { restarts: 1, lostCoreSeconds: 7080, finished: 1 },
      failures: { failures: { host: 1 }, vmsLost: 1 },
    });
    // s0h0 was down 2 h of 8 h: site s0 (2 hosts) was up (2 x 8 - 2) / (2 x 8) = 87.5% of the time.
    expect(result.summary.failures).toMatchObject({ availability: { s0: 0.875 } });
  });

  it("jobs wait while their image store is down, and start when it is back", () => {
    // Store s0h0 down from 0 to 1 h; the job (submitted at 10 s) waits, then boots at 3,600 s on
    // s0h0 (first fit, up again): the 1 GB image crosses one 1.25 GB/s NIC in 0.8 s, then 600
    // core-seconds on its 1 vCPU: it ends at 3,600 + 0.8 + 600 = 4,200.8 s.
    const out = mkdtempSync(join(tmpdir(), "skysim-store-"));
    const scenario = loadScenarioFile("test/fixtures/failures/store-down.yaml");
    runScenario(scenario, { outDir: out, version: "t", baseDir: "test/fixtures/failures" });
    const row = readFileSync(join(out, "jobs.csv"), "utf8").trim().split("\n")[1]?.split(",");
    expect(row?.slice(0, 4).map(Number)).toEqual([Number.NaN, 10, 3600, 4200.8]);
    expect(row?.slice(6, 11)).toEqual(["done", "0", "0", "0", "0"]);
  });

  it("reports each vjob's inflation over the failure-free run when asked", () => {
    // The same job without the crash ends at 60 + 7,200 = 7,260 s: inflation 10,890 / 7,260 = 1.5.
    const out = mkdtempSync(join(tmpdir(), "skysim-inflation-"));
    const scenario = loadScenarioFile("test/fixtures/failures/restart.yaml");
    const result = runScenario(
      { ...scenario, output: { ...scenario.output, failureFree: true } },
      { outDir: out, version: "t", baseDir: "test/fixtures/failures" },
    );
    const row = readFileSync(join(out, "jobs.csv"), "utf8").trim().split("\n")[1]?.split(",");
    // inflation is the column before the (empty) constraints' one.
    expect(Number(row?.at(-2))).toBeCloseTo(10_890 / 7260, 12);
    expect(result.summary).toMatchObject({
      vjobs: { inflation: { mean: 10_890 / 7260, max: 10_890 / 7260 } },
    });
  });

  it("a job whose boot cannot succeed retries after each restart delay, not in a loop", () => {
    // Its home site s1 is cut off from the image store (s0h0) by the s1 uplink, down throughout:
    // every boot fails at once. Attempts at 10 s, then every 30 s: 10 + 30k <= 600 for k = 0..19,
    // 20 attempts; a restart counts when the failure is noticed, 30 s later, so the one at 580 s
    // would count at 610 s, after the end: 19 restarts.
    const scenario = validateScenario(
      {
        name: "cut-off",
        duration: "10min",
        platform: { type: "synthetic", sites: 2, hostsPerSite: 2, cores: 4 },
        workload: {
          type: "vjobs",
          arrivals: {
            type: "list",
            jobs: [{ name: "a", submit: "10s", homeSite: "s1", work: { coreSeconds: 60 } }],
          },
          boot: { delay: 0, imageStore: "s0h0" },
        },
        failures: [
          {
            type: "renewal",
            targets: { kind: "link", names: ["site1-up"] },
            up: { type: "fixed", value: 0 },
          },
        ],
      },
      "cut-off.yaml",
    );
    const out = mkdtempSync(join(tmpdir(), "skysim-cutoff-"));
    const result = runScenario(scenario, { outDir: out, version: "t" });
    expect(result.summary).toMatchObject({ vjobs: { restarts: 19, finished: 0 } });
  });

  it("names targets and trace files that do not exist", () => {
    const scenario = validateScenario(
      {
        name: "x",
        duration: "1h",
        platform: { type: "synthetic" },
        workload: { type: "vjobs", arrivals: { type: "poisson", count: 1, interarrival: "1min" } },
        failures: [
          { type: "renewal", targets: { kind: "cluster", names: ["c9"] }, preset: "g5k06-weibull" },
          { type: "trace", file: "missing.csv" },
        ],
      },
      "x.yaml",
    );
    let error: unknown;
    try {
      checkReferences(scenario, "x.yaml", "test/fixtures/failures");
    } catch (caught) {
      error = caught;
    }
    expect((error as ScenarioError).problems).toEqual([
      { path: "failures[0].targets", message: 'expected names of the platform, got "cluster c9"' },
      { path: "failures[1].file", message: "expected a readable failure trace, got no such file" },
    ]);
  });
});
