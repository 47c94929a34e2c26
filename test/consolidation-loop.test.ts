import { describe, expect, it } from "vitest";
import type { ConsolidationPolicy } from "../src/policies/consolidation/consolidation-policy.js";
import { ffdRepack } from "../src/policies/consolidation/ffd-repack.js";
import { ConsolidationLoop, type Decision } from "../src/run/consolidation-loop.js";
import type { PlanOutcome } from "../src/run/plan-executor.js";
import { GiB, NIC, runningVm, testCloud, vmSpec } from "./cloud-fixture.js";

/** A policy that sends the VMs named in `moves` to the given hosts, once, after `computeTime`. */
function movePolicy(moves: Record<string, number>, computeTime = 0): ConsolidationPolicy {
  let done = false;
  return {
    name: "test-moves",
    decide({ configuration, cloud }) {
      const names = [...cloud.liveVms()].map((vm) => vm.name);
      const target = configuration.vms.map((vm) =>
        done ? vm.host : (moves[names[vm.id] ?? ""] ?? vm.host),
      );
      done = true;
      return { target, computeTime };
    },
  };
}

/**
 * Hosts 0..3 of 16 GiB (NICs 125 MB/s). Host 0 holds a (8 GiB) and filler f0 (8 GiB), host 1
 * holds b (8 GiB) and f1 (8 GiB): both full. Swapping a and b needs a pivot.
 */
function swapSetting(computeTime = 0) {
  const { sim, cloud } = testCloud();
  const vm = (name: string) => vmSpec(name, { memory: 8 * GiB });
  runningVm(sim, cloud, 0, vm("a"));
  runningVm(sim, cloud, 0, vm("f0"));
  runningVm(sim, cloud, 1, vm("b"));
  runningVm(sim, cloud, 1, vm("f1"));
  const loop = new ConsolidationLoop(cloud, movePolicy({ a: 1, b: 0 }, computeTime), 100);
  const decisions: Decision[] = [];
  const outcomes: PlanOutcome[] = [];
  loop.decided.subscribe((d) => decisions.push(d));
  loop.switched.subscribe((o) => outcomes.push(o));
  loop.start();
  return { sim, cloud, decisions, outcomes };
}

