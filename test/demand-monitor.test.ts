import { describe, expect, it } from "vitest";
import type { ConsolidationPolicy } from "../src/policies/consolidation/consolidation-policy.js";
import type { Configuration } from "../src/policies/consolidation/configuration.js";
import { ConsolidationLoop } from "../src/run/consolidation-loop.js";
import { runningVm, testCloud, vmSpec } from "./cloud-fixture.js";

/** A policy that records what it sees and moves nothing. */
function watcher(seen: Configuration[]): ConsolidationPolicy {
  return {
    name: "watcher",
    decide({ configuration }) {
      seen.push(configuration);
      return { target: configuration.vms.map((vm) => vm.host), computeTime: 0 };
    },
  };
}

/**
 * One VM whose load is set before each decision (every 10 s): 0.2, 0.8, 0.5, 0.3, 0.9 cores. A
 * decision samples first, then packs the estimate over the last 3 samples.
 */
function demandsSeen(
  demand: { estimate: "instant" | "mean" | "max" | "percentile"; percentile?: number },
  headroom = 1,
) {
  const { sim, cloud } = testCloud();
  const vm = runningVm(sim, cloud, 0, vmSpec("v", { vcpus: 1 }));
  const loads = [0.2, 0.8, 0.5, 0.3, 0.9];
  loads.forEach((load, i) => {
    sim.scheduleAt(10 * (i + 1) - 1, () => {
      cloud.setLoad(vm, load);
    });
  });
  const seen: Configuration[] = [];
  new ConsolidationLoop(cloud, watcher(seen), 10, {
    demand: { window: 3, percentile: 50, ...demand },
    headroom,
  }).start();
  sim.run({ until: 50 });
  return seen;
}

describe("what a consolidation decision sees", () => {
  it("packs each VM's demand now, or its mean, max or percentile over the last samples", () => {
    const cpu = (seen: Configuration[]) => seen.map((c) => c.vms[0]?.cpu);
    expect(cpu(demandsSeen({ estimate: "instant" }))).toEqual([0.2, 0.8, 0.5, 0.3, 0.9]);
    // Windows of 3: [0.2], [0.2, 0.8], [0.2, 0.8, 0.5], [0.8, 0.5, 0.3], [0.5, 0.3, 0.9].
    const mean = cpu(demandsSeen({ estimate: "mean" }));
    const expected = [
      0.2,
      (0.2 + 0.8) / 2,
      (0.2 + 0.8 + 0.5) / 3,
      (0.8 + 0.5 + 0.3) / 3,
      (0.5 + 0.3 + 0.9) / 3,
    ];
    mean.forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i] ?? NaN, 12);
    });
    expect(cpu(demandsSeen({ estimate: "max" }))).toEqual([0.2, 0.8, 0.8, 0.8, 0.9]);
    // The median by nearest rank: ceil(0.5 x n)-th smallest: 0.2; 0.2 of [0.2, 0.8]; 0.5; 0.5; 0.5.
    expect(cpu(demandsSeen({ estimate: "percentile", percentile: 50 }))).toEqual([
      0.2, 0.2, 0.5, 0.5, 0.5,
    ]);
  });

  it("offers a fraction of each host's cores with a headroom", () => {
    const [first] = demandsSeen({ estimate: "instant" }, 0.8);
    // The test cloud's hosts have 4 cores: 80% of them is 3.2.
    expect(first?.hosts.map((host) => host.cpu)).toEqual(first?.hosts.map(() => 4 * 0.8));
  });
});
