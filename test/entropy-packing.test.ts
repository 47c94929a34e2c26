import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  Assignment,
  Configuration,
  HostCapacity,
} from "../src/policies/consolidation/configuration.js";
import {
  DEFAULT_NODE_BUDGET,
  capacityCoverBound,
  firstFitDecreasing,
  martelloTothL2,
  optimise,
} from "../src/policies/consolidation/entropy/index.js";
import {
  exactFillResource,
  searchExactFill,
} from "../src/policies/consolidation/entropy/exact-fill.js";
import { packMinimumBinSlack } from "../src/policies/consolidation/entropy/minimum-bin-slack.js";
import { NodeBudget } from "../src/policies/consolidation/entropy/node-budget.js";
import { searchPaddedExactFill } from "../src/policies/consolidation/entropy/padded-exact-fill.js";
import {
  type Packing,
  type PackingProblem,
  buildPackingProblem,
} from "../src/policies/consolidation/entropy/packing-problem.js";
import { vm } from "./configuration-fixture.js";

const GiB = 2 ** 30;
const host = (id: number, cpu: number, memory: number): HostCapacity => ({ id, cpu, memory });
const consolidate = { objective: "consolidate", nodeBudget: DEFAULT_NODE_BUDGET } as const;

/** The test's own viability check: sums per host, every free VM on a known host. */
function viable(configuration: Configuration, target: Assignment): boolean {
  const known = new Set(configuration.hosts.map((h) => h.id));
  return (
    configuration.vms.every((v) => v.pinned || known.has(target[v.id] ?? -1)) &&
    configuration.hosts.every((h) => {
      const on = configuration.vms.filter((v) => target[v.id] === h.id);
      return (
        // The policies' slack (CAPACITY_SLACK): sums of fractions of cores depend on the order.
        on.reduce((s, v) => s + v.cpu, 0) <= h.cpu * (1 + 1e-9) &&
        on.reduce((s, v) => s + v.memory, 0) <= h.memory * (1 + 1e-9)
      );
    })
  );
}

const active = (configuration: Configuration, target: Assignment): number =>
  new Set(configuration.vms.map((v) => target[v.id]).filter((h) => h !== undefined)).size;

describe("lower bounds", () => {
  it("covers the demand with the fewest of the largest hosts", () => {
    // Identical hosts of 4: ceil(10 / 4) = 3.
    expect(capacityCoverBound(10, 0, [{ capacity: 4, count: 5 }])).toBe(3);
    // Hosts of 8, 4, 2: 8 < 10, 8 + 4 = 12 >= 10, so 2.
    const mixed = [
      { capacity: 2, count: 1 },
      { capacity: 8, count: 1 },
      { capacity: 4, count: 1 },
    ];
    expect(capacityCoverBound(10, 0, mixed)).toBe(2);
    // With 3 of room already on forced hosts: 8 >= 10 - 3, so 1.
    expect(capacityCoverBound(10, 3, mixed)).toBe(1);
    // All of them, 14, cannot hold 15.
    expect(capacityCoverBound(15, 0, mixed)).toBe(Infinity);
  });

  it("Martello–Toth L2 beats the continuous bound when items exceed half a host", () => {
    // Three items of 6 in hosts of 10: ceil(18 / 10) = 2, but no two share a host: L2 = 3.
    expect(martelloTothL2([6, 6, 6], 10)).toBe(3);
    // 7, 7, 3, 3, 3, 3: sum 26 -> 3; K = 3: two items in (5, 7] leave 2 x 3 = 6 of room, the four
    // 3s need 12: 6 more, one more host: 2 + 1 = 3.
    expect(martelloTothL2([7, 7, 3, 3, 3, 3], 10)).toBe(3);
    // 9 and 1 share a host: 1.
    expect(martelloTothL2([9, 1], 10)).toBe(1);
  });
});