describe("the consolidation loop", () => {
  it("carries out a swap through a pivot, pool after pool, RAM never over-committed", () => {
    const { sim, cloud, decisions, outcomes } = swapSetting();
    // The cloud's invariants (no host over its RAM) are checked after every event.
    sim.run({ until: 1000 });
    // Pools: a -> pivot host 2 (most free RAM, ties to the lowest id); b -> 0; a -> 1.
    expect(decisions[0]?.plan.pools).toEqual([
      [{ kind: "migrate", vm: 0, from: 0, to: 2 }],
      [{ kind: "migrate", vm: 2, from: 1, to: 0 }],
      [{ kind: "migrate", vm: 0, from: 2, to: 1 }],
    ]);
    // An idle VM migrates in one round: 8 GiB at the 125 MB/s NIC; three pools one after another.
    const oneMigration = (8 * GiB) / NIC;
    expect(outcomes[0]?.start).toBe(100);
    expect(outcomes[0]?.end).toBeCloseTo(100 + 3 * oneMigration, 9);
    expect(outcomes[0]).toMatchObject({ started: 3, skipped: 0 });
    const hostOf = Object.fromEntries([...cloud.liveVms()].map((vm) => [vm.name, vm.host]));
    expect(hostOf).toEqual({ a: 1, b: 0, f0: 0, f1: 1 });
    // The plan took 3 x 68.7 s = 206 s, longer than the 100 s period: the next decision comes
    // when it ends (plans never overlap) and finds nothing to do.
    expect(decisions[1]?.time).toBeCloseTo(100 + 3 * oneMigration, 9);
    expect(decisions[1]?.plan.pools).toEqual([]);
  });

  it("charges the computation time before the plan starts", () => {
    const { sim, outcomes } = swapSetting(12.5);
    sim.run({ until: 1000 });
    expect(outcomes[0]?.start).toBe(100 + 12.5);
  });

  it("skips the actions the cloud no longer allows when their pool comes", () => {
    const { sim, cloud, outcomes } = swapSetting(10);
    // The pivot crashes during the computation: the bypass cannot start, so b finds host 0 full
    // and a is not on the pivot: all three are skipped and nothing moves.
    sim.schedule(105, () => {
      cloud.crashHost(2, "test");
    });
    sim.run({ until: 1000 });
    expect(outcomes[0]).toMatchObject({ started: 0, skipped: 3 });
    const hostOf = Object.fromEntries([...cloud.liveVms()].map((vm) => [vm.name, vm.host]));
    expect(hostOf).toEqual({ a: 0, b: 1, f0: 0, f1: 1 });
  });

  it("gives each site its own manager, or one manager to the whole sky", () => {
    // Sites 0 (hosts 0, 1) and 1 (hosts 2, 3), one VM of 0.2 cores on each host. An FFD repack
    // for the sky puts all four on host 0: 3 migrations, 2 of them across sites. Per site, each
    // site packs its two VMs on its first host: 2 migrations, none across sites.
    const hostsAfter = (scope: "site" | "sky") => {
      const { sim, cloud } = testCloud();
      for (const host of [0, 1, 2, 3]) runningVm(sim, cloud, host, vmSpec(`v${host}`), 0.2);
      new ConsolidationLoop(cloud, ffdRepack(), 100, { scope }).start();
      sim.run({ until: 150 });
      return [...cloud.liveVms()].map((vm) => vm.host);
    };
    expect(hostsAfter("sky")).toEqual([0, 0, 0, 0]);
    expect(hostsAfter("site")).toEqual([0, 0, 2, 2]);
  });
});

describe("a plan with power actions", () => {
  it("boots the host it needs, migrates onto it, then switches off the host it emptied", () => {
    const { sim, cloud } = testCloud();
    // VM a (1 GiB, idle) on host 0; host 1 is switched off (taurus: 6.1 s to go off).
    const a = runningVm(sim, cloud, 0, vmSpec("a"));
    cloud.switchOff(1);
    sim.run({ until: 10 });
    expect(cloud.powerState(1)).toBe("off");
    const loop = new ConsolidationLoop(cloud, movePolicy({ a: 1 }), 100, {
      power: { wakes: true, bootable: (off) => [...off], mayPowerOff: () => true },
    });
    const decisions: Decision[] = [];
    const outcomes: PlanOutcome[] = [];
    const changes: string[] = [];
    loop.decided.subscribe((d) => decisions.push(d));
    loop.switched.subscribe((o) => outcomes.push(o));
    cloud.hostPowerChanged.subscribe(({ host, to, time }) => changes.push(`${time} ${host} ${to}`));
    cloud.migrationEnded.subscribe(({ end }) => changes.push(`${end} migrated`));
    loop.start();
    sim.run({ until: 1000 });
    // The first decision (at 10 + 100 s) sees host 1 off, as room that costs a boot.
    expect(decisions[0]?.power).toEqual({ boot: [1], switchOff: [0], seconds: 151.5 + 6.1 });
    // Boot 151.5 s, then the migration (1 GiB over the 125 MB/s NIC), then host 0 off in 6.1 s.
    const decided = 110;
    const booted = decided + 151.5;
    const migrated = booted + GiB / NIC;
    const off = migrated + 6.1;
    expect(changes).toEqual([
      `${decided} 1 booting`,
      `${booted} 1 on`,
      `${migrated} migrated`,
      `${migrated} 0 switching-off`,
      `${off} 0 off`,
    ]);
    expect(a.host).toBe(1);
    expect(outcomes[0]).toMatchObject({ start: decided, started: 3, skipped: 0 });
    expect(outcomes[0]?.end).toBeCloseTo(off, 9);
  });
});
