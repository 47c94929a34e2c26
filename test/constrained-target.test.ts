import { describe, expect, it } from "vitest";
import { buildPlatform } from "../src/platform/build.js";
import { syntheticPlatform } from "../src/platform/synthetic.js";
import type { Configuration } from "../src/policies/consolidation/configuration.js";
import { buildPlan } from "../src/policies/consolidation/entropy/plan.js";
import {
  keepConstraints,
  movesKeepConstraints,
} from "../src/policies/constraints/constrained-target.js";
import { arrivalsKeepConstraints } from "../src/policies/constraints/arrivals-check.js";
import { constrainedSwitch } from "../src/policies/constraints/plan-guard.js";
import { resolveConstraints } from "../src/policies/constraints/placement-constraints.js";
import type { VmWhere } from "../src/policies/constraints/vjob-places.js";
import type { ConstraintSpec } from "../src/scenario/constraints-section.js";

/** Two sites of two hosts (ids 0, 1 in s0; 2, 3 in s1), 4 cores and 16 GiB each. */
const platform = buildPlatform(
  syntheticPlatform({ sites: 2, hostsPerSite: 2, cores: 4, memory: 16 * 2 ** 30 }),
);
const GB = 2 ** 30;

/**
 * A decision over hosts `hosts` with one VM per entry of `vms` (1 core, 2 GB; cloud VM id =
 * index + 100), each of a vjob; `outside` are VMs of vjobs the decision does not see; at time `now`.
 */
function decision(
  hosts: readonly number[],
  /** `reserved`: cores the VM reserves (preserve). */
  vms: readonly { vjob: string; host: number | undefined; reserved?: number }[],
  outside: readonly { vjob: string; id: number; host: number }[] = [],
  now = 0,
) {
  const configuration: Configuration = {
    hosts: hosts.map((id) => ({ id, cpu: 4, memory: 16 * GB })),
    vms: vms.map((vm, id) => ({
      id,
      cpu: 1,
      memory: 2 * GB,
      host: vm.host,
      pinned: false,
      vm: id + 100,
    })),
  };
  const where = (vm: { id: number; host: number | undefined; reserved?: number }): VmWhere => ({
    id: vm.id,
    host: vm.host,
    state: vm.host === undefined ? "waiting" : "running",
    destination: undefined,
    spec: { reserved: vm.reserved ?? 0 },
  });
  const all = [...vms.map((vm, i) => ({ ...vm, id: i + 100 })), ...outside];
  const vmsOnHost = (host: number) => {
    const counts = new Map<string, number>();
    for (const vm of all) {
      if (vm.host === host) counts.set(vm.vjob, (counts.get(vm.vjob) ?? 0) + 1);
    }
    return counts;
  };
  const places = {
    vjobOfVm: (id: number) => vms[id - 100]?.vjob,
    vmsOf: (vjob: string) => all.filter((vm) => vm.vjob === vjob).map(where),
    vmsOnHost,
    vjobsOn: (host: number) => vmsOnHost(host).keys(),
  };
  const context = (specs: ConstraintSpec[]) => ({
    constraints: resolveConstraints(specs, platform),
    platform,
    places,
    clock: { now },
    reservedOn: (host: number) =>
      vms.reduce((sum, vm) => sum + (vm.host === host ? (vm.reserved ?? 0) : 0), 0),
  });
  /** The decision's VMs as the cloud numbers them. */
  const cloudVms = configuration.vms.map((demand) => ({ id: demand.vm ?? -1 }));
  const keep = (specs: ConstraintSpec[], target: readonly (number | undefined)[]) =>
    keepConstraints(context(specs), configuration, target);
  /** The plan's pools to the kept target, ordered by the continuous constraints. */
  const plan = (specs: ConstraintSpec[], target: readonly (number | undefined)[]) => {
    const kept = constrainedSwitch(context(specs), configuration, cloudVms, target);
    return buildPlan(configuration, kept.target, kept.guard ? { guard: kept.guard } : {}).pools;
  };
  /** Whether a plan to `target` may start the VM's arrival on `host` at `when`. */
  const arrives = (
    specs: ConstraintSpec[],
    target: readonly (number | undefined)[],
    vm: number,
    host: number,
    when: number,
  ) =>
    arrivalsKeepConstraints(
      { ...context(specs), clock: { now: when } },
      configuration,
      cloudVms,
      target,
    )(vm + 100, host);
  /** Whether the moves of `moved` in `target` stand under the constraints. */
  const moves = (
    specs: ConstraintSpec[],
    target: readonly (number | undefined)[],
    moved: readonly number[],
  ) => movesKeepConstraints(context(specs), configuration)(target, moved);
  return Object.assign(keep, { plan, arrives, moves });
}