describe("first-fit decreasing", () => {
  it("places by decreasing size into the first host with room", () => {
    // Sizes 5, 4, 3, 3, 3, 2 in hosts of 10: 5 + 4 = 9 (a 3 would make 12), 3 + 3 + 3 = 9,
    // and 2 fits in neither: 3 hosts.
    const configuration: Configuration = {
      hosts: [0, 1, 2, 3, 4, 5].map((id) => host(id, 1, 10)),
      vms: [5, 4, 3, 3, 3, 2].map((size, id) => vm(id, 0, size)),
    };
    const ffd = firstFitDecreasing(configuration);
    expect(ffd.activeHosts).toBe(3);
    expect(ffd.placedAll).toBe(true);
    expect(ffd.assignment).toEqual([0, 0, 1, 1, 1, 2]);
  });
});

/** One VM per size (memory, no CPU) and as many hosts of (1 core, `capacity`). */
function oneDimensional(sizes: readonly number[], capacity: number): PackingProblem {
  return buildPackingProblem({
    hosts: sizes.map((_, id) => host(id, 1, capacity)),
    vms: sizes.map((size, id) => vm(id, 0, size)),
  });
}

/** The sizes in each bin of a packing, each bin's sorted decreasing, bins sorted by them. */
function binSizes(problem: PackingProblem, packing: Packing): number[][] {
  return packing.bins
    .map((bin) =>
      bin.contents
        .flatMap(({ type, count }) =>
          new Array<number>(count).fill(problem.types[type]?.memory ?? NaN),
        )
        .sort((a, b) => b - a),
    )
    .sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0));
}

describe("exact-fill search", () => {
  it("applies only when the target leaves no waste in one resource, alone", () => {
    // 6 + 4 + 5 + 5 = 20 = 2 hosts of 10 exactly; 3 hosts would leave 10 of waste.
    const problem = oneDimensional([6, 4, 5, 5], 10);
    expect(exactFillResource(problem, 2)).toBe("memory");
    expect(exactFillResource(problem, 3)).toBeUndefined();
    // A VM that needs CPU too: two resources, not applicable.
    const twoResources = buildPackingProblem({
      hosts: [host(0, 1, 10), host(1, 1, 10)],
      vms: [vm(0, 1, 6), vm(1, 0, 4), vm(2, 0, 5), vm(3, 0, 5)],
    });
    expect(exactFillResource(twoResources, 2)).toBeUndefined();
    // A pinned VM makes its host forced: not applicable.
    const pinned = buildPackingProblem({
      hosts: [host(0, 1, 10), host(1, 1, 10)],
      vms: [vm(0, 0, 6, 0, true), vm(1, 0, 4), vm(2, 0, 5), vm(3, 0, 5)],
    });
    expect(exactFillResource(pinned, 2)).toBeUndefined();
  });

  it("fills every host exactly", () => {
    // 7, 6, 5, 5, 4, 3 in hosts of 10: 30 = 3 hosts. 7 only completes with 3, 6 only with 4, and
    // then 5 with 5: the one exact packing.
    const problem = oneDimensional([6, 4, 5, 5, 7, 3], 10);
    const result = searchExactFill(problem, "memory", new NodeBudget(10_000));
    expect(result.outcome.kind).toBe("found");
    expect(result.closest.activeHosts).toBe(3);
    expect(binSizes(problem, result.closest)).toEqual([
      [7, 3],
      [6, 4],
      [5, 5],
    ]);
  });

  it("proves that no exact packing exists, and still packs every VM", () => {
    // 8, 4, 4, 4: 20 = 2 hosts, but nothing completes 8 (it needs a 2). First-fit decreasing:
    // 8 | 4 + 4 | 4, 3 hosts.
    const problem = oneDimensional([8, 4, 4, 4], 10);
    const result = searchExactFill(problem, "memory", new NodeBudget(10_000));
    expect(result.outcome.kind).toBe("infeasible");
    expect(binSizes(problem, result.closest)).toEqual([[8], [4, 4], [4]]);
  });

  it("says nothing when out of budget", () => {
    const problem = oneDimensional([6, 4, 5, 5, 7, 3], 10);
    const result = searchExactFill(problem, "memory", new NodeBudget(2));
    expect(result.outcome.kind).toBe("incomplete");
    expect(result.closest.activeHosts).toBeGreaterThanOrEqual(3);
  });
});

