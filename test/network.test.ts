import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Flow } from "../src/network/flow.js";
import { type LinkSpec, Network, type NetworkOptions } from "../src/network/network.js";
import { solveMaxMinReference } from "../src/network/maxmin-reference.js";
import { Simulation } from "../src/sim/index.js";

const MB = 1e6;
const link = (name: string, bandwidth = 100 * MB, latency = 0): LinkSpec => ({
  name,
  bandwidth,
  latency,
});

function setup(links: LinkSpec[], options: NetworkOptions = {}) {
  const sim = new Simulation();
  const network = new Network(sim, links, options);
  const ends = new Map<number, number>();
  network.flowCompleted.subscribe((flow) => ends.set(flow.id, flow.endTime));
  return { sim, network, ends };
}

describe("network: hand-computed cases", () => {
  it("two flows of 100 MB on one 100 MB/s link finish at 2 s", () => {
    // Each gets 100 / 2 = 50 MB/s, so 100 MB take 100 / 50 = 2 s.
    const { sim, network, ends } = setup([link("l")]);
    const a = network.startFlow([0], 100 * MB);
    const b = network.startFlow([0], 100 * MB);
    sim.run();
    expect(ends.get(a.id)).toBe(2);
    expect(ends.get(b.id)).toBe(2);
  });

  it("parking lot: a long flow over two links and a short one on each all get 50 MB/s", () => {
    const { sim, network } = setup([link("l0"), link("l1")]);
    const long = network.startFlow([0, 1], 1000 * MB);
    const short0 = network.startFlow([0], 1000 * MB);
    const short1 = network.startFlow([1], 1000 * MB);
    sim.run({ until: 1 });
    expect([long.rate, short0.rate, short1.rate]).toEqual([50 * MB, 50 * MB, 50 * MB]);
  });

  it("a flow leaving mid-way speeds the others up from that instant", () => {
    // A (100 MB) and B (300 MB) share 100 MB/s at 50 each. A ends at 100 / 50 = 2 s; B has
    // 300 - 2 x 50 = 200 MB left, alone at 100 MB/s: ends at 2 + 200 / 100 = 4 s.
    const { sim, network, ends } = setup([link("l")]);
    const a = network.startFlow([0], 100 * MB);
    const b = network.startFlow([0], 300 * MB);
    sim.run({ until: 3 });
    expect(b.rate).toBe(100 * MB);
    sim.run();
    expect(ends.get(a.id)).toBe(2);
    expect(ends.get(b.id)).toBe(4);
  });

  it("adds the route latency once per flow, before any byte moves", () => {
    // Latencies 0.01 + 0.02 = 0.03 s, then 100 MB at 100 MB/s = 1 s: ends at 1.03 s.
    const { sim, network, ends } = setup([link("a", 100 * MB, 0.01), link("b", 100 * MB, 0.02)]);
    const flow = network.startFlow([0, 1], 100 * MB);
    sim.run({ until: 0.02 });
    expect(flow.state).toBe("latency");
    expect(flow.rate).toBe(0);
    sim.run();
    expect(ends.get(flow.id)).toBeCloseTo(0.03 + 1, 12);
  });

  it("a flow through a failed link is reported failed and the others re-share", () => {
    // A on link 0; B on links 0 and 1. Both at 50 MB/s until link 1 fails at t = 1 s: B fails;
    // A has 300 - 50 = 250 MB left, alone at 100 MB/s: ends at 1 + 2.5 = 3.5 s.
    const { sim, network, ends } = setup([link("l0"), link("l1")]);
    const failures: string[] = [];
    network.flowFailed.subscribe(({ flow, reason }) => failures.push(`${flow.id}: ${reason}`));
    const a = network.startFlow([0], 300 * MB);
    const b = network.startFlow([0, 1], 300 * MB);
    sim.scheduleAt(1, () => {
      network.setLinkUp(1, false);
    });
    sim.run();
    expect(failures).toEqual([`${b.id}: link "l1" is down`]);
    expect(b.state).toBe("failed");
    expect(b.remainingAt(1)).toBe(250 * MB);
    expect(ends.get(a.id)).toBe(3.5);
  });

  it("fails a flow started on a link that is down, after returning its handle", () => {
    const { sim, network } = setup([link("l0")]);
    network.setLinkUp(0, false);
    let reason = "";
    const flow = network.startFlow([0], MB, { onFail: (_f, why) => (reason = why) });
    expect(flow.state).toBe("latency");
    sim.run();
    expect(reason).toBe('link "l0" is down');
  });

  it("cm02 shares by 1 / route latency", () => {
    // Flow A's route has latency 0.01 s, B's 0.03 s: weights 100 and 33.3, so once both are
    // active A gets 3/4 and B 1/4 of 100 MB/s.
    const { sim, network } = setup(
      [link("shared"), link("short", 1e12, 0.01), link("long", 1e12, 0.03)],
      { mode: "cm02" },
    );
    const a = network.startFlow([0, 1], 1000 * MB);
    const b = network.startFlow([0, 2], 1000 * MB);
    sim.run({ until: 0.05 });
    expect(a.rate).toBeCloseTo(75 * MB, 3);
    expect(b.rate).toBeCloseTo(25 * MB, 3);
  });

  it("caps a flow at its bound", () => {
    const { sim, network, ends } = setup([link("l")]);
    const flow = network.startFlow([0], 100 * MB, { bound: 10 * MB });
    sim.run();
    expect(ends.get(flow.id)).toBe(10); // 100 MB at 10 MB/s
  });

  it("re-solves nothing while capped flows fit, and re-solves once a link fills up", () => {
    const { sim, network, ends } = setup([link("l")]);
    // Ten flows capped at 5 MB/s take 50 MB/s of the 100 MB/s link: each arrives at its bound
    // on a link with room, and leaves a link where nobody is held back.
    const capped = Array.from({ length: 10 }, () =>
      network.startFlow([0], 50 * MB, { bound: 5 * MB }),
    );
    sim.run({ until: 1 });
    expect(network.solveCount).toBe(0);
    expect(network.linkLoad(0)).toBe(10 * 5 * MB);
    // An uncapped flow must be solved: it gets what the capped ones leave, 100 - 50 = 50 MB/s.
    const greedy = network.startFlow([0], 100 * MB);
    sim.run({ until: 1.5 });
    expect(network.solveCount).toBe(1);
    expect(greedy.rate).toBe(50 * MB);
    sim.run();
    // Capped flows: 50 MB at 5 MB/s = 10 s. The greedy flow leaves first: 100 MB at 50 MB/s from
    // t = 1 ends at t = 3, and its departure frees a link that held it back: one more solve.
    expect(capped.map((f) => ends.get(f.id))).toEqual(Array(10).fill(10));
    expect(ends.get(greedy.id)).toBe(3);
    expect(network.solveCount).toBe(2);
  });

  it("a store shared by 40 flows of 1, 2, ..., 40 MB: processor sharing, served as one pool", () => {
    // Store link 100 MB/s; each flow from its own host (NIC 1 GB/s, never full). All start at 0,
    // so the k-th smallest ends once every flow still there received k MB: between the (k-1)-th
    // and the k-th end, 40 - k + 1 flows get 1 MB each at 100 MB/s in total, so
    // t_k = sum over j = 1..k of (40 - j + 1) / 100 = (40 k - k (k - 1) / 2) / 100; t_40 = 8.2 s
    // (820 MB at 100 MB/s).
    const hosts = Array.from({ length: 40 }, (_, h) => link(`nic${h}`, 1000 * MB));
    const expected = Array.from({ length: 40 }, (_, i) => (40 * (i + 1) - ((i + 1) * i) / 2) / 100);
    for (const poolThreshold of [1, 32, Infinity]) {
      const { sim, network, ends } = setup([link("store"), ...hosts], { poolThreshold });
      const flows = hosts.map((_, h) => network.startFlow([h + 1, 0], (h + 1) * MB));
      sim.run();
      flows.forEach((flow, i) => {
        expect(ends.get(flow.id)).toBeCloseTo(expected[i] as number, 9);
      });
      // Each arrival below the threshold re-solves the component (one flow, two, ...); from the
      // threshold on, the pool takes flows in and out by changing its level alone. Without
      // pools, every arrival and every end (but the last) re-solves: 40 + 39.
      expect(network.solveCount).toBe(poolThreshold === Infinity ? 79 : poolThreshold);
    }
  });

  it("a capped flow beside a pool's satellite gets its fair share of their link, not its cap", () => {
    // Store link S 100 MB/s; NICs A 10 MB/s, B and C 1 GB/s. From t = 0: B->S and C->S (the
    // pool's members, at S) and A->C, held back by A's NIC at 10 MB/s (a satellite). At t = 1,
    // A->S capped at 8 MB/s arrives: on A's NIC it and A->C rise together and fill it at 10 / 2 =
    // 5 MB/s each, below its cap; S's members share the 100 - 5 = 95 MB/s left: 47.5 each. (Held
    // at its cap, it would leave A->C 2 MB/s and B->S, C->S 46: not max-min.)
    const { sim, network } = setup(
      [link("S"), link("A", 10 * MB), link("B", 1000 * MB), link("C", 1000 * MB)],
      { poolThreshold: 1 },
    );
    const bs = network.startFlow([2, 0], 1e12);
    const cs = network.startFlow([3, 0], 1e12);
    const ac = network.startFlow([1, 3], 1e12);
    let as: Flow | undefined;
    sim.scheduleAt(1, () => {
      as = network.startFlow([1, 0], 1e12, { bound: 8 * MB });
    });
    sim.run({ until: 0.5 });
    expect([bs.rate, cs.rate, ac.rate]).toEqual([50 * MB, 50 * MB, 10 * MB]);
    sim.run({ until: 2 });
    expect([as?.rate, ac.rate, bs.rate, cs.rate]).toEqual([5 * MB, 5 * MB, 47.5 * MB, 47.5 * MB]);
  });

  it("two stores' groups sharing a host's NIC: the NIC fills first when a third flow joins", () => {
    // Stores S0 and S1 (100 MB/s), NIC H (55 MB/s) with one flow to each store, NIC X with three
    // to S0, NIC Y three to S1 (X, Y 1 GB/s). At 25 MB/s each, H carries 50: room. The bandwidth
    // "change" at t = 0.5 re-solves, so the pool forms with both stores as groups and H crossed by
    // both. At t = 1 a second H->S0 flow: S0's five flows would get 20, H would carry 3 x 20 + 25
    // = 65 > 55. Max-min: H fills first, at 55 / 3 each for its three flows; X's flows share
    // 100 - 2 x 55 / 3 = 190 / 3 of S0 (190 / 9 each), Y's 100 - 55 / 3 = 245 / 3 of S1 (245 / 9).
    const { sim, network } = setup(
      [link("S0"), link("S1"), link("H", 55 * MB), link("X", 1000 * MB), link("Y", 1000 * MB)],
      { poolThreshold: 1 },
    );
    const x = Array.from({ length: 3 }, () => network.startFlow([3, 0], 1e12));
    const y = Array.from({ length: 3 }, () => network.startFlow([4, 1], 1e12));
    const h = [network.startFlow([2, 0], 1e12), network.startFlow([2, 1], 1e12)];
    sim.scheduleAt(0.5, () => {
      network.setLinkBandwidth(0, 100 * MB);
    });
    sim.scheduleAt(1, () => {
      h.push(network.startFlow([2, 0], 1e12));
    });
    sim.run({ until: 0.75 });
    expect([...x, ...y, ...h].map((f) => f.rate)).toEqual(Array(8).fill(25 * MB));
    sim.run({ until: 2 });
    for (const flow of h) expect(flow.rate / MB).toBeCloseTo(55 / 3, 9);
    for (const flow of x) expect(flow.rate / MB).toBeCloseTo(190 / 9, 9);
    for (const flow of y) expect(flow.rate / MB).toBeCloseTo(245 / 9, 9);
  });

  it("a copy from one store to another, across both stores' groups, keeps every rate max-min", () => {
    // The setting above with H at 1 GB/s and two flows from Y, so that the stores' levels differ,
    // a copy S0 -> S1 from t = 1, and S1 busier from t = 1.5: checked against the reference
    // solver at every event.
    const links = [link("S0"), link("S1"), link("H", 1000 * MB), link("X"), link("Y")];
    const start = (at: number, route: number[], size = 1e10): Operation => ({
      kind: "start",
      at,
      route,
      size,
      bound: undefined,
    });
    const operations: Operation[] = [
      ...Array.from({ length: 3 }, () => start(0, [3, 0])),
      ...Array.from({ length: 2 }, () => start(0, [4, 1])),
      start(0, [2, 0]),
      start(0, [2, 1]),
      { kind: "bandwidth", at: 0.5, link: 0, factor: 1 },
      start(1, [0, 1], 40 * MB),
      start(2, [2, 0]),
      // S1 gets busier than S0: the copy, held back at S0 until then, is held back at S1.
      ...Array.from({ length: 4 }, () => start(1.5, [4, 1])),
    ];
    const reference = playOperations(links, operations, { reference: true });
    expectSameEnds(playOperations(links, operations, { poolThreshold: 1 }), reference);
  });

  it("a store left by its own flows and a store group of one flow become satellites, not a re-solve", () => {
    // Stores S0, S1 (100 MB/s), S2 (50 MB/s); NICs X, Y, Z (1 GB/s). a: S0 -> S2, d: S1 -> S2,
    // nine b: X -> S0 of 200 MB, nine e: Z -> S1 of 100 MB, two c: Y -> S2 of 15 MB.
    // S0 and S1 fill first at 100 / 10 = 10 MB/s each (a and d among them); S2 then carries
    // a + d = 20 and the c flows share the 30 left: 15 each. The bandwidth "change" at 0.5
    // re-solves, so the pool forms with groups S0, S1, S2 (a and d cross S2 as foreign members).
    // - t = 1: the c flows end (15 MB at 15 MB/s); S2's group is empty and retires; nobody else
    //   changes rate.
    // - t = 10: the e flows end (100 MB at 10 MB/s). Alone on S1, d would rise to 100, but S2
    //   holds a + d: a stays at S0's 10 (with the nine b), so d gets 50 - 10 = 40.
    // - t = 20: the b flows end (100 MB left at t = 10, at 10 MB/s). a and d share S2: 25 each.
    // None of this re-solves the component: each time the groups in the way are small enough to
    // become satellites (S2's with none left at t = 1, then S1's d and S0's ten flows).
    const { sim, network } = setup(
      [
        link("S0"),
        link("S1"),
        link("S2", 50 * MB),
        link("X", 1000 * MB),
        link("Y", 1000 * MB),
        link("Z", 1000 * MB),
      ],
      { poolThreshold: 1 },
    );
    const a = network.startFlow([0, 2], 1e12);
    const d = network.startFlow([1, 2], 1e12);
    const b = Array.from({ length: 9 }, () => network.startFlow([3, 0], 200 * MB));
    const e = Array.from({ length: 9 }, () => network.startFlow([5, 1], 100 * MB));
    const c = Array.from({ length: 2 }, () => network.startFlow([4, 2], 15 * MB));
    sim.scheduleAt(0.5, () => {
      network.setLinkBandwidth(0, 100 * MB);
    });
    sim.addInvariant("max-min sharing", () => checkSharing(network, 6));
    sim.run({ until: 0.75 });
    const solves = network.solveCount;
    expect([a, d, ...b, ...e].map((f) => f.rate)).toEqual(Array(20).fill(10 * MB));
    expect(c.map((f) => f.rate)).toEqual([15 * MB, 15 * MB]);
    sim.run({ until: 5 });
    expect(c.map((f) => [f.state, f.endTime])).toEqual(Array(2).fill(["completed", 1]));
    expect([a.rate, d.rate]).toEqual([10 * MB, 10 * MB]);
    sim.run({ until: 15 });
    expect(d.rate / MB).toBeCloseTo(40, 9);
    for (const flow of [a, ...b]) expect(flow.rate / MB).toBeCloseTo(10, 9);
    sim.run({ until: 25 });
    for (const flow of b) expect(flow.endTime).toBeCloseTo(20, 9);
    expect([a.rate / MB, d.rate / MB]).toEqual([25, 25]);
    expect(network.solveCount).toBe(solves);
    expect(network.demotionCount).toBeGreaterThanOrEqual(3);
  });

  it("a store group's link, once retired, still holds back the flows crossing it", () => {
    // Stores S0 (100 MB/s), S2 (50 MB/s); NICs X, Y (1 GB/s). a: S0 -> S2, nine b: X -> S0 of
    // 100 MB, two c: Y -> S2 of 20 MB. S0 fills at 10 MB/s each; the c flows share the 40 left
    // of S2: 20 each. At t = 1 they end and S2's group retires with a crossing it; at t = 10 the
    // b flows end and a, alone on S0, is held back by S2 at 50 MB/s (not S0's 100).
    const { sim, network } = setup(
      [link("S0"), link("S2", 50 * MB), link("X", 1000 * MB), link("Y", 1000 * MB)],
      { poolThreshold: 1 },
    );
    const a = network.startFlow([0, 1], 1e12);
    const b = Array.from({ length: 9 }, () => network.startFlow([2, 0], 100 * MB));
    const c = Array.from({ length: 2 }, () => network.startFlow([3, 1], 20 * MB));
    sim.scheduleAt(0.5, () => {
      network.setLinkBandwidth(0, 100 * MB);
    });
    sim.addInvariant("max-min sharing", () => checkSharing(network, 4));
    sim.run({ until: 0.75 });
    const solves = network.solveCount;
    expect([a.rate, ...c.map((f) => f.rate)]).toEqual([10 * MB, 20 * MB, 20 * MB]);
    sim.run({ until: 15 });
    expect(c.map((f) => f.endTime)).toEqual([1, 1]);
    for (const flow of b) expect(flow.endTime).toBeCloseTo(10, 9);
    expect(a.rate).toBe(50 * MB);
    expect(network.solveCount).toBe(solves);
  });

  it("completes empty flows after the latency", () => {
    const { sim, network, ends } = setup([link("l", 100 * MB, 0.5)]);
    const flow = network.startFlow([0], 0);
    sim.run();
    expect(ends.get(flow.id)).toBe(0.5);
  });
});