const among = (vjobs: string[], holds: "continuous" | "discrete" = "discrete"): ConstraintSpec => ({
  type: "among",
  vjobs,
  within: "site",
  holds,
  onViolation: "wait",
});

const gather = (holds: "continuous" | "discrete"): ConstraintSpec => ({
  type: "gather",
  vjobs: "each",
  holds,
  onViolation: "wait",
});

describe("keepConstraints (a consolidation's target checked against the constraints)", () => {
  it("counts a group's vjobs outside the decision where they are", () => {
    // a's VM sits on host 0 (s0), outside a group manager's decision over hosts 1 and 2; b's VM
    // is on host 1 (s0). Moving b to host 2 (s1) splits the group across two sites: undone. The
    // same move without a in the group stands.
    const keep = decision([1, 2], [{ vjob: "b", host: 1 }], [{ vjob: "a", id: 7, host: 0 }]);
    expect(keep([among(["a", "b"])], [2])).toEqual([1]);
    expect(keep([among(["b"])], [2])).toEqual([2]);
  });

  it("leaves a controller's queued vjob queued when starting it would break a constraint", () => {
    // a runs on host 0; b (queued, no host) is started by the target on host 0 too: a spread of
    // the group would break, so b stays queued; a start on host 1 keeps it and stands.
    const keep = decision(
      [0, 1],
      [
        { vjob: "a", host: 0 },
        { vjob: "b", host: undefined },
      ],
    );
    const spread: ConstraintSpec = {
      type: "spread",
      vjobs: ["a", "b"],
      across: "host",
      holds: "discrete",
      onViolation: "wait",
    };
    expect(keep([spread], [0, 0])).toEqual([0, undefined]);
    expect(keep([spread], [0, 1])).toEqual([0, 1]);
  });

  it("never undoes a suspend, and sends back a host's arrivals when an undo overloads it", () => {
    // a0 and a1 (vjob a, gathered) on host 0, c on host 1. The target suspends c and moves a1 to
    // host 1: the gather breaks, a1 goes back to host 0; c's suspend stands.
    const keep = decision(
      [0, 1],
      [
        { vjob: "a", host: 0 },
        { vjob: "a", host: 0 },
        { vjob: "c", host: 1 },
      ],
    );
    expect(keep([gather("discrete")], [0, 1, undefined])).toEqual([0, 0, undefined]);
    // a0, a1 on host 0, c1-c3 on host 1; the target swaps a1 for the three c's: 1 + 3 = 4 cores
    // on host 0. Undoing a1's move puts 2 + 3 = 5 cores on host 0's 4, more than the target's 4
    // and than its 2 now: c1 (first by id) goes back to host 1, leaving 4. c2 and c3 move.
    const full = decision(
      [0, 1],
      [
        { vjob: "a", host: 0 },
        { vjob: "a", host: 0 },
        { vjob: "c1", host: 1 },
        { vjob: "c2", host: 1 },
        { vjob: "c3", host: 1 },
      ],
    );
    expect(full([gather("discrete")], [0, 1, 0, 0, 0])).toEqual([0, 0, 1, 0, 0]);
    // Host 0 overloaded now: a0, a1 and d1-d4, 6 cores on 4; e on host 1. The target moves a1
    // and d1 to host 1 and e to host 0 (5 cores left there). Undoing a1's move makes 6: over its
    // cores and the target's 5, but no more than the 6 it has now (moving nothing would leave
    // 6): e's arrival and d1's move stand.
    const overloaded = decision(
      [0, 1],
      [
        ...["a", "a", "d1", "d2", "d3", "d4"].map((vjob) => ({ vjob, host: 0 })),
        { vjob: "e", host: 1 },
      ],
    );
    expect(overloaded([gather("discrete")], [0, 1, 1, 0, 0, 0, 0])).toEqual([0, 0, 1, 0, 0, 0, 0]);
  });

  it("keeps a continuous gather or among from moving its VMs out of their place", () => {
    // a0, a1 on host 0 move together to host 1: once done they are gathered (discrete: it
    // stands), but while they migrate each is on both hosts (continuous: undone). Within s0 an
    // among holds all along; to s1 (host 2) only a discrete one lets it happen.
    const keep = decision(
      [0, 1, 2],
      [
        { vjob: "a", host: 0 },
        { vjob: "a", host: 0 },
      ],
    );
    expect(keep([gather("discrete")], [1, 1])).toEqual([1, 1]);
    expect(keep([gather("continuous")], [1, 1])).toEqual([0, 0]);
    const within = (holds: "continuous" | "discrete") => among(["a"], holds);
    expect(keep([within("continuous")], [1, 1])).toEqual([1, 1]);
    expect(keep([within("continuous")], [2, 2])).toEqual([0, 0]);
    expect(keep([within("discrete")], [2, 2])).toEqual([2, 2]);
  });
});