describe("minimum bin slack (MBS')", () => {
  it("fills each host with the largest VM left and the set that leaves the least slack", () => {
    // 5, 4, 3, 3, 3, 2 in hosts of 10, where first-fit decreasing needs 3 (see above).
    // Host 1, seeded with 5; the search, largest first (types 5, 4, 3 x3, 2), one node a type:
    //   5+4 = 9 (node 1, best 9), 5+4+3 = 12 (node 2, no), 5+4+2 = 11 (node 3, no),
    //   5+3 = 8 (node 4), 5+3+3 = 11 (node 5, no), 5+3+2 = 10 (node 6): no slack, stop.
    // Host 2, seeded with 4 (the 10 left is all a host can get): 4+3 = 7 (node 7),
    //   4+3+3 = 10 (node 8): stop. 2 hosts, in 8 nodes.
    const problem = oneDimensional([5, 4, 3, 3, 3, 2], 10);
    const packing = packMinimumBinSlack(problem, new NodeBudget(8), 10_000);
    expect(packing?.activeHosts).toBe(2);
    expect(binSizes(problem, packing ?? { bins: [], activeHosts: 0 })).toEqual([
      [5, 3, 2],
      [4, 3, 3],
    ]);
    // One node short (7 = 8 - 1): the second host's search is cut, so no packing.
    expect(packMinimumBinSlack(problem, new NodeBudget(8 - 1), 10_000)).toBeUndefined();
    // With 2 nodes a host, host 1 stops at 5+4 = 9 (nodes 1 and 2 spent, 3rd refused): 5 + 4 |
    // 3 + 3 + 3 = 9 | 2, the same 3 hosts as first-fit decreasing.
    expect(packMinimumBinSlack(problem, new NodeBudget(100), 2)?.activeHosts).toBe(3);
  });

  it("applies only to one resource, on identical hosts with no pinned VM", () => {
    const twoResources = buildPackingProblem({
      hosts: [host(0, 2, 10), host(1, 2, 10)],
      vms: [vm(0, 1, 6), vm(1, 1, 4)],
    });
    expect(packMinimumBinSlack(twoResources, new NodeBudget(100), 100)).toBeUndefined();
    const pinned = buildPackingProblem({
      hosts: [host(0, 1, 10), host(1, 1, 10)],
      vms: [vm(0, 0, 6, 0, true), vm(1, 0, 4)],
    });
    expect(packMinimumBinSlack(pinned, new NodeBudget(100), 100)).toBeUndefined();
  });
});

describe("padded exact-fill search", () => {
  it("fills the waste with unit VMs, then drops them", () => {
    // 6, 5, 4, 4 in 2 hosts of 10: 19, a waste of 20 - 19 = 1, below the smallest VM (4). With
    // one unit VM the hosts are filled exactly: 6 + 4 and 5 + 4 + 1; without it, 6 + 4 | 5 + 4.
    const problem = oneDimensional([6, 5, 4, 4], 10);
    const result = searchPaddedExactFill(problem, 2, new NodeBudget(10_000));
    expect(result?.outcome.kind).toBe("found");
    expect(binSizes(problem, result?.closest ?? { bins: [], activeHosts: 0 })).toEqual([
      [6, 4],
      [5, 4],
    ]);
  });

  it("proves a target infeasible", () => {
    // 7, 6, 5 in 2 hosts of 10: waste 20 - 18 = 2 < 5, two unit VMs. 7 needs 3 more, and 1 + 1
    // = 2 is all it can get: no exact packing, so no packing into 2 hosts (every pair is > 10).
    const problem = oneDimensional([7, 6, 5], 10);
    const result = searchPaddedExactFill(problem, 2, new NodeBudget(10_000));
    expect(result?.outcome.kind).toBe("infeasible");
  });

  it("applies only when the waste is below the smallest VM, which is above 1", () => {
    // 3 hosts of 10 for 6, 5, 4, 4 waste 30 - 19 = 11 >= 4.
    expect(
      searchPaddedExactFill(oneDimensional([6, 5, 4, 4], 10), 3, new NodeBudget(100)),
    ).toBeUndefined();
    // A VM of demand 1 would be mistaken for a unit VM.
    expect(
      searchPaddedExactFill(oneDimensional([6, 3, 1], 6), 2, new NodeBudget(100)),
    ).toBeUndefined();
    // A pinned VM of 6 on host 0: the free 9, 4, 4 would waste 20 - 17 = 3 < 4 if the hosts were
    // empty, but host 0 has 10 - 6 = 4 left, so the padding would be wrong (9 fits on host 1
    // only, and 4 + 4 on host 0 does not fit): not applicable.
    const pinned = buildPackingProblem({
      hosts: [host(0, 1, 10), host(1, 1, 10)],
      vms: [vm(0, 0, 6, 0, true), vm(1, 0, 9), vm(2, 0, 4), vm(3, 0, 4)],
    });
    expect(searchPaddedExactFill(pinned, 2, new NodeBudget(100))).toBeUndefined();
    // No waste: the plain exact-fill search applies instead.
    expect(
      searchPaddedExactFill(oneDimensional([6, 4], 10), 1, new NodeBudget(100)),
    ).toBeUndefined();
  });
});

