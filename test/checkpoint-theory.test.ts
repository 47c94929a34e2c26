import { describe, expect, it } from "vitest";
import {
  type CheckpointedJob,
  dalyPeriod,
  expectedCompletion,
} from "../src/policies/faulttolerance/checkpoint-period.js";
import { runTimesOverSeeds } from "../src/run/run-times.js";
import { fitInverseLinear, fittedMinimum } from "../src/sweep/inverse-linear-fit.js";
import { loadScenarioFile } from "../src/scenario/load.js";
import type { Scenario } from "../src/scenario/schema.js";
import type { VjobsWorkload } from "../src/scenario/vjobs-section.js";

/*
 * Checkpoint theory reproduced by simulation, on scenarios/checkpoint-period.yaml made smaller:
 * one vjob of one VM (1 vCPU, 6 GB of RAM) does W core-seconds of work (3.3 h and 10 h instead of
 * 24 h) on host s0h0, whose failures are exponential of mean M = 1 h (instead of 2 h) and which is
 * repaired 0.5 s after each (so it is up again when the loss is noticed and takes the vjob back).
 * Saline snapshots it every tau of running to the store of site s1 (s1h0, never fails).
 * - Snapshot cost C: the coordinated capture pauses the VM while its 6 GB go to a 100 MB/s disk:
 *   C = 6e9 / 1e8 = 60 s. The copy to the store (6e9 B at 100 Gb/s = 12.5e9 B/s: 0.48 s) runs
 *   with the VM going on; a failure during it loses the snapshot (a 0.48 / 3600 chance per chunk).
 * - Restart cost R: fetch 0.48 s + disk read 60 s + network reconfiguration 1 s = 61.48 s; a vjob
 *   that fails before its first snapshot boots again instead, and the boot is set to the same
 *   61.48 s, so every recovery costs R, as the theory has it.
 * - Downtime D: heartbeats every 1 s, declared dead 2 s after the last: a failure is noticed
 *   1 to 2 s after it happens, 1.5 s on average (no failure can hit the vjob meanwhile).
 * The exact expectation (Bougeret, Casanova, Rabie, Robert, Vivien, "Checkpointing strategies for
 * parallel jobs", SC'11, Prop. 1; see src/policies/faulttolerance/checkpoint-period.ts) is, with
 * downtime 0 and a checkpoint after every chunk,
 *   E[T] = M e^(R/M) (e^((tau + C)/M) - 1) W / tau,
 * and in general each chunk of length x costs e^(R/M) (M + D) (e^(x/M) - 1). The simulated vjob
 * does not checkpoint when its work is done, so its last chunk's x is tau alone; T is measured
 * from the moment the vjob first runs to its end.
 */
const M = 3600;
const C = 6e9 / 1e8;
const R = 6e9 / 12.5e9 + 6e9 / 1e8 + 1;
const D = 1.5;
const SCENARIO = loadScenarioFile("scenarios/checkpoint-period.yaml");

/** The experiment's scenario at mean time between failures M, with `work` s of work. */
function scenarioOf(period: number, work: number): Scenario {
  const workload = SCENARIO.workload as VjobsWorkload;
  const arrivals = workload.arrivals as Extract<VjobsWorkload["arrivals"], { type: "list" }>;
  const [failures] = SCENARIO.failures as Extract<
    Scenario["failures"][number],
    { type: "renewal" }
  >[];
  return {
    ...SCENARIO,
    // The vjob ends within a day or two; the host's failures need not be simulated for 30 days.
    duration: 5 * 86_400,
    workload: {
      ...workload,
      arrivals: {
        ...arrivals,
        jobs: arrivals.jobs.map((job) => ({ ...job, work: { coreSeconds: work } })),
      },
    },
    policies: {
      ...SCENARIO.policies,
      faultTolerance: { ...SCENARIO.policies.faultTolerance, period },
    },
    failures: [{ ...failures, up: { type: "exponential", mean: M } }],
  } as Scenario;
}

/** Completion times of the vjob over seeds 1..n, from its first run to its end. */
function completionTimes(scenario: Scenario, seeds: number): number[] {
  return runTimesOverSeeds(
    scenario,
    Array.from({ length: seeds }, (_, i) => i + 1),
  );
}

function meanAndHalfWidth(values: readonly number[]): { mean: number; halfWidth: number } {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  // Normal quantile: with hundreds of seeds Student's t is 1.96 to three digits.
  return { mean, halfWidth: (1.96 * Math.sqrt(variance)) / Math.sqrt(n) };
}

function job(work: number, period: number): CheckpointedJob {
  return { work, period, cost: C, recovery: R, downtime: D, mtbf: M };
}

describe("the fit of a checkpoint sweep", () => {
  it("recovers a / x + b x + c exactly from points on it, and its minimum sqrt(a / b)", () => {
    const xs = [1, 2, 4, 8, 16];
    const ys = xs.map((x) => 100 / x + 2 * x + 5);
    const [a, b, c] = fitInverseLinear(xs, ys);
    expect([a, b, c].map((v) => Number(v.toFixed(9)))).toEqual([100, 2, 5]);
    expect(fittedMinimum(xs, ys)).toBeCloseTo(Math.sqrt(100 / 2), 9);
  });
});

describe("Saline against checkpoint theory", () => {
  it("the mean completion time matches the exact expectation, for three periods", () => {
    // W = 12,000 s of work, 10 to 40 chunks; tau around Daly's optimum (~618 s).
    const work = 12_000;
    for (const period of [300, 600, 1200]) {
      const { mean, halfWidth } = meanAndHalfWidth(completionTimes(scenarioOf(period, work), 400));
      const expected = expectedCompletion(job(work, period), false);
      expect(Math.abs(mean - expected)).toBeLessThan(halfWidth);
      // The form (D = 0, a checkpoint after the last chunk too) differs from it by the
      // last checkpoint and the downtime: both visible, neither within the interval's reach.
      const formula = M * Math.exp(R / M) * Math.expm1((period + C) / M) * (work / period);
      expect(expectedCompletion({ ...job(work, period), downtime: 0 })).toBeCloseTo(formula, 6);
    }
  });

  it("a sweep over the period finds its minimum within 10% of Daly's optimum", () => {
    // Daly: sqrt(2 x 60 x 3600) [1 + sqrt(60 / 7200) / 3 + (60 / 7200) / 9] - 60 = 617.9 s.
    const daly = dalyPeriod(C, M);
    expect(daly).toBeCloseTo(
      Math.sqrt(2 * 60 * 3600) * (1 + Math.sqrt(60 / 7200) / 3 + 60 / 7200 / 9) - 60,
      9,
    );
    // W = 36,000 s (10 h) so that many chunks make the curve; the same seeds for every period
    // (the host's failures do not depend on the vjob), so differences between periods are not
    // drowned by the spread of single runs. The curve is flat near its minimum: its place is the
    // minimum of the least-squares fit a / tau + b tau + c (the first-order cost of checkpoints
    // and of lost work, Young's model), sqrt(a / b).
    const work = 36_000;
    const periods = [400, 450, 500, 550, 600, 650, 700, 750, 800, 900];
    const means = periods.map(
      (period) => meanAndHalfWidth(completionTimes(scenarioOf(period, work), 600)).mean,
    );
    const minimum = fittedMinimum(periods, means);
    expect(Math.abs(minimum - daly) / daly).toBeLessThan(0.1);
  });
});