describe("a few moves of a target checked as keepConstraints would (a drain's)", () => {
  it("refuses a move onto a spread sibling's host, into quarantine, or next to a lonely vjob", () => {
    // a0 on host 0, a1 on host 1, b on host 2. Moving a1 to host 0 breaks a's spread; to host 3
    // it stands. A quarantine of host 3 refuses it there; a lonely b refuses a1 on host 2.
    const moves = decision(
      [0, 1, 2, 3],
      [
        { vjob: "a", host: 0 },
        { vjob: "a", host: 1 },
        { vjob: "b", host: 2 },
      ],
    ).moves;
    const spread: ConstraintSpec = {
      type: "spread",
      vjobs: "each",
      across: "host",
      holds: "continuous",
      onViolation: "wait",
    };
    expect(moves([spread], [0, 0, 2], [1])).toBe(false);
    expect(moves([spread], [0, 3, 2], [1])).toBe(true);
    expect(moves([{ type: "quarantine", hosts: ["s1h1"], from: 0 }], [0, 3, 2], [1])).toBe(false);
    const lonely: ConstraintSpec = {
      type: "lonely",
      vjobs: ["b"],
      holds: "discrete",
      onViolation: "wait",
    };
    expect(moves([lonely], [0, 2, 2], [1])).toBe(false);
    expect(moves([lonely], [0, 3, 2], [1])).toBe(true);
  });
});

describe("a plan's arrivals under CPU reservations (preserve)", () => {
  it("skips an arrival whose reservation would exceed its destination's cores", () => {
    // a (reserving 2 cores) on host 0; b and c reserve 2 each on host 1: its 4 cores are all
    // reserved, so a may not start arriving there (2 + 4 > 4); host 2 has none reserved. Without
    // a preserve constraint on a, nothing is checked.
    const arrives = decision(
      [0, 1, 2],
      [
        { vjob: "a", host: 0, reserved: 2 },
        { vjob: "b", host: 1, reserved: 2 },
        { vjob: "c", host: 1, reserved: 2 },
      ],
    ).arrives;
    const preserve = (vjobs: string[]): ConstraintSpec => ({
      type: "preserve",
      vjobs,
      cores: 2,
      holds: "discrete",
      onViolation: "wait",
    });
    expect(arrives([preserve(["a"])], [1, 1, 1], 0, 1, 0)).toBe(false);
    expect(arrives([preserve(["a"])], [2, 1, 1], 0, 2, 0)).toBe(true);
    expect(arrives([preserve(["b"])], [1, 1, 1], 0, 1, 0)).toBe(true);
  });
});