describe("optimise, consolidate: hand-computed cases", () => {
  it("finds two hosts where first-fit decreasing needs three", () => {
    // Same sizes: total 20 = 2 x 10, and {5, 3, 2}, {4, 3, 3} fill two hosts exactly.
    const configuration: Configuration = {
      hosts: [0, 1, 2, 3, 4, 5].map((id) => host(id, 1, 10)),
      vms: [5, 4, 3, 3, 3, 2].map((size, id) => vm(id, 0, size)),
    };
    const result = optimise(configuration, consolidate);
    expect(result.upperBound).toBe(3);
    expect(result.lowerBound).toBe(2);
    expect(result.activeHosts).toBe(2);
    expect(result.provenOptimal).toBe(true);
    expect(viable(configuration, result.assignment)).toBe(true);
    // Nothing ran anywhere: placing costs nothing.
    expect(result.migrationCost).toBe(0);
    expect(result.migrations).toBe(0);
  });

  it("keeps VMs that fill a host up to a rounding error together, with a bound of one host", () => {
    // 0.56 + 0.34 + 0.10 cores is 1.0000000000000002 in binary, not 1: with no slack, the bound
    // said 2 hosts and the search split the VMs, calling that optimal. One slack for all: the
    // three fit on one 1-core host (1 GiB each of its 4), so the bound and the result are 1, and
    // the two VMs on hosts 1 and 2 join the one on host 0 (0.56 cores, the most memory... all
    // equal: the lowest host id keeps its VM), 2 GiB migrated.
    const configuration: Configuration = {
      hosts: [host(0, 1, 4 * GiB), host(1, 1, 4 * GiB), host(2, 1, 4 * GiB)],
      vms: [vm(0, 0.56, GiB, 0), vm(1, 0.34, GiB, 1), vm(2, 0.1, GiB, 2)],
    };
    expect(0.56 + 0.34 + 0.1).toBeGreaterThan(1);
    const result = optimise(configuration, consolidate);
    expect(result.viable).toBe(true);
    expect(result.lowerBound).toBe(1);
    expect(result.activeHosts).toBe(1);
    expect(result.provenOptimal).toBe(true);
    expect(new Set(result.assignment)).toEqual(new Set([0]));
    expect(result.migrationCost).toBe(2 * GiB);
    expect(firstFitDecreasing(configuration).activeHosts).toBe(1);
  });

  it("keeps pinned VMs on their host, which counts as active", () => {
    // Host 0 holds a pinned VM of 4; free VMs of 6, 5, 5 on hosts of 10. Best: 4 + 6 on host 0,
    // 5 + 5 on another: 2 hosts (total 20 = 2 x 10, so no fewer).
    const configuration: Configuration = {
      hosts: [0, 1, 2].map((id) => host(id, 4, 10)),
      vms: [vm(0, 1, 4, 0, true), vm(1, 1, 6, 1), vm(2, 1, 5, 2), vm(3, 1, 5, 2)],
    };
    const result = optimise(configuration, consolidate);
    expect(result.activeHosts).toBe(2);
    expect(result.assignment[0]).toBe(0);
    expect(result.assignment[1]).toBe(0);
    expect(result.assignment[2]).toBe(result.assignment[3]);
    // The cheaper of the two ways: VM 1 (6) moves to host 0, the 5s stay together on host 2.
    expect(result.assignment[2]).toBe(2);
    expect(result.migrationCost).toBe(6);
    expect(viable(configuration, result.assignment)).toBe(true);
  });

  it("places VMs that run nowhere yet, at no migration cost", () => {
    const configuration: Configuration = {
      hosts: [0, 1].map((id) => host(id, 4, 10)),
      vms: [vm(0, 1, 3, 0), vm(1, 1, 3)],
    };
    const result = optimise(configuration, consolidate);
    // 3 + 3 <= 10: one host, the one VM 0 is on; VM 1 starts there.
    expect(result.assignment).toEqual([0, 0]);
    expect(result.migrationCost).toBe(0);
    expect(result.activeHosts).toBe(1);
  });

  it("picks the cheaper of the packings with the fewest hosts", () => {
    // Hosts A=0, B=1, C=2 of 10 GiB. VMs: 7@A, 3@B, 6@B, 4@C; total 20 GiB: 2 hosts, and 7 can
    // only share with 3: {7, 3}, {6, 4}. Keeping A and B: 3 moves B->A, 4 moves C->B: 3 + 4 = 7
    // GiB. Keeping A and C: 3 -> A, 6 -> C: 9. Keeping B and C: 7 cannot join B (3 + 6) nor C
    // (4) without moving more: 6 -> C, 7 -> B: 13. So 7 GiB, 2 migrations.
    const configuration: Configuration = {
      hosts: [0, 1, 2].map((id) => host(id, 8, 10 * GiB)),
      vms: [vm(0, 1, 7 * GiB, 0), vm(1, 1, 3 * GiB, 1), vm(2, 1, 6 * GiB, 1), vm(3, 1, 4 * GiB, 2)],
    };
    const result = optimise(configuration, consolidate);
    expect(result.activeHosts).toBe(2);
    expect(result.assignment).toEqual([0, 0, 1, 1]);
    expect(result.migrationCost).toBe(7 * GiB);
    expect(result.migrations).toBe(2);
  });

  it("respects CPU as well as memory", () => {
    // Memory would fit all three VMs on one host (3 x 2 <= 10), CPU does not (3 x 2 > 4): two
    // hosts, and the lower bound says so: ceil(6 / 4) = 2.
    const configuration: Configuration = {
      hosts: [0, 1, 2].map((id) => host(id, 4, 10)),
      vms: [vm(0, 2, 2, 0), vm(1, 2, 2, 1), vm(2, 2, 2, 2)],
    };
    const result = optimise(configuration, consolidate);
    expect(result.lowerBound).toBe(2);
    expect(result.activeHosts).toBe(2);
    expect(viable(configuration, result.assignment)).toBe(true);
  });

  it("reports an impossible configuration instead of throwing", () => {
    // A VM of 12 GiB on hosts of 10: nothing viable; the VMs stay where they are.
    const configuration: Configuration = {
      hosts: [host(0, 4, 10)],
      vms: [vm(0, 1, 12, 0)],
    };
    const result = optimise(configuration, consolidate);
    expect(result.viable).toBe(false);
    expect(result.assignment).toEqual([0]);
  });
});

