import { describe, expect, it } from "vitest";
import type { ConsolidationPolicy } from "../src/policies/consolidation/consolidation-policy.js";
import { ffdLazy } from "../src/policies/consolidation/ffd-lazy.js";
import { buildPlatform } from "../src/platform/build.js";
import { syntheticPlatform } from "../src/platform/synthetic.js";
import { ConsolidationLoop, type Decision } from "../src/run/consolidation-loop.js";
import { DistributedManager } from "../src/run/distributed-manager.js";
import { HierarchicalManager, groupsOf } from "../src/run/hierarchical-manager.js";
import type { PlanOutcome } from "../src/run/plan-executor.js";
import { CloudMetrics } from "../src/output/cloud-metrics.js";
import { runningVm, testCloud, vmSpec } from "./cloud-fixture.js";

/** Sends VM "a" (the first VM of the configuration) to host 1, once; charged `computeTime`. */
function sendFirstToHostOne(computeTime: number): ConsolidationPolicy {
  let done = false;
  return {
    name: "test-move",
    decide({ configuration }) {
      const target = configuration.vms.map((vm, i) => (i === 0 && !done ? 1 : vm.host));
      done = true;
      return { target, computeTime };
    },
  };
}

describe("a decision's messages", () => {
  it("delay the plan by a round trip to the farthest host the manager sees", () => {
    // NICs of 10 ms, backbone of 50 ms: host 0 to host 1 (same site) is 2 x 10 = 20 ms, to
    // hosts 2 and 3 (the other site) 10 + 50 + 10 = 70 ms. One manager for the sky on host 0:
    // reports in and orders out, 2 x 70 ms = 0.14 s. One per site: 2 x 20 ms = 0.04 s each,
    // in parallel.
    for (const [scope, messageTime] of [
      ["sky", 2 * (0.01 + 0.05 + 0.01)],
      ["site", 2 * (0.01 + 0.01)],
    ] as const) {
      const { sim, cloud } = testCloud({ hostLatency: 0.01, backboneLatency: 0.05 });
      runningVm(sim, cloud, 0, vmSpec("a"));
      const loop = new ConsolidationLoop(cloud, sendFirstToHostOne(12.5), 100, { scope });
      const decisions: Decision[] = [];
      const outcomes: PlanOutcome[] = [];
      loop.decided.subscribe((d) => decisions.push(d));
      loop.switched.subscribe((o) => outcomes.push(o));
      loop.start();
      sim.run({ until: 150 });
      expect(decisions[0]?.messageTime).toBeCloseTo(messageTime, 12);
      // The plan starts after the computation (12.5 s) and the messages.
      expect(outcomes[0]?.start).toBeCloseTo(100 + 12.5 + messageTime, 9);
      expect([...cloud.liveVms()].map((vm) => vm.host)).toEqual([1]);
    }
  });
});

describe("hierarchical managers (Snooze)", () => {
  it("cut each site's hosts, in id order, into groups of the given size", () => {
    const platform = buildPlatform(syntheticPlatform({ sites: 2, hostsPerSite: 5 }));
    expect(groupsOf(platform, 2)).toEqual([[0, 1], [2, 3], [4], [5, 6], [7, 8], [9]]);
    expect(groupsOf(platform, 5)).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
  });

  it("move VMs only within a group: an overload the group cannot absorb stays", () => {
    // Hosts of 4 cores. Host 0 holds a (3 cores) and b (2 cores): 5 > 4, overloaded; host 1
    // holds c (4 cores): full; hosts 2 and 3 are empty. ffd-lazy takes a (the largest) off
    // host 0 to the first host with 3 cores free. One manager for the sky: host 2. Groups of 2
    // ({0, 1}, {2, 3}): host 0's group has no room, so nothing moves and the overload lasts.
    const after = (hierarchical: boolean) => {
      const { sim, cloud } = testCloud();
      const big = (name: string) => vmSpec(name, { vcpus: 4 });
      runningVm(sim, cloud, 0, big("a"), 3);
      runningVm(sim, cloud, 0, big("b"), 2);
      runningVm(sim, cloud, 1, big("c"), 4);
      const options = { scope: "sky" } as const;
      const manager = hierarchical
        ? new HierarchicalManager(cloud, ffdLazy(), 30, 2, options)
        : new ConsolidationLoop(cloud, ffdLazy(), 30, options);
      let decisions = 0;
      manager.decided.subscribe(() => decisions++);
      manager.start();
      sim.run({ until: 200 });
      return {
        hosts: [...cloud.liveVms()].map((vm) => vm.host),
        overloaded: cloud.cpu.isOverloaded(0),
        decisions,
      };
    };
    expect(after(false)).toMatchObject({ hosts: [2, 0, 1], overloaded: false });
    const grouped = after(true);
    expect(grouped).toMatchObject({ hosts: [0, 0, 1], overloaded: true });
    // Two group managers, each deciding every 30 s from t = 30 to 180: 2 x 6 decisions.
    expect(grouped.decisions).toBe(2 * 6);
  });
});

