import { describe, expect, it } from "vitest";
import type { Configuration } from "../src/policies/consolidation/configuration.js";
import type { ConsolidationPolicy } from "../src/policies/consolidation/consolidation-policy.js";
import { ffdLazy } from "../src/policies/consolidation/ffd-lazy.js";
import { ffdOptimistic } from "../src/policies/consolidation/ffd-optimistic.js";
import { drainConsolidation } from "../src/policies/consolidation/drain-policy.js";
import { ffdRepack } from "../src/policies/consolidation/ffd-repack.js";
import { noConsolidation } from "../src/policies/consolidation/no-consolidation.js";
import { testCloud } from "./cloud-fixture.js";
import { vm } from "./configuration-fixture.js";

/**
 * Three hosts of 4 cores and 8 (GB, units for short). Host 0 is overloaded: demands 3 + 2 + 1 =
 * 6 cores > 4. Host 1 holds 1 core, host 2 holds 2 cores.
 */
const configuration: Configuration = {
  hosts: [0, 1, 2].map((id) => ({ id, cpu: 4, memory: 8 })),
  vms: [vm(0, 3, 2, 0), vm(1, 2, 2, 0), vm(2, 1, 2, 0), vm(3, 1, 2, 1), vm(4, 2, 2, 2)],
};

function decide(policy: ConsolidationPolicy, config: Configuration = configuration) {
  const { cloud } = testCloud();
  return policy.decide({
    now: 0,
    configuration: config,
    suspended: new Set(),
    vjobs: [],
    cloud,
    watts: (_host, utilization) => 95 + 95.7 * utilization,
  }).target;
}

describe("consolidation baselines", () => {
  it("none leaves every VM where it is", () => {
    expect(decide(noConsolidation())).toEqual([0, 0, 0, 1, 2]);
  });

  it("ffd-lazy moves just enough of the largest VMs off an overloaded host", () => {
    // Host 0 at 6 cores: taking vm0 (3 cores, the largest) leaves 3 <= 4: only vm0 moves. FFD over
    // the other hosts: host 1 has 4 - 1 = 3 cores free: vm0 goes there.
    expect(decide(ffdLazy())).toEqual([1, 0, 0, 1, 2]);
  });

  it("ffd-optimistic takes every VM off an overloaded host and places them again", () => {
    // vm0, vm1, vm2 leave host 0 (now empty); FFD in decreasing CPU: vm0 (3) -> host 0 (4 free),
    // vm1 (2) -> host 0 has 1 left, host 1 has 3: host 1; vm2 (1) -> host 0 (1 left).
    expect(decide(ffdOptimistic())).toEqual([0, 1, 0, 1, 2]);
  });

  it("ffd-repack places every VM again from scratch", () => {
    // Decreasing CPU (ties by memory then id): vm0 3, vm1 2, vm4 2, vm2 1, vm3 1.
    // vm0 -> h0 (1 left); vm1 -> h1 (2 left); vm4 -> h1 (0 left); vm2 -> h0 (0 left); vm3 -> h2.
    expect(decide(ffdRepack())).toEqual([0, 1, 0, 2, 1]);
  });

  it("drain keeps the fewest hosts holding the most memory, an overloaded one shedding VMs", () => {
    // 9 cores of demand on hosts of 4: at least 3 hosts, so all three are kept. Host 0 (6 cores)
    // sheds its smallest VMs by CPU: vm2 (1 core, 5 left > 4), then vm1 (2 cores, 3 left). They
    // are placed again, largest first (vm1: 2/4 of a host's cores; vm2: 1/4), each on the host it
    // fills best: vm1 fills host 1 to 3/4 + 4/8 = 1.25 and host 2 to 4/4 + 4/8 = 1.5 (host 0:
    // 5 > 4 cores): host 2. vm2 fills host 0 to 4/4 + 4/8 = 1.5, host 1 to 2/4 + 4/8 = 1 (host
    // 2 is full): back on host 0.
    expect(decide(drainConsolidation())).toEqual([0, 2, 0, 1, 2]);
  });

  it("keeps pinned VMs where they are and never gives a host more memory than it has", () => {
    // vm0 is pinned on host 0: the repack must work around it. Memory is tight: hosts of 5 units,
    // VMs of 2: at most 2 VMs per host whatever the CPU says.
    const tight: Configuration = {
      hosts: [0, 1, 2].map((id) => ({ id, cpu: 4, memory: 5 })),
      vms: [vm(0, 1, 2, 0, true), vm(1, 1, 2, 0), vm(2, 1, 2, 1), vm(3, 1, 2, 1), vm(4, 1, 2, 2)],
    };
    for (const policy of [ffdLazy(), ffdOptimistic(), ffdRepack(), drainConsolidation()]) {
      const target = decide(policy, tight);
      expect(target[0], policy.name).toBe(0);
      for (const host of [0, 1, 2]) {
        const memory = tight.vms.filter((v) => target[v.id] === host).length * 2;
        expect(memory, `${policy.name} host ${host}`).toBeLessThanOrEqual(5);
      }
    }
  });

  it("a VM that fits nowhere stays on its host when the memory allows", () => {
    // One host of 2 cores holding a 3-core VM: overloaded, nowhere to go.
    const alone: Configuration = {
      hosts: [{ id: 0, cpu: 2, memory: 8 }],
      vms: [vm(0, 3, 2, 0)],
    };
    for (const policy of [ffdLazy(), ffdOptimistic(), ffdRepack(), drainConsolidation()]) {
      expect(decide(policy, alone), policy.name).toEqual([0]);
    }
  });
});