describe("optimise, balance", () => {
  it("lowers the peak CPU load ratio, then migrates the fewest bytes", () => {
    // Hosts of 4 cores: H0 runs VMs of 2 and 2 cores (ratio 1), H1 one of 1 core (0.25).
    // Splits: {2, 2 | 1} peaks at 4/4 = 1; {2 | 2, 1} at 3/4 = 0.75 (the best: 5 cores cannot
    // split better than 3 + 2). At 0.75, moving VM 0 (10 GiB) beats moving VM 1 (20 GiB), and
    // VM 2 stays on H1.
    const configuration: Configuration = {
      hosts: [host(0, 4, 100 * GiB), host(1, 4, 100 * GiB)],
      vms: [vm(0, 2, 10 * GiB, 0), vm(1, 2, 20 * GiB, 0), vm(2, 1, 5 * GiB, 1)],
    };
    const result = optimise(configuration, { objective: "balance", nodeBudget: 10_000 });
    expect(result.maxCpuLoad).toBe(0.75);
    expect(result.assignment).toEqual([1, 0, 1]);
    expect(result.migrationCost).toBe(10 * GiB);
    expect(viable(configuration, result.assignment)).toBe(true);
  });

  it("keeps a configuration that is already balanced", () => {
    const configuration: Configuration = {
      hosts: [host(0, 4, 10), host(1, 4, 10)],
      vms: [vm(0, 2, 1, 0), vm(1, 2, 1, 1)],
    };
    const result = optimise(configuration, { objective: "balance", nodeBudget: 10_000 });
    expect(result.assignment).toEqual([0, 1]);
    expect(result.migrations).toBe(0);
    // 4 cores of demand over 8: 0.5, met.
    expect(result.provenOptimal).toBe(true);
  });
});