/** The active flows of a network, each once, in id order. */
function activeFlows(network: Network, linkCount: number): Flow[] {
  const flows = new Set<Flow>();
  for (let l = 0; l < linkCount; l++) for (const flow of network.flowsOn(l)) flows.add(flow);
  return [...flows].sort((a, b) => a.id - b.id);
}

/**
 * Invariants of any sharing: no link over its capacity, and every rate the weighted max-min one
 * that the reference solver gives for the flows active now (1e-9 relative, the rounding of
 * levels and loads kept incrementally).
 */
function checkSharing(network: Network, linkCount: number): string | undefined {
  for (let l = 0; l < linkCount; l++) {
    if (network.linkLoad(l) > network.linkCapacity(l) * (1 + 1e-9)) return `link ${l} overloaded`;
  }
  const flows = activeFlows(network, linkCount);
  const capacity = Array.from({ length: linkCount }, (_, l) => network.linkCapacity(l));
  const expected = solveMaxMinReference({ capacity, flows });
  for (const [i, flow] of flows.entries()) {
    const want = expected[i] as number;
    if (Math.abs(flow.rate - want) > 1e-9 * Math.max(want, 1)) {
      return `flow ${flow.id}: rate ${flow.rate}, max-min ${want}`;
    }
  }
  return undefined;
}

