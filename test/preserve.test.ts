import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONSOLIDATIONS,
  failingPlatformRun,
  faultToleranceArb,
  jobsArb,
  placementArb,
  runChecked,
} from "./checked-run.js";
import type { Placement } from "../src/policies/placement/placement.js";
import { prepareRun } from "../src/run/run-scenario.js";
import type { VjobsRun } from "../src/run/vjobs-run.js";
import { configurationOf } from "../src/run/configuration-of.js";
import { checkedScenario } from "../src/scenario/load.js";
import { problemLines } from "./scenario-problems.js";

/**
 * Two sites s0 and s1 of 3 hosts (4 cores, 16 GB each); VMs of 2 vCPUs and 2 GB, each with an
 * hour of core-seconds of work at full load (1,800 s on its 2 vCPUs), booting at once;
 * first-fit packing 2 vCPUs per core (8 vCPUs on a 4-core host), home site s0 first.
 */
function preserved(jobs: { name: string; vms: number; submit?: number }[], constraints: unknown[]) {
  return checkedScenario(
    {
      name: "preserve",
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
      policies: { placement: { name: "first-fit", vcpusPerCore: 2 } },
      constraints,
      output: { charts: false },
    },
    "preserve.yaml",
  );
}

/** Each vjob's hosts (by name) when it started. */
function hostsOf(run: VjobsRun): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  run.runner.vjobPlaced.subscribe((record) => {
    if (placed.has(record.spec.name)) return;
    placed.set(
      record.spec.name,
      record.hosts.map((id) => run.cloud.platform.hosts[id]?.name ?? ""),
    );
  });
  return placed;
}

const JOBS = [
  { name: "j0", vms: 2 },
  { name: "j1", vms: 2 },
];

describe("preserve: a CPU floor", () => {
  it("places VMs only where their reserved cores fit: 2 VMs reserving 2 cores fill a 4-core host", () => {
    // Without the constraint first-fit puts all 4 VMs (8 vCPUs) on s0h0; reserving 2 cores each,
    // s0h0 holds j0's 2 VMs (4 cores reserved) and j1 goes to s0h1.
    const free = prepareRun(preserved(JOBS, []), { check: true }) as VjobsRun;
    const freeHosts = hostsOf(free);
    free.sim.run({ until: 1 });
    expect([...freeHosts.values()]).toEqual([
      ["s0h0", "s0h0"],
      ["s0h0", "s0h0"],
    ]);
    const s = preserved(JOBS, [{ type: "preserve", vjobs: "each", cores: 2 }]);
    const run = prepareRun(s, { check: true }) as VjobsRun;
    const hosts = hostsOf(run);
    run.sim.run({ until: s.duration });
    expect([...hosts.values()]).toEqual([
      ["s0h0", "s0h0"],
      ["s0h1", "s0h1"],
    ]);
    expect(run.cloud.reservedOn(0)).toBe(0);
    expect(run.finish(s.duration).summary.constraints).toEqual([
      { constraint: 0, type: "preserve", violations: 0, violationSeconds: 0 },
    ]);
  });

  it("gives the reserved VMs their cores on an overloaded host: their work ends on time", () => {
    // j0 reserves 1 core per VM; j1 does not. Both on s0h0 (8 vCPUs on 4 cores; 2 reserved, so
    // first-fit may): j0's VMs get 1 core each first, the 2 cores left go to the 4 + 2 cores
    // demanded beyond (j0's 1 each, j1's 2 each), 1/3 per core: j0's VMs 1 + 1/3 = 4/3 core,
    // j1's 2/3. Unreserved, each would get 1 core. j0's 3,600 core-s end at 3,600 / (4/3) =
    // 2,700 s; meanwhile j1's did 2,700 x 2/3 = 1,800 core-s and the last 1,800 run on 2 cores
    // alone: 900 s more, ending at 3,600 s, as without the reservation.
    const s = preserved(JOBS, [{ type: "preserve", vjobs: ["j0"], cores: 1 }]);
    const run = prepareRun(s, { check: true }) as VjobsRun;
    const hosts = hostsOf(run);
    const ends = new Map<string, number>();
    run.runner.vjobFinished.subscribe((record) => ends.set(record.spec.name, run.sim.now));
    run.sim.run({ until: s.duration });
    expect([...hosts.values()]).toEqual([
      ["s0h0", "s0h0"],
      ["s0h0", "s0h0"],
    ]);
    expect(ends.get("j0")).toBeCloseTo(2700, 6);
    expect(ends.get("j1")).toBeCloseTo(3600, 6);
    expect(run.finish(s.duration).summary.constraints?.[0]).toMatchObject({ violations: 0 });
  });

  it("makes consolidations pack a VM with at least its reserved cores", () => {
    const s = preserved([{ name: "j0", vms: 1 }], [{ type: "preserve", vjobs: "each", cores: 2 }]);
    const run = prepareRun(s, {}) as VjobsRun;
    run.sim.run({ until: 1 });
    const [vm] = run.cloud.liveVms();
    if (vm === undefined) throw new Error("j0 runs");
    // Its load is 2 cores (full); idle, it would be packed with 0 cores: with the floor, 2.
    run.cloud.setLoad(vm, 0);
    expect(configurationOf(run.cloud).configuration.vms[0]?.cpu).toBe(2);
    run.cloud.setLoad(vm, 1.5);
    expect(configurationOf(run.cloud).configuration.vms[0]?.cpu).toBe(2);
  });

  it("measures a floor not kept on a host over-reserved by a placement that ignores it", () => {
    // A user placement puts all 3 VMs of j0 (reserving 2 cores each) on s0h0: 6 reserved cores
    // on 4, scaled to 4/3 core each, less than 2: broken from 0 s until their work ends at
    // 3,600 / (4/3) = 2,700 s. --check stops the run at once.
    const naive: Placement = { name: "naive", place: (_view, vms) => vms.map(() => 0) };
    const s = preserved([{ name: "j0", vms: 3 }], [{ type: "preserve", vjobs: "each", cores: 2 }]);
    const run = prepareRun(s, { policies: { placement: naive } });
    run.sim.run({ until: s.duration });
    const [kept] = run.finish(s.duration).summary.constraints ?? [];
    expect(kept?.violations).toBe(1);
    expect(kept?.violationSeconds).toBeCloseTo(2700, 6);
    const checked = prepareRun(s, { check: true, policies: { placement: naive } });
    expect(() => checked.sim.run({ until: s.duration })).toThrow(
      /constraint #0 \(preserve, discrete\) of j0 broken since 0 s, no plan under way/,
    );
  });

  it("refuses a floor beyond a VM's vCPUs, and one no host has the cores for", () => {
    const lines = (constraints: unknown[], vms = 1) =>
      problemLines(() => preserved([{ name: "j0", vms }], constraints));
    expect(lines([{ type: "preserve", vjobs: "each", cores: 3 }])).toEqual([
      "preserve.yaml: constraints[0].cores: expected at most 2 (a VM's vCPUs), got 3",
    ]);
    expect(lines([{ type: "preserve", vjobs: "each", cores: 0 }])).toEqual([
      "preserve.yaml: constraints[0].cores: expected a value > 0, got 0",
    ]);
    // Gathered, 3 VMs reserve 6 cores on one host of 4.
    expect(
      lines(
        [
          { type: "preserve", vjobs: "each", cores: 2 },
          { type: "gather", vjobs: "each" },
        ],
        3,
      ),
    ).toEqual([
      "preserve.yaml: constraints: expected room for vjob j0: no host its fences and bans admit has the RAM for its 3 VMs together (6000000000 B) and 6 cores to reserve",
    ]);
  });
});