/** Smallest number of active hosts over every assignment of the free VMs, or Infinity. */
function bruteForceHosts(configuration: Configuration): number {
  const free = configuration.vms.filter((v) => !v.pinned);
  const target: (number | undefined)[] = configuration.vms.map(() => undefined);
  for (const v of configuration.vms) target[v.id] = v.host;
  let best = Infinity;
  const visit = (i: number): void => {
    const next = free[i];
    if (next === undefined) {
      if (viable(configuration, target)) best = Math.min(best, active(configuration, target));
      return;
    }
    for (const h of configuration.hosts) {
      target[next.id] = h.id;
      visit(i + 1);
    }
    target[next.id] = next.host;
  };
  visit(0);
  return best;
}

const smallConfiguration = fc
  .record({
    hosts: fc.array(
      fc.record({ cpu: fc.integer({ min: 1, max: 6 }), memory: fc.integer({ min: 1, max: 12 }) }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    vms: fc.array(
      fc.record({
        cpu: fc.integer({ min: 0, max: 4 }),
        memory: fc.integer({ min: 0, max: 8 }),
        at: fc.integer({ min: -1, max: 3 }),
        pinned: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
  })
  .map(({ hosts, vms }): Configuration => ({
    hosts: hosts.map((h, id) => host(id, h.cpu, h.memory)),
    vms: vms.map((v, id) => {
      const at = v.at >= 0 && v.at < hosts.length ? v.at : undefined;
      return vm(id, v.cpu, v.memory, at, v.pinned && at !== undefined && v.at % 2 === 0);
    }),
  }));

describe("optimise, properties on random small configurations", () => {
  it("is viable, between the bounds, optimal when it says so, and deterministic", () => {
    fc.assert(
      fc.property(smallConfiguration, (configuration) => {
        const result = optimise(configuration, { objective: "consolidate", nodeBudget: 200_000 });
        const brute = bruteForceHosts(configuration);
        expect(result.viable).toBe(brute < Infinity);
        if (!result.viable) return;
        expect(viable(configuration, result.assignment)).toBe(true);
        expect(result.activeHosts).toBe(active(configuration, result.assignment));
        expect(result.activeHosts).toBeGreaterThanOrEqual(result.lowerBound);
        expect(result.lowerBound).toBeLessThanOrEqual(brute);
        expect(result.activeHosts).toBeLessThanOrEqual(result.upperBound);
        if (result.provenOptimal) expect(result.activeHosts).toBe(brute);
        const moved = configuration.vms.filter(
          (v) => v.host !== undefined && result.assignment[v.id] !== v.host,
        );
        expect(result.migrations).toBe(moved.length);
        expect(result.migrationCost).toBe(moved.reduce((s, v) => s + v.memory, 0));
        for (const v of configuration.vms)
          if (v.pinned) expect(result.assignment[v.id]).toBe(v.host);
        expect(optimise(configuration, { objective: "consolidate", nodeBudget: 200_000 })).toEqual(
          result,
        );
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it("balance gives viable assignments, deterministically", () => {
    fc.assert(
      fc.property(smallConfiguration, (configuration) => {
        const result = optimise(configuration, { objective: "balance", nodeBudget: 100_000 });
        if (result.viable) expect(viable(configuration, result.assignment)).toBe(true);
        else expect(bruteForceHosts(configuration)).toBe(Infinity);
        expect(optimise(configuration, { objective: "balance", nodeBudget: 100_000 })).toEqual(
          result,
        );
      }),
      { numRuns: 200, seed: 20261124 },
    );
  });
});