/** Something done to the network at a given time: a flow started, cancelled, a link changed. */
type Operation =
  | {
      readonly kind: "start";
      readonly at: number;
      readonly route: number[];
      readonly size: number;
      readonly bound: number | undefined;
    }
  | { readonly kind: "cancel"; readonly at: number; readonly pick: number }
  | {
      readonly kind: "bandwidth";
      readonly at: number;
      readonly link: number;
      readonly factor: number;
    }
  | { readonly kind: "down"; readonly at: number; readonly link: number; readonly back: number };

/** How each flow ended: its state and end time, in the order they were started. */
function playOperations(
  links: readonly LinkSpec[],
  operations: readonly Operation[],
  options: NetworkOptions,
): [string, number][] {
  const sim = new Simulation();
  const network = new Network(sim, links, options);
  sim.addInvariant("max-min sharing", () => checkSharing(network, links.length));
  sim.enableChecks();
  const flows: Flow[] = [];
  for (const op of operations) {
    sim.scheduleAt(op.at, () => {
      if (op.kind === "start") {
        const bound = op.bound === undefined ? {} : { bound: op.bound };
        flows.push(network.startFlow(op.route, op.size, bound));
      } else if (op.kind === "cancel") {
        const flow = flows[op.pick % Math.max(1, flows.length)];
        if (flow !== undefined) network.cancelFlow(flow);
      } else if (op.kind === "bandwidth") {
        network.setLinkBandwidth(op.link, (links[op.link] as LinkSpec).bandwidth * op.factor);
      } else {
        network.setLinkUp(op.link, false);
        sim.schedule(op.back, () => {
          network.setLinkUp(op.link, true);
        });
      }
    });
  }
  sim.run();
  return flows.map((flow) => [flow.state, flow.endTime]);
}

