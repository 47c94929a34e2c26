import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveMaxMin } from "../src/network/maxmin.js";
import { solveMaxMinReference } from "../src/network/maxmin-reference.js";
import type { SharingProblem } from "../src/network/sharing-problem.js";

const MB = 1e6;
const flow = (route: number[], weight = 1, bound = Infinity) => ({ route, weight, bound });
const solvers = [
  ["fast", solveMaxMin],
  ["reference", solveMaxMinReference],
] as const;

describe.each(solvers)("%s max-min solver, hand-computed cases", (_name, solve) => {
  it("splits one link equally: 2 flows on 100 MB/s get 50 MB/s each", () => {
    expect(Array.from(solve({ capacity: [100 * MB], flows: [flow([0]), flow([0])] }))).toEqual([
      50 * MB,
      50 * MB,
    ]);
  });

  it("parking lot: one long flow over two links, one short flow on each: 50 MB/s each", () => {
    // Links 0 and 1 at 100 MB/s; flow 0 crosses both; flows 1 and 2 one each. Both links
    // saturate at level 100 / 2 = 50: every flow gets 50 MB/s.
    const rates = solve({
      capacity: [100 * MB, 100 * MB],
      flows: [flow([0, 1]), flow([0]), flow([1])],
    });
    expect(Array.from(rates)).toEqual([50 * MB, 50 * MB, 50 * MB]);
  });

  it("gives the leftover of a bottlenecked flow to the others", () => {
    // Link 0: 100 MB/s shared by flows 0 and 1; link 1: 10 MB/s, crossed by flow 1 only.
    // Link 1 saturates first (level 10): flow 1 = 10; then link 0 leaves 100 - 10 = 90 to flow 0.
    const rates = solve({ capacity: [100 * MB, 10 * MB], flows: [flow([0]), flow([0, 1])] });
    expect(Array.from(rates)).toEqual([90 * MB, 10 * MB]);
  });

  it("shares in proportion to weights (CM02: weight 1 / latency)", () => {
    // Weights 1/0.01 = 100 and 1/0.03 = 33.3: level = 100 MB/s / 133.3; rates 75 and 25 MB/s.
    const rates = solve({
      capacity: [100 * MB],
      flows: [flow([0], 1 / 0.01), flow([0], 1 / 0.03)],
    });
    expect(rates[0]).toBeCloseTo(75 * MB, 3);
    expect(rates[1]).toBeCloseTo(25 * MB, 3);
  });

  it("respects a flow's bound and gives the rest to the others", () => {
    // Flow 0 capped at 20 MB/s; flow 1 takes the remaining 80 MB/s of the link.
    const rates = solve({ capacity: [100 * MB], flows: [flow([0], 1, 20 * MB), flow([0])] });
    expect(Array.from(rates)).toEqual([20 * MB, 80 * MB]);
  });
});

/** Random topologies: up to 8 links, up to 12 flows on random link subsets. */
const problems: fc.Arbitrary<SharingProblem> = fc.integer({ min: 1, max: 8 }).chain((links) =>
  fc.record({
    capacity: fc.array(fc.double({ min: 1, max: 1e10, noNaN: true }), {
      minLength: links,
      maxLength: links,
    }),
    flows: fc.array(
      fc.record({
        route: fc.uniqueArray(fc.integer({ min: 0, max: links - 1 }), {
          minLength: 1,
          maxLength: links,
        }),
        weight: fc.oneof(fc.constant(1), fc.double({ min: 1e-3, max: 1e3, noNaN: true })),
        bound: fc.oneof(
          { weight: 3, arbitrary: fc.constant(Infinity) },
          { weight: 1, arbitrary: fc.double({ min: 1, max: 1e10, noNaN: true }) },
        ),
      }),
      { maxLength: 12 },
    ),
  }),
);

describe("max-min solvers on random topologies", () => {
  it("the fast solver equals the reference to 1e-9 relative", () => {
    fc.assert(
      fc.property(problems, (problem) => {
        const fast = solveMaxMin(problem);
        const reference = solveMaxMinReference(problem);
        fast.forEach((rate, f) => {
          expect(Math.abs(rate - (reference[f] as number))).toBeLessThanOrEqual(
            1e-9 * (reference[f] as number),
          );
        });
      }),
      { numRuns: 500 },
    );
  });

  it("is feasible and max-min: every flow is at its bound or bottlenecked on a saturated link", () => {
    fc.assert(
      fc.property(problems, (problem) => {
        const rates = solveMaxMin(problem);
        const load = new Float64Array(problem.capacity.length);
        problem.flows.forEach((f, i) => {
          for (const link of Array.from(f.route))
            load[link] = (load[link] as number) + (rates[i] as number);
        });
        load.forEach((used, link) => {
          expect(used).toBeLessThanOrEqual((problem.capacity[link] as number) * (1 + 1e-9));
        });
        problem.flows.forEach((f, i) => {
          const rate = rates[i] as number;
          if (rate >= f.bound * (1 - 1e-9)) return;
          // A bottleneck: a saturated link on its route where no flow has a larger rate per weight.
          const bottlenecked = Array.from(f.route).some((link) => {
            const saturated =
              (load[link] as number) >= (problem.capacity[link] as number) * (1 - 1e-9);
            const largest = problem.flows.every(
              (g, j) =>
                !Array.from(g.route).includes(link) ||
                (rates[j] as number) / g.weight <= (rate / f.weight) * (1 + 1e-9),
            );
            return saturated && largest;
          });
          expect(bottlenecked).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });
});