describe("CPU floors kept by every policy, through failures (property)", () => {
  it("no floor a policy keeps is ever broken: continuous at any event, discrete once plans are done", () => {
    // Random small platforms whose hosts fail, vjobs with changing loads packed 2 vCPUs per core
    // (hosts overload), random floors (each vjob's or a group's, 1 or 2 cores, continuous or
    // discrete) and random policies. The model's checks stop a run where a floor is broken while
    // it should hold; and no continuous one may be counted broken at all. The hosts must have
    // been overloaded with VMs reserving cores on them: else the property says little.
    const seen = { runs: 0, migrations: 0, restores: 0, overloadSeconds: 0 };
    const preserveArb = fc.record({
      type: fc.constant("preserve"),
      vjobs: fc.constantFrom<"each" | string[]>("each", ["j0", "j1"], ["j2"]),
      cores: fc.constantFrom(1, 2),
      holds: fc.constantFrom("continuous", "discrete"),
    });
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
        )
        .map(([policy, manager]) => ({ ...policy, period: 60, manager })),
      faultTolerance: faultToleranceArb,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }),
        jobsArb(3, 1800, 3),
        fc.array(preserveArb, { minLength: 1, maxLength: 2 }),
        policiesArb,
        fc.integer({ min: 1, max: 1000 }),
        (hostsPerSite, jobs, constraints, policies, seed) => {
          const document = failingPlatformRun({
            name: "preserve-every-policy",
            seed,
            hostsPerSite,
            vm: { vcpus: 2, memory: "2GB" },
            load: { mean: 0.7, sd: 0.4 },
            jobs,
            policies,
            constraints,
          });
          const summary = runChecked(document);
          seen.runs += summary === undefined ? 0 : 1;
          seen.migrations += summary?.cloud?.migrations.completed ?? 0;
          seen.restores += summary?.vjobs?.restores ?? 0;
          seen.overloadSeconds += summary?.cloud?.violationHostSeconds ?? 0;
          for (const [i, kept] of (summary?.constraints ?? []).entries()) {
            if (constraints[i]?.holds === "discrete") continue;
            expect(kept, JSON.stringify(document)).toMatchObject({ violations: 0 });
          }
        },
      ),
      { numRuns: 300, seed: 23 },
    );
    // Seen with seed 23: 300 runs (none refused), 3,402 migrations, 353 restores, 715,024
    // host-seconds overloaded.
    expect(seen.runs).toBe(300);
    expect(seen.migrations).toBeGreaterThan(3000);
    expect(seen.restores).toBeGreaterThan(250);
    expect(seen.overloadSeconds).toBeGreaterThan(500000);
  });
});
