import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Flow } from "../src/network/flow.js";
import { type LinkSpec, Network, type NetworkOptions } from "../src/network/network.js";
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

  it("completes empty flows after the latency", () => {
    const { sim, network, ends } = setup([link("l", 100 * MB, 0.5)]);
    const flow = network.startFlow([0], 0);
    sim.run();
    expect(ends.get(flow.id)).toBe(0.5);
  });
});

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
});
