import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConsolidationPolicy } from "../src/policies/consolidation/consolidation-policy.js";
import type { Placement } from "../src/policies/placement/placement.js";
import { SALINE_FIXTURES, salineScenario } from "./saline-fixture.js";
import { migrateVm } from "../src/compute/live-migration.js";
import { prepareRun, runScenario } from "../src/run/run-scenario.js";
import {
  CONSOLIDATIONS,
  failingPlatformRun,
  faultToleranceArb,
  jobsArb,
  listed,
  placementArb,
  runChecked,
} from "./checked-run.js";
import { SteppedRun } from "../src/run/stepped-run.js";
import type { VjobsRun } from "../src/run/vjobs-run.js";
import { checkedScenario, loadScenarioFile } from "../src/scenario/load.js";
import { ScenarioError } from "../src/scenario/problems.js";

/**
 * Two sites s0 and s1 of 3 hosts (4 cores, 16 GB each); VMs of 2 vCPUs and 2 GB, each with an
 * hour of core-seconds of work at full load (1,800 s on its 2 vCPUs), booting at once; first-fit
 * (home site s0 first, hosts in id order) unless a constraint says otherwise.
 */
function scenario(
  jobs: { name: string; vms: number; submit?: number; work?: { coreSeconds: string } }[],
  constraints: unknown[],
) {
  return checkedScenario(
    {
      name: "constraints",
      duration: "2h",
      platform: { type: "synthetic", sites: 2, hostsPerSite: 3, cores: 4, memory: "16GB" },
      workload: {
        type: "vjobs",
        vm: { vcpus: 2, memory: "2GB" },
        arrivals: {
          type: "list",
          jobs: jobs.map((job) => ({
            submit: 0,
            homeSite: "s0",
            work: { coreSeconds: "1h" },
            ...job,
          })),
        },
        boot: { delay: 0 },
      },
      constraints,
      output: { charts: false },
    },
    "constraints.yaml",
  );
}

/** Each vjob's hosts (by name) when it started, and its first start. */
function placements(jobs: Parameters<typeof scenario>[0], constraints: unknown[]) {
  const s = scenario(jobs, constraints);
  const run = prepareRun(s, { check: true }) as VjobsRun;
  const placed = new Map<string, { hosts: string[]; at: number }>();
  run.runner.vjobPlaced.subscribe((record) => {
    if (placed.has(record.spec.name)) return;
    const hosts = record.hosts.map((id) => run.cloud.platform.hosts[id]?.name ?? "");
    placed.set(record.spec.name, { hosts, at: run.sim.now });
  });
  run.sim.run({ until: s.duration });
  return { placed, summary: run.finish(s.duration).summary };
}

const J0 = [{ name: "j0", vms: 3 }];

/** A consolidation that swaps the hosts of the first two VMs at every decision. */
const SWAP_EVERY_TIME: ConsolidationPolicy = {
  name: "swap",
  decide: ({ configuration }) => ({
    target: configuration.vms.map((vm, i) => configuration.vms[1 - i]?.host ?? vm.host),
    computeTime: 0,
  }),
};