function expectSameEnds(got: [string, number][], want: [string, number][]): void {
  expect(got.map(([state]) => state)).toEqual(want.map(([state]) => state));
  got.forEach(([, end], i) => {
    const reference = (want[i] as [string, number])[1];
    expect(Math.abs(end - reference)).toBeLessThanOrEqual(1e-9 * Math.max(1, reference));
  });
}

describe("network: incremental sharing against the reference", () => {
  const scenario = fc.record({
    links: fc.array(
      fc.record({
        bandwidth: fc.double({ min: 1e6, max: 1e9, noNaN: true }),
        latency: fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 0.05, noNaN: true })),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    flows: fc.array(
      fc.record({
        pick: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        size: fc.double({ min: 0, max: 1e9, noNaN: true }),
        start: fc.double({ min: 0, max: 10, noNaN: true }),
        // Bounds well below the bandwidths take the paths that keep the other rates as they are.
        bound: fc.oneof(
          fc.constant(undefined),
          fc.double({ min: 1e6, max: 1e9, noNaN: true }),
          fc.double({ min: 1e4, max: 1e7, noNaN: true }),
        ),
      }),
      { maxLength: 40 },
    ),
    mode: fc.constantFrom("max-min" as const, "cm02" as const),
  });

  it("gives every flow the completion time of a full recomputation with the reference solver, and never overloads a link", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const links = s.links.map((l, i) => link(`l${i}`, l.bandwidth, l.latency));
        const run = (reference: boolean): number[] => {
          const sim = new Simulation();
          const network = new Network(sim, links, { mode: s.mode, reference });
          sim.addInvariant("link load <= capacity", () => {
            for (let l = 0; l < links.length; l++) {
              if (network.linkLoad(l) > network.linkCapacity(l) * (1 + 1e-9)) return `link ${l}`;
            }
            return undefined;
          });
          sim.enableChecks();
          const flows: Flow[] = [];
          for (const f of s.flows) {
            const route = [...new Set(f.pick.map((p) => p % links.length))];
            sim.scheduleAt(f.start, () => {
              flows.push(
                network.startFlow(route, f.size, f.bound === undefined ? {} : { bound: f.bound }),
              );
            });
          }
          sim.run();
          return flows.map((flow) => flow.endTime);
        };
        const fast = run(false);
        const reference = run(true);
        expect(fast.length).toBe(reference.length);
        fast.forEach((end, i) => {
          expect(Math.abs(end - (reference[i] as number))).toBeLessThanOrEqual(
            1e-9 * Math.max(1, reference[i] as number),
          );
        });
      }),
      { numRuns: 200 },
    );
  });

  /**
   * Stores' links shared by many hosts' flows (as boot images and snapshots share a site's
   * store), some capped, with traffic between hosts beside it, cancellations, bandwidth changes
   * and links going down: the pools form, take flows in and out, and dissolve. Every run is
   * checked at each event against the reference solver's rates, and the flows end as they do with
   * the reference solver at every change, with the default pooling and with pools of any size.
   */
  const star = fc
    .record({
      hosts: fc.integer({ min: 1, max: 5 }),
      stores: fc.integer({ min: 1, max: 3 }),
      store: fc.double({ min: 1e7, max: 1e9, noNaN: true }),
      nic: fc.double({ min: 0.02, max: 2, noNaN: true }),
      flows: fc.array(
        fc.record({
          host: fc.nat(),
          to: fc.nat(),
          other: fc.option(fc.nat(), { freq: 2 }),
          size: fc.double({ min: 0, max: 1e8, noNaN: true }),
          at: fc.double({ min: 0, max: 5, noNaN: true }),
          bound: fc.option(fc.double({ min: 1e5, max: 1e9, noNaN: true }), { freq: 3 }),
        }),
        { maxLength: 120 },
      ),
      others: fc.array(
        fc.oneof(
          fc.record({
            kind: fc.constant("cancel" as const),
            at: fc.double({ min: 0, max: 6, noNaN: true }),
            pick: fc.nat(),
          }),
          fc.record({
            kind: fc.constant("bandwidth" as const),
            at: fc.double({ min: 0, max: 6, noNaN: true }),
            link: fc.nat(),
            factor: fc.double({ min: 0.1, max: 3, noNaN: true }),
          }),
          fc.record({
            kind: fc.constant("down" as const),
            at: fc.double({ min: 0, max: 6, noNaN: true }),
            link: fc.nat(),
            back: fc.double({ min: 0.01, max: 2, noNaN: true }),
          }),
        ),
        { maxLength: 12 },
      ),
      mode: fc.constantFrom("max-min" as const, "cm02" as const),
    })
    .map((s) => {
      // Links 0..stores - 1 are the stores', the next ones the hosts' NICs (with latencies for
      // cm02). A flow goes from a host to a store, to another host, or (one in seven) from one
      // store to the next: with several stores, the pools have several groups and flows that
      // cross two of their full links.
      const links = [
        ...Array.from({ length: s.stores }, (_, k) => link(`store${k}`, s.store, 0.001)),
        ...Array.from({ length: s.hosts }, (_, h) =>
          link(`nic${h}`, s.store * s.nic, 0.001 * (h + 1)),
        ),
      ];
      const nic = (n: number): number => s.stores + (n % s.hosts);
      const operations: Operation[] = [
        ...s.flows.map((f): Operation => {
          const store = f.to % s.stores;
          const next = (store + 1) % s.stores;
          const route =
            f.to % 7 === 6 && next !== store
              ? [store, next]
              : f.other === null || nic(f.other) === nic(f.host)
                ? [nic(f.host), store]
                : [nic(f.host), nic(f.other)];
          return { kind: "start", at: f.at, route, size: f.size, bound: f.bound ?? undefined };
        }),
        ...s.others.map((o): Operation =>
          o.kind === "cancel" ? o : { ...o, link: o.link % links.length },
        ),
      ];
      return { links, operations, mode: s.mode };
    });

  it("stars of hosts around stores: pooled flows end as with the reference solver, rates max-min at every event", () => {
    fc.assert(
      fc.property(star, ({ links, operations, mode }) => {
        const reference = playOperations(links, operations, { mode, reference: true });
        expectSameEnds(playOperations(links, operations, { mode }), reference);
        expectSameEnds(playOperations(links, operations, { mode, poolThreshold: 1 }), reference);
      }),
      { numRuns: 300 },
    );
  });
});
