import { describe, expect, it } from "vitest";
import { migrateVm, type Migration } from "../src/compute/live-migration.js";
import { GiB, NIC, runningVm, testCloud, vmSpec } from "./cloud-fixture.js";

/** Runs one migration of a VM from host 0 to host 1 (same site: the route is two 125 MB/s NICs). */
function migrateOne(spec: Parameters<typeof vmSpec>[1], load: number, latency = 0) {
  const { sim, cloud } = testCloud({ hostLatency: latency });
  const vm = runningVm(sim, cloud, 0, vmSpec("vm", spec), load);
  let done: Migration | undefined;
  migrateVm(cloud, vm, 1, {
    onDone: (m) => {
      done = m;
    },
  });
  sim.run({ until: 1000 });
  if (done === undefined) throw new Error("migration did not end");
  return { migration: done, vm, cloud };
}

describe("live migration (pre-copy)", () => {
  it("an idle 1 GiB VM over an idle 125 MB/s path takes 1 GiB / 125e6 B/s = 8.59 s, plus latency", () => {
    const { migration, vm, cloud } = migrateOne({}, 0);
    expect(migration.state).toBe("completed");
    expect(migration.end - migration.start).toBe(GiB / NIC); // 8.589934592 s
    expect(migration.rounds).toBe(1); // nothing dirtied: the stop-and-copy sends 0 bytes
    expect(migration.sends).toEqual([
      [0, GiB],
      [GiB / NIC, 0],
    ]);
    expect(vm.host).toBe(1);
    expect(vm.state).toBe("running");
    expect(cloud.freeMemory(0)).toBe(16 * GiB);
    expect(cloud.freeMemory(1)).toBe(15 * GiB);

    // With 1 ms per NIC the route latency is L = 2 ms, paid by the RAM round, by the empty
    // stop-and-copy (the downtime) and by the acknowledgement: 8.589934592 + 3 x 0.002.
    const late = migrateOne({}, 0, 1e-3).migration;
    expect(late.end - late.start).toBeCloseTo(GiB / NIC + 3 * 2e-3, 12);
    expect(late.downtime).toBeCloseTo(2e-3, 12);
  });

  it("with a dirty rate of 30% of the link, the rounds form a geometric series", () => {
    // Busy 1-vCPU VM dirtying r = 0.3 of the bandwidth B: round k sends RAM r^k, in RAM r^k / B.
    // The pre-copy stops once RAM r^n <= B x 30 ms (the rate measured over a round is B):
    // r^n <= 3.75e6 / 2^30 = 0.00349, n = ceil(ln 0.00349 / ln 0.3) = ceil(4.70) = 5. Rounds
    // 0..4 are pre-copy (5 rounds), round 5 is the stop-and-copy, so
    // T = (RAM / B) (1 - r^6) / (1 - r) and the downtime is RAM r^5 / B.
    const r = 0.3;
    const { migration } = migrateOne({ dirtyRate: r * NIC }, 1);
    const n = Math.ceil(Math.log((NIC * 0.03) / GiB) / Math.log(r));
    expect(n).toBe(5);
    const closedForm = ((GiB / NIC) * (1 - r ** (n + 1))) / (1 - r);
    // Bytes are whole (each round floored): at most a byte per round off the series.
    expect(Math.abs(migration.end - migration.start - closedForm) / closedForm).toBeLessThan(1e-6);
    expect(migration.rounds).toBe(n);
    expect(migration.stop).toBe("converged");
    expect(migration.downtime).toBeCloseTo((GiB * r ** n) / NIC, 6); // 0.0209 s
    expect(migration.downtime).toBeLessThanOrEqual(0.03);
  });

  it("with a dirty rate above the bandwidth, the round limit stops it and the downtime is reported", () => {
    // Dirty rate 2B, working set 5% of RAM: every round after the first re-sends the working set
    // (53,687,091 bytes, in 0.43 s), far above B x 30 ms = 3.75 MB: it never converges. After 30
    // rounds 1 + 29 x 0.05 = 2.45 RAM were sent (below the 3 RAM limit): the round limit stops it,
    // and the stop-and-copy of the working set is the downtime.
    const ws = Math.floor(0.05 * GiB);
    const { migration } = migrateOne({ dirtyRate: 2 * NIC, workingSet: 0.05 }, 1);
    expect(migration.stop).toBe("round limit");
    expect(migration.rounds).toBe(30);
    expect(migration.downtime).toBeCloseTo(ws / NIC, 9); // 0.4295 s
    expect(migration.bytesSent).toBe(GiB + 30 * ws);
    expect(migration.end - migration.start).toBeCloseTo((GiB + 30 * ws) / NIC, 9);
  });

  it("stops pre-copying once 3x the RAM is sent", () => {
    // Working set 50%: rounds of 1, .5, .5, .5, .5 RAM reach 3 RAM after 5 rounds (before 30).
    const { migration } = migrateOne({ dirtyRate: 2 * NIC, workingSet: 0.5 }, 1);
    expect(migration.stop).toBe("traffic limit");
    expect(migration.rounds).toBe(5);
    expect(migration.bytesSent).toBe(GiB + 5 * (GiB / 2)); // 3 RAM of pre-copy + 0.5 RAM
  });

  it("two migrations sharing a link each take twice as long as one alone", () => {
    const { sim, cloud } = testCloud();
    const vms = ["a", "b"].map((name) => runningVm(sim, cloud, 0, vmSpec(name)));
    const migrations = vms.map((vm) => migrateVm(cloud, vm, 1));
    sim.run();
    for (const m of migrations) expect(m.end - m.start).toBe((2 * GiB) / NIC); // 2 x 8.59 s
  });

  it("holds RAM on both hosts meanwhile, and a cancelled migration leaves the VM on its source", () => {
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"));
    const migration = migrateVm(cloud, vm, 1);
    sim.run({ until: 4 });
    expect(vm.state).toBe("migrating");
    expect(cloud.freeMemory(0)).toBe(15 * GiB);
    expect(cloud.freeMemory(1)).toBe(15 * GiB);
    expect(migration.cancel()).toBe(true);
    expect(vm.state).toBe("running");
    expect(vm.host).toBe(0);
    expect(cloud.freeMemory(1)).toBe(16 * GiB);
    expect(cloud.network.activeFlowCount).toBe(0);
    expect(migration.state).toBe("cancelled");
  });

  it("fails when a link of its route goes down, and the VM stays on its source", () => {
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"), 1);
    const migration = migrateVm(cloud, vm, 1);
    sim.scheduleAt(2, () => {
      cloud.network.setLinkUp(cloud.platform.hosts[1]?.link as number, false);
    });
    sim.run({ until: 3 });
    expect(migration.state).toBe("failed");
    expect(migration.failure).toMatch(/link "site0_link_1" is down/);
    expect(vm.state).toBe("running");
    expect(vm.host).toBe(0);
    expect(vm.consumer?.host).toBe(0);
    expect(cloud.freeMemory(1)).toBe(16 * GiB);
  });

  it("fails when the destination crashes, and the VM stays on its source; a source crash loses it", () => {
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"), 1);
    const toCrashed = migrateVm(cloud, vm, 1);
    sim.scheduleAt(3, () => {
      cloud.crashHost(1, "power cut");
    });
    sim.run({ until: 4 });
    expect(toCrashed.state).toBe("failed");
    expect(toCrashed.failure).toBe("destination s0h1 lost: power cut");
    expect(vm.state).toBe("running");
    expect(vm.host).toBe(0);
    expect(cloud.freeMemory(1)).toBe(16 * GiB);

    const fromCrashed = migrateVm(cloud, vm, 2);
    sim.scheduleAt(6, () => {
      cloud.crashHost(0, "disk fire");
    });
    sim.run({ until: 7 });
    expect(fromCrashed.state).toBe("failed");
    expect(vm.state).toBe("failed");
    expect(cloud.freeMemory(2)).toBe(16 * GiB);
    expect(cloud.network.activeFlowCount).toBe(0);
  });

  it("completes if the source crashes during the final acknowledgement", () => {
    // 0.5 s per NIC: route latency 1 s. Idle 1 GiB VM: RAM round 1 + 8.59 s, empty stop-and-copy
    // 1 s (the switch, at 10.59 s), acknowledgement 1 s (would end at 11.59 s). The source crashes
    // at 11 s: the VM already runs on the destination, so the move is done then.
    const { sim, cloud } = testCloud({ hostLatency: 0.5 });
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"));
    const migration = migrateVm(cloud, vm, 1);
    sim.scheduleAt(11, () => {
      cloud.crashHost(0, "power cut");
    });
    sim.run();
    expect([migration.state, migration.end]).toEqual(["completed", 11]);
    expect([vm.state, vm.host, vm.consumer?.host]).toEqual(["running", 1, 1]);
    expect(cloud.freeMemory(1)).toBe(15 * GiB);
  });

  it("refuses a destination without the RAM, and a VM that is not running", () => {
    const { sim, cloud } = testCloud();
    const big = runningVm(sim, cloud, 1, vmSpec("big", { memory: 15.5 * GiB }));
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"));
    expect(() => migrateVm(cloud, vm, 1)).toThrow(/VM vm needs 1073741824 bytes of RAM on s0h1/);
    expect(vm.state).toBe("running");
    cloud.stopVm(big);
    expect(() => migrateVm(cloud, big, 0)).toThrow(/VM big: cannot migrate while stopped/);
  });

  it("a VM stopped in the instant its stop-and-copy ends stays stopped, holding nothing", () => {
    // Flows ending at one instant end as a batch: each is marked completed, then each one's
    // observers and owner are told in turn. A sky flight that stops the VM when another flow of
    // the batch ends is an observer of that batch: here, of the stop-and-copy's own end (the
    // second flow of the migration, 0 bytes at 8.59 s). The migration, halted by the stop, must
    // not go on to switch the stopped VM's vCPUs to the destination when its flow then reports.
    const { sim, cloud } = testCloud();
    const vm = runningVm(sim, cloud, 0, vmSpec("vm"), 0);
    let flows = 0;
    cloud.network.flowCompleted.subscribe((flow) => {
      if (flow.options.label === "migration of vm" && ++flows === 2) cloud.stopVm(vm);
    });
    migrateVm(cloud, vm, 1);
    sim.run({ until: 100 });
    expect(flows).toBe(2);
    expect(vm.state).toBe("stopped");
    expect(vm.consumer).toBeUndefined();
    expect(cloud.freeMemory(0)).toBe(16 * GiB);
    expect(cloud.freeMemory(1)).toBe(16 * GiB);
  });
});