describe("placement constraints", () => {
  it("first-fit without constraint fills hosts in order", () => {
    // 3 VMs x 2 vCPUs = 6 vCPUs > 4 cores: first-fit at 1 vCPU per core puts 2 on s0h0, 1 on s0h1.
    expect(placements(J0, []).placed.get("j0")?.hosts).toEqual(["s0h0", "s0h0", "s0h1"]);
  });

  it("spread: each VM on its own host, or its own site", () => {
    const hosts = placements(J0, [{ type: "spread", vjobs: "each" }]);
    expect(hosts.placed.get("j0")?.hosts).toEqual(["s0h0", "s0h1", "s0h2"]);
    // Two VMs across sites: the home site's first host, then the next site's first.
    const sites = placements(
      [{ name: "j0", vms: 2 }],
      [{ type: "spread", vjobs: ["j0"], across: "site" }],
    );
    expect(sites.placed.get("j0")?.hosts).toEqual(["s0h0", "s1h0"]);
  });

  it("fence and ban: only the hosts named, never the hosts named", () => {
    const fenced = placements(J0, [{ type: "fence", vjobs: "each", sites: ["s1"] }]);
    expect(fenced.placed.get("j0")?.hosts).toEqual(["s1h0", "s1h0", "s1h1"]);
    const banned = placements(J0, [
      { type: "ban", vjobs: ["j0"], hosts: ["s0h0"], clusters: ["c1"] },
    ]);
    expect(banned.placed.get("j0")?.hosts).toEqual(["s0h1", "s0h1", "s0h2"]);
  });

  it("gather: all the VMs on one host, the first host that has room for them all", () => {
    // j0 (1 VM, 2 vCPUs) takes half of s0h0. j1's 2 VMs: first-fit puts the first on s0h0 (2
    // vCPUs left) and the second on s0h1; gathered, s0h0 cannot hold both: both on s0h1.
    const jobs = [
      { name: "j0", vms: 1 },
      { name: "j1", vms: 2 },
    ];
    expect(placements(jobs, []).placed.get("j1")?.hosts).toEqual(["s0h0", "s0h1"]);
    const gathered = placements(jobs, [{ type: "gather", vjobs: ["j1"] }]);
    expect(gathered.placed.get("j1")?.hosts).toEqual(["s0h1", "s0h1"]);
    expect(gathered.summary.constraints?.[0]).toMatchObject({ violations: 0 });
  });

  it("among: all the VMs in one site, the first that has room for them all", () => {
    // j0 (2 VMs) fills s0h0; j1 (4 VMs) spread over hosts would take s0h1, s0h2, then s1h0 and
    // s1h1; kept in one site too, s0 (2 hosts left) cannot hold it: it goes to s1.
    const jobs = [
      { name: "j0", vms: 2 },
      { name: "j1", vms: 4 },
    ];
    const spread = { type: "spread", vjobs: ["j1"] };
    expect(placements(jobs, [spread]).placed.get("j1")?.hosts).toEqual([
      "s0h1",
      "s0h2",
      "s1h0",
      "s1h1",
    ]);
    // 4 VMs on distinct hosts of one site of 3: never; validation says so.
    expect(() => placements(jobs, [spread, { type: "among", vjobs: ["j1"] }])).toThrow(
      "its 4 VMs cannot be spread over the hosts of one site (3 at most)",
    );
    const three = [
      { name: "j0", vms: 2 },
      { name: "j1", vms: 3 },
    ];
    const inOneSite = placements(three, [spread, { type: "among", vjobs: ["j1"] }]);
    expect(inOneSite.placed.get("j1")?.hosts).toEqual(["s1h0", "s1h1", "s1h2"]);
    expect(inOneSite.summary.constraints).toEqual([
      { constraint: 0, type: "spread", violations: 0, violationSeconds: 0 },
      { constraint: 1, type: "among", violations: 0, violationSeconds: 0 },
    ]);
  });

  it("lonely: no other vjob's VM on a lonely vjob's hosts, either way; a group's own may share", () => {
    // j0's 2 VMs fill s0h0 (2 x 2 vCPUs on 4 cores). Without constraint j1 goes to s0h1 and j2
    // joins it there (room for one more). With j1 lonely, j2 may not join it: s0h2. With the
    // group [j1, j2] lonely, they may share s0h1.
    const jobs = [
      { name: "j0", vms: 2 },
      { name: "j1", vms: 1 },
      { name: "j2", vms: 1 },
    ];
    const hosts = (constraints: unknown[]) => {
      const { placed } = placements(jobs, constraints);
      return ["j0", "j1", "j2"].map((name) => placed.get(name)?.hosts);
    };
    expect(hosts([])).toEqual([["s0h0", "s0h0"], ["s0h1"], ["s0h1"]]);
    expect(hosts([{ type: "lonely", vjobs: ["j1"] }])).toEqual([
      ["s0h0", "s0h0"],
      ["s0h1"],
      ["s0h2"],
    ]);
    expect(hosts([{ type: "lonely", vjobs: ["j1", "j2"] }])).toEqual([
      ["s0h0", "s0h0"],
      ["s0h1"],
      ["s0h1"],
    ]);
    // j1 lonely and first, j0's VMs may not join it: j1 alone on s0h0, j0 on s0h1.
    const first = placements(
      [
        { name: "j1", vms: 1, submit: 0 },
        { name: "j0", vms: 2, submit: 60 },
      ],
      [{ type: "lonely", vjobs: ["j1"] }],
    ).placed;
    expect([first.get("j1")?.hosts, first.get("j0")?.hosts]).toEqual([["s0h0"], ["s0h1", "s0h1"]]);
  });

  it("quarantine: no VM lands on its hosts while it lasts; they take VMs again after", () => {
    // s0h0 in quarantine from the start: first-fit fills s0h1 (2 VMs), then s0h2.
    expect(
      placements(J0, [{ type: "quarantine", hosts: ["s0h0"] }]).placed.get("j0")?.hosts,
    ).toEqual(["s0h1", "s0h1", "s0h2"]);
    // From 600 s to 1,200 s: j0 (at 0) takes s0h0; j1 (at 900) goes to s0h1 though s0h0 has
    // room; j2 (at 1,300) takes s0h0 again.
    const { placed } = placements(
      [
        { name: "j0", vms: 1, submit: 0 },
        { name: "j1", vms: 1, submit: 900 },
        { name: "j2", vms: 1, submit: 1300 },
      ],
      [{ type: "quarantine", hosts: ["s0h0"], from: "10min", until: "20min" }],
    );
    expect(["j0", "j1", "j2"].map((name) => placed.get(name)?.hosts)).toEqual([
      ["s0h0"],
      ["s0h1"],
      ["s0h0"],
    ]);
  });

  it("quarantine: measures a VM landing on its hosts while it lasts, until it ends", () => {
    // A placement that ignores the constraints puts every VM on s0h0, in quarantine from 600 s
    // to 1,200 s: j0 (at 0) was there before, j1 (at 900 s) lands during it: broken from 900 s
    // to the quarantine's end, 300 s. With the model's checks on, the run stops there.
    const naive: Placement = { name: "naive", place: (_view, vms) => vms.map(() => 0) };
    const s = scenario(
      [
        { name: "j0", vms: 1 },
        { name: "j1", vms: 1, submit: 900 },
      ],
      [{ type: "quarantine", hosts: ["s0h0"], from: "10min", until: "20min" }],
    );
    const run = prepareRun(s, { policies: { placement: naive } });
    run.sim.run({ until: s.duration });
    expect(run.finish(s.duration).summary.constraints).toEqual([
      { constraint: 0, type: "quarantine", violations: 1, violationSeconds: 1200 - 900 },
    ]);
    const checked = prepareRun(s, { check: true, policies: { placement: naive } });
    expect(() => {
      checked.sim.run({ until: s.duration });
    }).toThrow(/constraint #0 \(quarantine, continuous\) of j1 broken since 900 s/);
  });

  it("split: groups of vjobs never share a host, a group's own vjobs may", () => {
    // Three one-VM vjobs of 2 vCPUs: first-fit puts j0 and j1 on s0h0, j2 on s0h1. Split into
    // [j0] and [j1, j2]: j1 and j2 avoid j0's s0h0 and share s0h1.
    const jobs = ["j0", "j1", "j2"].map((name) => ({ name, vms: 1 }));
    const free = placements(jobs, []).placed;
    expect(["j0", "j1", "j2"].map((name) => free.get(name)?.hosts[0])).toEqual([
      "s0h0",
      "s0h0",
      "s0h1",
    ]);
    const split = placements(jobs, [{ type: "split", groups: [["j0"], ["j1", "j2"]] }]);
    expect(["j0", "j1", "j2"].map((name) => split.placed.get(name)?.hosts[0])).toEqual([
      "s0h0",
      "s0h1",
      "s0h1",
    ]);
    expect(split.summary.constraints).toEqual([
      { constraint: 0, type: "split", violations: 0, violationSeconds: 0 },
    ]);
  });

  it("a group spread keeps the group's vjobs off each other's hosts", () => {
    const jobs = [
      { name: "j0", vms: 2 },
      { name: "j1", vms: 2 },
    ];
    const { placed, summary } = placements(jobs, [{ type: "spread", vjobs: ["j0", "j1"] }]);
    expect(placed.get("j0")?.hosts).toEqual(["s0h0", "s0h1"]);
    expect(placed.get("j1")?.hosts).toEqual(["s0h2", "s1h0"]);
    expect(summary.constraints).toEqual([
      { constraint: 0, type: "spread", violations: 0, violationSeconds: 0 },
    ]);
  });

  it("wait keeps a vjob waiting for room that keeps its constraint; allow starts it, counted", () => {
    // j0 (2 VMs, no constraint) fills s0h0 (4 vCPUs) from 0 to 1,800 s. j1 (1 VM) is fenced to
    // s0h0: waiting, it starts when j0 ends, at 1,800 s; allowed, it starts at 0 on s0h1 and is
    // in violation for its whole run, 1,800 s.
    const jobs = [
      { name: "j0", vms: 2 },
      { name: "j1", vms: 1 },
    ];
    const fence = { type: "fence", vjobs: ["j1"], hosts: ["s0h0"] };
    const waiting = placements(jobs, [fence]);
    expect(waiting.placed.get("j1")).toEqual({ hosts: ["s0h0"], at: 1800 });
    expect(waiting.summary.constraints?.[0]).toMatchObject({ violations: 0, violationSeconds: 0 });
    const allowed = placements(jobs, [{ ...fence, onViolation: "allow" }]);
    expect(allowed.placed.get("j1")).toEqual({ hosts: ["s0h1"], at: 0 });
    expect(allowed.summary.constraints?.[0]).toEqual({
      constraint: 0,
      type: "fence",
      violations: 1,
      violationSeconds: 1800,
    });
  });

  it("writes each vjob's violation seconds in jobs.csv and each change in events.csv", () => {
    // The allowed fence of the test above: j1 in violation from 0 to 1,800 s.
    const s = scenario(
      [
        { name: "j0", vms: 2 },
        { name: "j1", vms: 1 },
      ],
      [{ type: "fence", vjobs: ["j1"], hosts: ["s0h0"], onViolation: "allow" }],
    );
    const dir = mkdtempSync(join(tmpdir(), "skysim-constraints-"));
    runScenario({ ...s, output: { ...s.output, trace: "events" } }, { outDir: dir });
    const jobs = readFileSync(join(dir, "jobs.csv"), "utf8").trim().split("\n");
    expect(jobs[0]?.endsWith(",constraintViolationSeconds")).toBe(true);
    expect(jobs.slice(1).map((row) => [row.split(",")[0], row.split(",").at(-1)])).toEqual([
      ["j0", "0"],
      ["j1", "1800"],
    ]);
    const events = readFileSync(join(dir, "events.csv"), "utf8").trim().split("\n");
    expect(events.filter((row) => row.includes(",constraint,"))).toEqual([
      "0,constraint,j1,broken #0 fence,",
      "1800,constraint,j1,kept #0 fence,",
    ]);
  });

  /** j0's 2 VMs spread on s0h0 and s0h1, and a consolidation deciding every 30 s. */
  function spreadPair(holds: "continuous" | "discrete" = "continuous", more: unknown[] = []) {
    const base = scenario(
      [{ name: "j0", vms: 2 }],
      [{ type: "spread", vjobs: "each", holds }, ...more],
    );
    return {
      ...base,
      policies: { ...base.policies, consolidation: { ...base.policies.consolidation, period: 30 } },
    };
  }

  it("a consolidation cannot move a VM into violation: the move is undone", () => {
    // An agent moves the second VM onto the first's host at every decision: the spread would
    // break, so the move is undone and no plan runs.
    const together: ConsolidationPolicy = {
      name: "together",
      decide: ({ configuration }) => ({
        target: configuration.vms.map((vm) => configuration.vms[0]?.host ?? vm.host),
        computeTime: 0,
      }),
    };
    const run = SteppedRun.start(spreadPair(), { consolidation: together });
    expect(run.nextDecision()?.plan.migrations).toBe(0);
    const summary = run.finish();
    expect(summary.cloud?.migrations.completed).toBe(0);
    expect(summary.constraints?.[0]).toMatchObject({ violations: 0, violationSeconds: 0 });
  });

  it("root: a consolidation never migrates a rooted VM", () => {
    // The swap of the next test, on a vjob whose VMs are rooted: both moves are undone.
    const base = scenario([{ name: "j0", vms: 2 }], [{ type: "root", vjobs: "each" }]);
    const s = {
      ...base,
      policies: { ...base.policies, consolidation: { ...base.policies.consolidation, period: 30 } },
    };
    const run = SteppedRun.start(s, { consolidation: SWAP_EVERY_TIME });
    expect(run.nextDecision()?.plan.migrations).toBe(0);
    expect(run.finish().constraints?.[0]).toMatchObject({ violations: 0, violationSeconds: 0 });
  });

  /** A consolidation that swaps j0's two VMs at its first decision, then leaves them. */
  function swapOnce(): ConsolidationPolicy {
    let decided = false;
    return {
      name: "swap",
      decide: ({ configuration }) => {
        const [a, b] = configuration.vms;
        const target = configuration.vms.map((vm) => vm.host);
        if (!decided && a !== undefined && b !== undefined) {
          target[a.id] = b.host;
          target[b.id] = a.host;
        }
        decided = true;
        return { target, computeTime: 0 };
      },
    };
  }

  it("quarantine: measures a VM migrated off its hosts by other means, a violation of no duration", () => {
    // j0's VM runs on s0h0, in quarantine from 600 s; at 900 s something outside the policies
    // (a library user's code) migrates it to s0h1: one violation, 0 s; with the checks on, the
    // run stops there, naming the VM.
    const s = scenario(
      [{ name: "j0", vms: 1 }],
      [{ type: "quarantine", hosts: ["s0h0"], from: "10min" }],
    );
    const moved = (check: boolean) => {
      const run = prepareRun(s, { check }) as VjobsRun;
      run.sim.scheduleAt(900, () => {
        const [vm] = run.cloud.liveVms();
        if (vm !== undefined) migrateVm(run.cloud, vm, 1);
      });
      run.sim.run({ until: s.duration });
      return run.finish(s.duration).summary.constraints;
    };
    expect(moved(false)).toEqual([
      { constraint: 0, type: "quarantine", violations: 1, violationSeconds: 0 },
    ]);
    expect(() => moved(true)).toThrow(
      /constraint #0 \(quarantine\): VM j0-vm0 of j0 left s0h0 at 900 s/,
    );
  });

  it("quarantine: a consolidation moves nothing onto or off its hosts while it lasts", () => {
    // j0's VMs placed at 0 on s0h0 and s0h1 (spread); s0h1 in quarantine from 10 s to 45 s. An
    // agent swaps them at every decision (30 s, 60 s, ...): at 30 s both moves touch s0h1,
    // undone; at 60 s the swap runs (a continuous spread: through a pivot, three migrations).
    const s = spreadPair("continuous", [
      { type: "quarantine", hosts: ["s0h1"], from: "10s", until: "45s" },
    ]);
    const run = SteppedRun.start(s, { consolidation: SWAP_EVERY_TIME });
    expect(run.nextDecision()?.plan.migrations).toBe(0);
    expect(run.nextDecision()?.plan.migrations).toBe(3);
    expect(run.finish().constraints?.[1]).toMatchObject({ violations: 0, violationSeconds: 0 });
  });

  it("a swap that keeps a discrete spread once done breaks it while both VMs migrate, measured", () => {
    // At the first decision (30 s) an agent swaps the two VMs: the target keeps the spread, so
    // it runs in one pool; while they migrate each VM occupies both hosts, so the spread is
    // broken from the migrations' start (30 s, no compute time) until the last one ends.
    const s = spreadPair("discrete");
    const run = prepareRun(s, { policies: { consolidation: swapOnce() } }) as VjobsRun;
    const ends: number[] = [];
    run.cloud.migrationEnded.subscribe((m) => ends.push(m.end));
    run.sim.run({ until: s.duration });
    const summary = run.finish(s.duration).summary;
    expect(ends).toHaveLength(2);
    expect(summary.constraints).toEqual([
      { constraint: 0, type: "spread", violations: 1, violationSeconds: Math.max(...ends) - 30 },
    ]);
  });

  it("a swap under a continuous spread goes through a pivot host, one move at a time", () => {
    // VM 0 on s0h0 (host 0), VM 1 on s0h1 (host 1). Neither may arrive while the other is on its
    // target: the cycle 0 <-> 1 is stuck, so the cheapest VM (equal memory: the smaller id, 0)
    // bypasses to the roomiest other host (all equal: the smallest id, 2). Then VM 1 may go to
    // host 0 (VM 0 has left it), and once it has left host 1, VM 0 goes there.
    const run = SteppedRun.start(spreadPair("continuous"), { consolidation: swapOnce() });
    const plan = run.nextDecision()?.plan;
    expect(plan?.pools).toEqual([
      [{ kind: "migrate", vm: 0, from: 0, to: 2 }],
      [{ kind: "migrate", vm: 1, from: 1, to: 0 }],
      [{ kind: "migrate", vm: 0, from: 2, to: 1 }],
    ]);
    expect(plan?.bypasses).toBe(1);
    const summary = run.finish();
    expect(summary.cloud?.migrations.completed).toBe(3);
    expect(summary.constraints?.[0]).toMatchObject({ violations: 0, violationSeconds: 0 });
  });

  it("measures a lonely vjob's violation when another vjob's VM lands on its host, until it leaves", () => {
    // A placement that ignores the constraints puts every VM on s0h0: j1 (submitted at 600 s,
    // 30 core-minutes on its 2 vCPUs: 900 s) shares lonely j0's host from 600 s to 1,500 s.
    // j1 is not lonely: the monitor sees j0 broken through the host they share, and kept again
    // when j1's VM stops.
    const naive: Placement = { name: "naive", place: (_view, vms) => vms.map(() => 0) };
    const s = scenario(
      [
        { name: "j0", vms: 1 },
        { name: "j1", vms: 1, submit: 600, work: { coreSeconds: "30min" } },
      ],
      [{ type: "lonely", vjobs: ["j0"] }],
    );
    const run = prepareRun(s, { policies: { placement: naive } });
    run.sim.run({ until: s.duration });
    expect(run.finish(s.duration).summary.constraints).toEqual([
      { constraint: 0, type: "lonely", violations: 1, violationSeconds: 1500 - 600 },
    ]);
  });

  it("--check stops a run at a placement that ignores the constraints", () => {
    // A user placement that never asks CloudView.admits puts j0 on the banned s0h0: with the
    // model's checks on, the run stops at that event, naming the constraint.
    const naive: Placement = { name: "naive", place: (_view, vms) => vms.map(() => 0) };
    const s = scenario([{ name: "j0", vms: 1 }], [{ type: "ban", vjobs: "each", hosts: ["s0h0"] }]);
    const checked = prepareRun(s, { check: true, policies: { placement: naive } });
    expect(() => {
      checked.sim.run({ until: s.duration });
    }).toThrow(/constraint #0 \(ban, discrete\) of j0 broken since 0 s, no plan under way/);
    // Without checks it runs, and the violation is counted.
    const run = prepareRun(s, { policies: { placement: naive } });
    run.sim.run({ until: s.duration });
    expect(run.finish(s.duration).summary.constraints?.[0]).toMatchObject({ violations: 1 });
  });

  it("refuses unknown names, empty fences, and constraints no placement can meet, each with its path", () => {
    const problems = (constraints: unknown[], jobs = J0) => {
      try {
        scenario(jobs, constraints);
        return [];
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        return error.problems.map((p) => `${p.path}: ${p.message}`);
      }
    };
    expect(problems([{ type: "fence", vjobs: "each", sites: ["s9"] }])).toEqual([
      'constraints[0].sites[0]: expected a site of the platform, got "s9"',
    ]);
    expect(problems([{ type: "ban", vjobs: ["j7"], hosts: ["s0h0"] }])).toEqual([
      'constraints[0].vjobs[0]: expected a vjob (or a replicated service) of the workload, got "j7"',
    ]);
    expect(problems([{ type: "split", groups: [["j0"], ["j9", "j0"]] }])).toEqual([
      'constraints[0].groups[1][0]: expected a vjob (or a replicated service) of the workload, got "j9"',
      "constraints[0].groups[1][1]: expected j0 in one group, got it in groups 0 and 1 too",
    ]);
    expect(problems([{ type: "fence", vjobs: "each" }])).toEqual([
      "constraints[0]: expected hosts, clusters or sites to fence, got none",
    ]);
    // vjobs is "each" or a list: both named, in our words (was zod's "Invalid input, got nothing").
    expect(problems([{ type: "gather" }])).toEqual([
      'constraints[0].vjobs: expected "each" or a list, got nothing (this field is required)',
    ]);
    expect(problems([{ type: "gather", vjobs: "all" }])).toEqual([
      'constraints[0].vjobs: expected "each" or a list, got "all"',
    ]);
    expect(problems([{ type: "spread", vjobs: "each", across: "site" }])).toEqual([
      "constraints: expected room for vjob j0: its 3 VMs cannot be spread over the 2 sites its fences and bans admit",
    ]);
    expect(
      problems([
        { type: "spread", vjobs: "each" },
        { type: "fence", vjobs: ["j0"], hosts: ["s0h0", "s0h1"] },
      ]),
    ).toEqual([
      "constraints: expected room for vjob j0: its 3 VMs cannot be spread over the 2 hosts its fences and bans admit",
    ]);
    expect(
      problems([
        { type: "gather", vjobs: "each" },
        { type: "spread", vjobs: "each" },
      ]),
    ).toEqual([
      "constraints: expected room for vjob j0: its 3 VMs cannot be both gathered on one host and spread",
    ]);
    const pair = [
      { name: "j0", vms: 1 },
      { name: "j1", vms: 1 },
    ];
    expect(
      problems(
        [
          { type: "gather", vjobs: ["j0", "j1"] },
          { type: "spread", vjobs: ["j1", "j0"], across: "site" },
        ],
        pair,
      ),
    ).toEqual([
      "constraints[1]: expected VMs that can be spread, got VMs that constraints[0] gathers (j0, j1)",
    ]);
    // Allowed to break, it may start anyway: no problem.
    expect(
      problems([{ type: "spread", vjobs: "each", across: "site", onViolation: "allow" }]),
    ).toEqual([]);
  });
});

describe("constraints in a whole run", () => {
  it("are reported in the summary and the same twice", () => {
    const s = scenario(
      [
        { name: "j0", vms: 2 },
        { name: "j1", vms: 2 },
      ],
      [{ type: "spread", vjobs: "each", across: "site" }],
    );
    const first = runScenario(s).summary;
    expect(first.constraints).toEqual([
      { constraint: 0, type: "spread", violations: 0, violationSeconds: 0 },
    ]);
    expect(runScenario(s).summary).toEqual(first);
  });
});

/** Quarantines for the property tests: a host from the start, another from 30 min, a site a while. */
const quarantineArb = fc.constantFrom(
  { type: "quarantine", hosts: ["s0h0"] },
  { type: "quarantine", hosts: ["s1h0"], from: "30min" },
  { type: "quarantine", sites: ["s0"], from: "10min", until: "40min" },
);

/**
 * Runs a random scenario document with the model's checks on (which stop a run at a waiting
 * constraint broken while none of its VMs migrates) and expects no violation of any constraint.
 * A document validation refuses (a constraint no placement could meet, a name of a third site)
 * is fine: nothing to run.
 */
function expectNoViolation(document: object): void {
  for (const kept of runChecked(document)?.constraints ?? []) {
    expect(kept, JSON.stringify(document)).toMatchObject({ violations: 0 });
  }
}

describe("constraints honoured by every built-in placement (property)", () => {
  it("no constraint a placement is given is ever broken, at any event", () => {
    // Random small platforms and vjobs (arriving over time, some of them long), random spreads,
    // gathers, amongs, splits, roots, fences and bans that validation accepts (it refuses those no placement can meet), every
    // built-in placement; no consolidation, no failures: nothing else moves VMs, so any violation
    // the monitor measures is the placement's.
    const placementArb = fc.constantFrom(
      "first-fit",
      "best-fit",
      "worst-fit",
      "round-robin",
      "random",
    );
    const constraintArb = fc.oneof(
      fc.record({
        type: fc.constant("spread"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j0", "j1"], ["j1", "j2", "j3"]),
        across: fc.constantFrom("host", "site"),
      }),
      fc.record({
        type: fc.constantFrom("fence", "ban"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j0"], ["j2", "j3"]),
        sites: fc.constantFrom(["s0"], ["s1"], ["s0", "s1"]),
      }),
      fc.record({
        type: fc.constantFrom("gather", "root"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j1"], ["j2", "j3"]),
      }),
      fc.record({
        type: fc.constant("among"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j0", "j1"], ["j2"]),
        within: fc.constantFrom("site", "cluster"),
      }),
      fc.record({
        type: fc.constant("split"),
        groups: fc.constantFrom(
          [["j0"], ["j1", "j2"]],
          [
            ["j0", "j1"],
            ["j2", "j3"],
          ],
        ),
      }),
      fc.record({
        type: fc.constant("lonely"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j0"], ["j1", "j2"]),
      }),
      quarantineArb,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.record({
            vms: fc.integer({ min: 1, max: 3 }),
            submit: fc.integer({ min: 0, max: 3600 }),
          }),
          {
            minLength: 4,
            maxLength: 8,
          },
        ),
        fc.array(constraintArb, { minLength: 1, maxLength: 3 }),
        placementArb,
        fc.integer({ min: 1, max: 1000 }),
        (sites, hostsPerSite, jobs, constraints, placement, seed) => {
          const document = {
            name: "constraints-property",
            seed,
            duration: "3h",
            platform: { type: "synthetic", sites, hostsPerSite, cores: 4, memory: "16GB" },
            workload: {
              type: "vjobs",
              vm: { vcpus: 2, memory: "2GB" },
              arrivals: { type: "list", jobs: listed(jobs) },
              boot: { delay: 0 },
            },
            policies: { placement: { name: placement, vcpusPerCore: 1 } },
            constraints,
            output: { charts: false },
          };
          expectNoViolation(document);
        },
      ),
      { numRuns: 150, seed: 21 },
    );
  });
});

describe("constraints kept by every policy, through failures (property)", () => {
  it("no continuous constraint is broken at any event, no discrete one once its plans are done", () => {
    // Random small platforms whose hosts fail (exponential up times of 2 h, 10 min repairs),
    // vjobs with changing loads packed 2 vCPUs per core, constraints of every kind, continuous
    // or discrete (all `wait`), and random policies: placement, consolidation (Entropy
    // consolidating or repairing, FFD-lazy, FFD-repack, drain, energy-aware, none) and its
    // manager, fault tolerance, sky. The model's checks stop a run at the first event where a continuous
    // constraint is broken, or a discrete one while no plan is under way and none of its VMs
    // migrates; and no continuous one may be counted broken at all. The runs must have moved
    // VMs, lost some and restored some: else the property says little.
    const seen = { runs: 0, migrations: 0, vmsLost: 0, restores: 0 };
    const holdsArb = fc.constantFrom("continuous", "discrete");
    const constraintArb = fc.oneof(
      fc.record({
        type: fc.constant("spread"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j0", "j1"], ["j1", "j2", "j3"]),
        across: fc.constantFrom("host", "site"),
        holds: holdsArb,
      }),
      fc.record({
        type: fc.constantFrom("fence", "ban"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j0"], ["j2", "j3"]),
        hosts: fc.constantFrom(["s0h0"], ["s0h1", "s1h0"], ["s1h1"]),
        holds: holdsArb,
      }),
      fc.record({
        type: fc.constant("gather"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j1"], ["j2", "j3"]),
        holds: holdsArb,
      }),
      fc.record({
        type: fc.constant("root"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j1"], ["j2", "j3"]),
      }),
      fc.record({
        type: fc.constant("among"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j0", "j1"], ["j2"]),
        within: fc.constantFrom("site", "cluster"),
        holds: holdsArb,
      }),
      fc.record({
        type: fc.constant("split"),
        groups: fc.constantFrom(
          [["j0"], ["j1", "j2"]],
          [
            ["j0", "j1"],
            ["j2", "j3"],
          ],
        ),
        holds: holdsArb,
      }),
      fc.record({
        type: fc.constant("lonely"),
        vjobs: fc.constantFrom<"each" | string[]>("each", ["j0"], ["j1", "j2"]),
        holds: holdsArb,
      }),
      quarantineArb,
    );
    const policiesArb = fc.record({
      placement: placementArb,
      consolidation: fc
        .tuple(
          fc.constantFrom(...CONSOLIDATIONS),
          fc.constantFrom(
            { type: "centralised" },
            { type: "hierarchical", groupSize: 2 },
            { type: "distributed" },
          ),
          fc.constantFrom("site", "sky"),
        )
        .map(([policy, manager, scope]) => ({ ...policy, period: 60, manager, scope })),
      faultTolerance: faultToleranceArb,
      sky: fc.constantFrom(
        { name: "stay-home" },
        {
          name: "least-loaded",
          overload: 1,
          after: "2min",
          move: "live-migration",
          period: "1min",
        },
        { name: "least-loaded", overload: 1, after: "2min", move: "snapshot", period: "1min" },
      ),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }),
        jobsArb(2, 1800, 3),
        fc.array(constraintArb, { minLength: 1, maxLength: 3 }),
        policiesArb,
        fc.integer({ min: 1, max: 1000 }),
        (hostsPerSite, jobs, constraints, policies, seed) => {
          const document = failingPlatformRun({
            name: "constraints-every-policy",
            seed,
            hostsPerSite,
            vm: { vcpus: 2, memory: "2GB" },
            load: { mean: 0.6, sd: 0.3 },
            jobs,
            policies,
            constraints,
          });
          const summary = runChecked(document);
          seen.runs += summary === undefined ? 0 : 1;
          seen.migrations += summary?.cloud?.migrations.completed ?? 0;
          seen.vmsLost += summary?.failures?.vmsLost ?? 0;
          seen.restores += summary?.vjobs?.restores ?? 0;
          for (const [i, kept] of (summary?.constraints ?? []).entries()) {
            const holds = (constraints[i] as { holds?: string }).holds;
            if (holds === "discrete") continue;
            expect(kept, JSON.stringify(document)).toMatchObject({ violations: 0 });
          }
        },
      ),
      { numRuns: 1000, seed: 21 },
    );
    // Seen with seed 21: 797 runs of 1,000 (the others refused by validation), 4,554
    // migrations, 2,932 VMs lost, 808 restores.
    expect(seen.runs).toBeGreaterThan(700);
    expect(seen.migrations).toBeGreaterThan(3000);
    expect(seen.vmsLost).toBeGreaterThan(2000);
    expect(seen.restores).toBeGreaterThan(500);
  });
});

describe("the constraints benchmark's scenarios (bench/constraints/)", () => {
  it("validate, and differ from the reference by their constraints only", () => {
    const load = (name: string) => loadScenarioFile(`bench/constraints/${name}.yaml`);
    const none = load("none");
    expect(none.constraints).toEqual([]);
    for (const name of ["spread", "mixed"]) {
      const variant = load(name);
      expect(variant.constraints.length).toBeGreaterThan(0);
      expect({ ...variant, name: none.name, constraints: [] }).toEqual(none);
    }
    const entropy = load("entropy-mixed");
    expect(entropy.constraints.length).toBe(3);
    expect({ ...entropy, name: "n", constraints: [] }).toEqual({
      ...load("entropy-mixed-none"),
      name: "n",
    });
  });
});

describe("the README's complete example", () => {
  it("runs under the model's checks, every constraint kept, its service measured", () => {
    const readme = readFileSync("README.md", "utf8");
    const after = readme.slice(readme.indexOf("<!-- constraints-example -->"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(after)?.[1];
    if (yaml === undefined) throw new Error("README has no constraints example");
    const file = join(mkdtempSync(join(tmpdir(), "skysim-readme-")), "scenario.yaml");
    writeFileSync(file, yaml);
    const s = loadScenarioFile(file);
    const run = prepareRun(s, { check: true, baseDir: dirname(file) });
    run.sim.run({ until: s.duration });
    const summary = run.finish(s.duration).summary;
    expect(summary.constraints?.map((c) => [c.type, c.violations])).toEqual([
      ["spread", 0],
      ["fence", 0],
      ["gather", 0],
      ["split", 0],
      ["among", 0],
      ["root", 0],
      ["ban", 0],
    ]);
    expect(summary.services).toMatchObject({ count: 1, outages: 0 });
  });
});

describe("a distributed manager under constraints", () => {
  it("tries a partition again a period on when its plan changes nothing, not at the same instant", () => {
    // A case the property test above found (fast-check seed 2): at 1,922 s a partition's target,
    // its moves undone by the split, is viable but leaves its host overloaded; its empty plan
    // ended at once, the host opened a partition again at the same instant, and simulated time
    // stood still. Now such a partition waits a period (60 s): the run ends, its empty plans
    // counted.
    const document = {
      name: "constraints-every-policy",
      seed: 36,
      duration: "2h",
      platform: { type: "synthetic", sites: 2, hostsPerSite: 2, cores: 4, memory: "16GB" },
      workload: {
        type: "vjobs",
        vm: { vcpus: 2, memory: "2GB" },
        load: { type: "injector", mean: 0.6, sd: 0.3, interval: "5min" },
        arrivals: {
          type: "list",
          jobs: [
            { name: "j0", work: { coreSeconds: "1h" }, vms: 1, submit: 21 },
            { name: "j1", work: { coreSeconds: "1h" }, vms: 2, submit: 109 },
            { name: "j2", work: { coreSeconds: "1h" }, vms: 2, submit: 1505 },
            { name: "j3", work: { coreSeconds: "1h" }, vms: 2, submit: 1562 },
            { name: "j4", work: { coreSeconds: "1h" }, vms: 2, submit: 1640 },
          ],
        },
        boot: { delay: 0 },
      },
      policies: {
        placement: { name: "random", vcpusPerCore: 2 },
        consolidation: {
          period: 60,
          manager: { type: "distributed" },
          scope: "sky",
          name: "energy-aware",
        },
        faultTolerance: { name: "saline", period: "10min", store: "remote" },
        sky: {
          name: "least-loaded",
          overload: 1,
          after: "2min",
          move: "live-migration",
          period: "1min",
        },
      },
      failures: [
        {
          type: "renewal",
          up: { type: "exponential", mean: "2h" },
          down: { type: "fixed", value: "10min" },
        },
      ],
      constraints: [
        {
          type: "split",
          groups: [
            ["j0", "j1"],
            ["j2", "j3"],
          ],
          holds: "discrete",
        },
        { type: "ban", vjobs: "each", hosts: ["s0h0"], holds: "continuous" },
      ],
      output: { charts: false },
    };
    const s = checkedScenario(document, "livelock.yaml");
    const run = prepareRun(s, { check: true }) as VjobsRun;
    const empty: number[] = [];
    run.manager.switched.subscribe((plan) => {
      if (plan.started === 0) empty.push(plan.start);
    });
    run.sim.run({ until: s.duration });
    // Seen: empty plans of partitions at 1,922.1 s, 1,923.2 s and 4,503.2 s.
    expect(empty.map((start) => Math.round(start * 10) / 10)).toEqual([1922.1, 1923.2, 4503.2]);
  });
});

describe("constraints through failures", () => {
  it("Saline restores a fenced vjob after a site outage only where its fence admits", () => {
    // The Saline scenario of test/saline.test.ts: s0 down from 2 h; its 3 vjobs (one VM each)
    // are restored from their snapshots on another site, s1 in id order (test/saline). Fenced to
    // s0 and s2, they are restored on s2 instead, one per host, and the fence is never broken.
    const saline = { name: "saline", period: 1800, store: "remote" };
    const fence = { type: "fence", vjobs: "each", sites: ["s0", "s2"] };
    const restoredOn = (constraints: unknown[]) => {
      const s = salineScenario(saline, "site-outage.csv", 3, constraints);
      const run = prepareRun(s, { check: true, baseDir: SALINE_FIXTURES }) as VjobsRun;
      const hosts: string[] = [];
      run.runner.vjobPlaced.subscribe((record) => {
        if (record.state === "restoring") {
          hosts.push(...record.hosts.map((id) => run.cloud.platform.hosts[id]?.name ?? ""));
        }
      });
      run.sim.run({ until: s.duration });
      return { hosts, summary: run.finish(s.duration).summary };
    };
    expect(restoredOn([]).hosts).toEqual(["s1h0", "s1h1", "s1h2"]);
    const fenced = restoredOn([fence]);
    expect(fenced.hosts).toEqual(["s2h0", "s2h1", "s2h2"]);
    expect(fenced.summary.vjobs?.restores).toBe(3);
    expect(fenced.summary.constraints?.[0]).toMatchObject({ violations: 0, violationSeconds: 0 });
  });
});
