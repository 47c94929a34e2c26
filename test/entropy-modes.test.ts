import { describe, expect, it } from "vitest";
import type { Configuration } from "../src/policies/consolidation/configuration.js";
import { contextSwitchTarget } from "../src/policies/consolidation/entropy/context-switch.js";
import { ENTROPY, PER_VM_HOST } from "../src/policies/consolidation/entropy/entropy-policy.js";
import { repair } from "../src/policies/consolidation/entropy/repair.js";
import { RandomStreams } from "../src/sim/random.js";
import { testCloud } from "./cloud-fixture.js";
import { hosts, vm } from "./configuration-fixture.js";

describe("Entropy's repair objective", () => {
  it("leaves a viable configuration alone", () => {
    const configuration: Configuration = {
      hosts: hosts(2, 4, 8),
      vms: [vm(0, 2, 2, 0), vm(1, 2, 2, 0), vm(2, 1, 2, 1)],
    };
    expect(repair(configuration, 1000)).toMatchObject({
      assignment: [0, 0, 1],
      migrationCost: 0,
      viable: true,
    });
  });

  it("moves the set of least memory that covers the excess, to the host it fills best", () => {
    // Host 0 (4 cores) holds 2 + 1.5 + 1.5 = 5 cores: 1 core too many. Covers of 1 core: vm0
    // (2 cores, 6 GB), vm1 (1.5, 1 GB), vm2 (1.5, 2 GB): the cheapest is vm1 alone, 1 GB (the
    // largest-CPU-first greedy would move vm0, 6 GB). Receivers: host 1 has 4 - 3 = 1 core left,
    // too few for 1.5; host 2 has 4 - 1 = 3: vm1 goes to host 2.
    const configuration: Configuration = {
      hosts: hosts(3, 4, 16),
      vms: [vm(0, 2, 6, 0), vm(1, 1.5, 1, 0), vm(2, 1.5, 2, 0), vm(3, 3, 1, 1), vm(4, 1, 1, 2)],
    };
    expect(repair(configuration, 1000)).toMatchObject({
      assignment: [0, 2, 0, 1, 2],
      migrationCost: 1,
      viable: true,
    });
  });

  it("says when an evicted VM finds no room, and keeps it where it is", () => {
    const configuration: Configuration = {
      hosts: hosts(1, 2, 8),
      vms: [vm(0, 2, 1, 0), vm(1, 1, 1, 0)],
    };
    expect(repair(configuration, 1000)).toMatchObject({ assignment: [0, 0], viable: false });
  });
});