describe("distributed managers (DVMS)", () => {
  it("grow a partition along the ring until the policy solves it, then run its plan", () => {
    // One site of 3 hosts of 4 cores, NICs of 10 ms (20 ms host to host). Host 0 holds a
    // (3 cores) and b (idle), host 1 holds c (4 cores, full), host 2 nothing. At t = 10, b
    // asks for 2 cores: host 0 is overloaded (5 > 4) and opens a partition. Its request reaches
    // host 1 at 10.02; ffd-lazy on {0, 1} finds no host with 3 cores free for a: not viable,
    // charged 0 s, plus a round trip from host 0 to its partition (2 x 20 ms): at 10.06 the
    // request goes on to host 2, which joins at 10.08. On {0, 1, 2}, a goes to host 2: viable;
    // after another round trip the plan starts at 10.12.
    const { sim, cloud } = testCloud({ sites: 1, hostsPerSite: 3, hostLatency: 0.01 });
    const big = (name: string) => vmSpec(name, { vcpus: 4 });
    const a = runningVm(sim, cloud, 0, big("a"), 3);
    const b = runningVm(sim, cloud, 0, big("b"), 0);
    const c = runningVm(sim, cloud, 1, big("c"), 4);
    const manager = new DistributedManager(cloud, ffdLazy(), 30, { scope: "site" });
    const decisions: Decision[] = [];
    const outcomes: PlanOutcome[] = [];
    manager.decided.subscribe((d) => decisions.push(d));
    manager.switched.subscribe((o) => outcomes.push(o));
    manager.start();
    sim.schedule(10, () => {
      cloud.setLoad(b, 2);
    });
    sim.run({ until: 100 });
    expect(decisions.map((d) => d.time)).toEqual([
      expect.closeTo(10.02, 12),
      expect.closeTo(10.08, 12),
    ]);
    expect(decisions[0]?.plan.pools).toEqual([]);
    expect(decisions.map((d) => d.messageTime)).toEqual([
      expect.closeTo(0.04, 12),
      expect.closeTo(0.04, 12),
    ]);
    expect(outcomes[0]?.start).toBeCloseTo(10.12, 12);
    expect([a, b, c].map((vm) => vm.host)).toEqual([2, 0, 1]);
    expect(cloud.cpu.isOverloaded(0)).toBe(false);
  });

  it("run partitions in parallel on hosts they do not share", () => {
    // One site of 4 hosts. Hosts 0 and 2 are overloaded at t = 10 (a: 3 cores + b: 2 cores on
    // each); hosts 1 and 3 are empty. Host 0's partition takes host 1, host 2's takes host 3
    // (both at 10 + 20 ms): each moves its a next door, at the same time, no host in both.
    const { sim, cloud } = testCloud({ sites: 1, hostsPerSite: 4, hostLatency: 0.01 });
    const big = (name: string) => vmSpec(name, { vcpus: 4 });
    const vms = [0, 2].flatMap((host) => [
      runningVm(sim, cloud, host, big(`a${host}`), 3),
      runningVm(sim, cloud, host, big(`b${host}`), 0),
    ]);
    const manager = new DistributedManager(cloud, ffdLazy(), 30, { scope: "site" });
    const outcomes: PlanOutcome[] = [];
    manager.switched.subscribe((o) => outcomes.push(o));
    manager.start();
    sim.schedule(10, () => {
      for (const vm of vms.filter((v) => v.name.startsWith("b"))) cloud.setLoad(vm, 2);
    });
    sim.run({ until: 100 });
    expect(outcomes.map((o) => o.start)).toEqual([
      expect.closeTo(10.06, 12),
      expect.closeTo(10.06, 12),
    ]);
    expect(vms.map((vm) => vm.host)).toEqual([1, 0, 3, 2]);
  });
});

describe("reaction time", () => {
  it("is the violation time over the overloads that caused it", () => {
    // Host 0 (4 cores) holds a (3 cores) and b (idle). b asks for 2 cores from 10 to 30 s and
    // from 50 to 55 s: two overloads of 20 s and 5 s, 25 host-seconds, 12.5 s each on average.
    const { sim, cloud } = testCloud();
    const metrics = new CloudMetrics(cloud);
    const big = (name: string) => vmSpec(name, { vcpus: 4 });
    runningVm(sim, cloud, 0, big("a"), 3);
    const b = runningVm(sim, cloud, 0, big("b"), 0);
    for (const [time, load] of [
      [10, 2],
      [30, 0],
      [50, 2],
      [55, 0],
    ] as const) {
      sim.schedule(time, () => {
        cloud.setLoad(b, load);
      });
    }
    sim.run({ until: 100 });
    expect(metrics.summarize(100)).toMatchObject({
      violationHostSeconds: 20 + 5,
      violationEpisodes: 2,
      meanViolationSeconds: (20 + 5) / 2,
    });
  });
});