describe("plans under continuous constraints", () => {
  it("a swap across sites under a continuous site spread suspends one VM, then resumes it", () => {
    // a0 on host 0 (s0) goes to host 3 (s1) and a1 on host 2 (s1) to host 1 (s0): neither may
    // arrive while the other is in its site, and the hosts form no cycle (0 -> 3, 2 -> 1), so no
    // pivot helps: the cheapest VM (equal memory: a0, the smaller id) is suspended; a1 moves to
    // s0; once it has left s1, a0 resumes on host 3. Discrete: both migrate at once.
    const swap = decision(
      [0, 1, 2, 3],
      [
        { vjob: "a", host: 0 },
        { vjob: "a", host: 2 },
      ],
    );
    const spread = (holds: "continuous" | "discrete"): ConstraintSpec => ({
      type: "spread",
      vjobs: "each",
      across: "site",
      holds,
      onViolation: "wait",
    });
    expect(swap.plan([spread("continuous")], [3, 1])).toEqual([
      [{ kind: "suspend", vm: 0, on: 0 }],
      [{ kind: "migrate", vm: 1, from: 2, to: 1 }],
      [{ kind: "resume", vm: 0, to: 3 }],
    ]);
    expect(swap.plan([spread("discrete")], [3, 1])).toEqual([
      [
        { kind: "migrate", vm: 0, from: 0, to: 3 },
        { kind: "migrate", vm: 1, from: 2, to: 1 },
      ],
    ]);
  });

  it("a swap of a lonely vjob's VM with another's goes through a pivot when continuous", () => {
    // a (lonely) on host 0, b on host 1; the target swaps them. Once done a is alone on host 1:
    // both the discrete and the continuous constraint keep the target. Discrete: one pool.
    // Continuous: a may not arrive on host 1 while b is there, nor b on host 0 while a is: the
    // cycle is stuck, so a (equal memory: the smaller id) bypasses to host 2, then b goes to
    // host 0, then a to host 1.
    const swap = decision(
      [0, 1, 2],
      [
        { vjob: "a", host: 0 },
        { vjob: "b", host: 1 },
      ],
    );
    const lonely = (holds: "continuous" | "discrete"): ConstraintSpec => ({
      type: "lonely",
      vjobs: ["a"],
      holds,
      onViolation: "wait",
    });
    expect(swap.plan([lonely("discrete")], [1, 0])).toEqual([
      [
        { kind: "migrate", vm: 0, from: 0, to: 1 },
        { kind: "migrate", vm: 1, from: 1, to: 0 },
      ],
    ]);
    expect(swap.plan([lonely("continuous")], [1, 0])).toEqual([
      [{ kind: "migrate", vm: 0, from: 0, to: 2 }],
      [{ kind: "migrate", vm: 1, from: 1, to: 0 }],
      [{ kind: "migrate", vm: 0, from: 2, to: 1 }],
    ]);
    // b moving onto a's host is undone, whoever of them is in the decision's list first.
    expect(swap([lonely("discrete")], [0, 0])).toEqual([0, 1]);
    expect(swap([lonely("discrete")], [1, 1])).toEqual([0, 1]);
  });

  it("refuses, as a plan runs, a move onto or off a host whose quarantine began after the decision", () => {
    // a on host 0, b on host 1; the plan moves a to host 2 and b to host 0. Host 0 is in
    // quarantine from 100 s: at 50 s both moves may start, at 150 s neither (a would leave it,
    // b land on it).
    const moves = decision(
      [0, 1, 2],
      [
        { vjob: "a", host: 0 },
        { vjob: "b", host: 1 },
      ],
    );
    const quarantine: ConstraintSpec = { type: "quarantine", hosts: ["s0h0"], from: 100 };
    expect(moves.arrives([quarantine], [2, 0], 0, 2, 50)).toBe(true);
    expect(moves.arrives([quarantine], [2, 0], 1, 0, 50)).toBe(true);
    expect(moves.arrives([quarantine], [2, 0], 0, 2, 150)).toBe(false);
    expect(moves.arrives([quarantine], [2, 0], 1, 0, 150)).toBe(false);
  });

  it("undoes a consolidation's moves onto and off a host in quarantine, and only while it lasts", () => {
    // Host 0 in quarantine from 100 s to 200 s. At 150 s, a leaving host 0 and b landing on it
    // are both undone, c's move between hosts 1 and 2 stands; at 250 s all three stand.
    const quarantine: ConstraintSpec = {
      type: "quarantine",
      hosts: ["s0h0"],
      from: 100,
      until: 200,
    };
    const vms = [
      { vjob: "a", host: 0 },
      { vjob: "b", host: 1 },
      { vjob: "c", host: 1 },
    ];
    expect(decision([0, 1, 2], vms, [], 150)([quarantine], [2, 0, 2])).toEqual([0, 1, 2]);
    expect(decision([0, 1, 2], vms, [], 250)([quarantine], [2, 0, 2])).toEqual([2, 0, 2]);
  });
});