describe("Entropy's context switch", () => {
  it("runs vjobs first come first served, suspending later ones to make room", () => {
    // Two hosts of 4 cores and 8 GB. Vjob A (vm0, vm1: 2 cores, 4 GB each) has priority and has
    // never run; vjob B (vm2, vm3: 2 cores, 4 GB) runs on host 0 and vjob C (vm4: 4 cores, 8 GB)
    // on host 1. A takes 4 cores: placed largest memory first, vm0 and vm1 tie (4 GB): vm0 first,
    // on host 0 (empty in the target so far), then vm1 on host 0 too (2 + 2 = 4 cores, 8 GB). B
    // then finds host 0 full: vm2 and vm3 go to host 1 (4 cores, 8 GB). C fits nowhere: off.
    const configuration: Configuration = {
      hosts: hosts(2, 4, 8),
      vms: [vm(0, 2, 4), vm(1, 2, 4), vm(2, 2, 4, 0), vm(3, 2, 4, 0), vm(4, 4, 8, 1)],
    };
    const { assignment } = contextSwitchTarget(configuration, [[0, 1], [2, 3], [4]]);
    expect(assignment).toEqual([0, 0, 1, 1, undefined]);
  });

  it("serves vjobs in priority order, keeping running VMs where they still fit", () => {
    // Vjob A (vm0: 4 cores) runs on host 0 and stays; B (vm1: 4 cores, 8 GB, never ran) and C
    // (vm2: 1 core, 2 GB, running on host 1) compete for host 1. In the order A, B, C: B takes
    // host 1 whole and C, after it, is switched off (suspended).
    const configuration: Configuration = {
      hosts: hosts(2, 4, 8),
      vms: [vm(0, 4, 4, 0), vm(1, 4, 8), vm(2, 1, 2, 1)],
    };
    expect(contextSwitchTarget(configuration, [[0], [1], [2]]).assignment).toEqual([
      0,
      1,
      undefined,
    ]);
    // In the order A, C, B: C keeps host 1 and B waits.
    expect(contextSwitchTarget(configuration, [[0], [2], [1]]).assignment).toEqual([
      0,
      undefined,
      1,
    ]);
  });

  it("never switches off a vjob busy with an operation", () => {
    // vm0 of vjob A is booting (pinned) on host 0 with 4 cores: A keeps host 0 although B (vm1,
    // never ran) comes first; B takes host 1, and the third vjob (vm2) finds no room.
    const configuration: Configuration = {
      hosts: hosts(2, 4, 8),
      vms: [vm(0, 4, 4, 0, true), vm(1, 4, 4), vm(2, 4, 4)],
    };
    expect(contextSwitchTarget(configuration, [[1], [0], [2]]).assignment).toEqual([
      0,
      1,
      undefined,
    ]);
  });
});

describe("Entropy's decision cost", () => {
  const decide = (options: object, configuration: Configuration): number =>
    ENTROPY.create(
      // The registry's parse, with every default filled in (the type is what it validates).
      ENTROPY.options?.parse({ objective: "repair", ...options }) as Parameters<
        typeof ENTROPY.create
      >[0],
      { stream: () => new RandomStreams(1).stream("unused") },
    ).decide({
      now: 0,
      configuration,
      suspended: new Set(),
      vjobs: [],
      cloud: testCloud().cloud,
      watts: () => 0,
    }).computeTime;

  it("grows with the VMs and hosts the manager sees, then the nodes it explored", () => {
    // Nothing overloaded: repair explores no node. 1 s + 0.5 s x 3 VMs x 2 hosts = 4 s; with
    // twice the hosts (and the VMs where they were), 1 + 0.5 x 3 x 4 = 7 s.
    const computeTime = { perDecision: 1, perVmHost: 0.5, perNode: 0.25 };
    const vms = [vm(0, 1, 1, 0), vm(1, 1, 1, 0), vm(2, 1, 1, 1)];
    expect(decide({ computeTime }, { hosts: hosts(2, 4, 8), vms })).toBe(1 + 0.5 * 3 * 2);
    expect(decide({ computeTime }, { hosts: hosts(4, 4, 8), vms })).toBe(1 + 0.5 * 3 * 4);
    // An overloaded host (3 cores on 2): the cover search's nodes are charged too, at 0.25 s
    // each, so more than the size terms alone.
    const over = [vm(0, 2, 1, 0), vm(1, 1, 1, 0), vm(2, 1, 1, 1)];
    expect(decide({ computeTime }, { hosts: hosts(2, 2, 8), vms: over })).toBeGreaterThan(
      1 + 0.5 * 3 * 2,
    );
  });

  it("defaults to BtrPlace's 3 minutes for 30,000 VMs on 5,000 hosts, plus a second", () => {
    // 1 s + 1.2e-6 s x 30,000 x 5,000 = 1 + 180 s; the VMs run nowhere, so repair has nothing to do.
    expect(PER_VM_HOST * 30_000 * 5_000).toBeCloseTo(180, 9);
    const configuration: Configuration = {
      hosts: hosts(5_000, 8, 32),
      vms: Array.from({ length: 30_000 }, (_, id) => vm(id, 0.5, 1, undefined)),
    };
    expect(decide({}, configuration)).toBeCloseTo(1 + 180, 6);
  });
});
