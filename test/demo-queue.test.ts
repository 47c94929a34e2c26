import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareDemoQueue } from "../src/run/demo-queue-run.js";
import { runScenario } from "../src/run/run-scenario.js";
import { type Scenario, validateScenario } from "../src/scenario/index.js";

/** The demo queue of a scenario, with its invariants checked after every event if `check`. */
function prepareRun(s: Scenario, check = false) {
  if (s.workload.type !== "demo-queue") throw new Error("not a demo-queue scenario");
  const run = prepareDemoQueue(s, s.workload, check);
  if (check) run.sim.enableChecks();
  return run;
}

function scenario(overrides: Record<string, unknown> = {}): Scenario {
  return validateScenario(
    {
      name: "mmc",
      seed: 7,
      duration: "2h",
      workload: {
        type: "demo-queue",
        servers: 3,
        interarrival: { type: "exponential", mean: 1 },
        service: { type: "exponential", mean: 2.1 },
      },
      ...overrides,
    },
    "test",
  );
}

describe("demo queue against queueing theory", () => {
  it("matches Erlang C's mean wait for M/M/3 at load 0.7", () => {
    // λ = 1 job/s, mean service 2.1 s (μ = 1/2.1), c = 3 slots: offered load a = λ/μ = 2.1,
    // utilisation ρ = a/c = 0.7.
    // Erlang C: P(wait) = (a^c / c!) / (1 - ρ) / (Σ_{k<c} a^k / k! + (a^c / c!) / (1 - ρ))
    //   Σ_{k<3} = 1 + 2.1 + 2.205 = 5.305; a^3/3! = 9.261/6 = 1.5435; / 0.3 = 5.145
    //   P(wait) = 5.145 / (5.305 + 5.145) = 0.49234
    // Mean wait Wq = P(wait) / (c μ - λ) = 0.49234 / (3/2.1 - 1) = 1.1488 s.
    const a = 2.1;
    const c = 3;
    const rho = a / c;
    let head = 0;
    let term = 1;
    for (let k = 0; k < c; k++) {
      head += term;
      term *= a / (k + 1);
    }
    const tail = term / (1 - rho);
    const expectedWait = tail / (head + tail) / (c / 2.1 - 1);
    expect(expectedWait).toBeCloseTo(1.1488, 4);

    const run = prepareRun(scenario({ duration: "3d", seed: 11 }));
    run.sim.run({ until: 3 * 86400 });
    const rows = run.statistics.jobRows().filter((r) => r.start !== undefined);
    // Waits are autocorrelated, so the standard error comes from 30 batch means, not from n.
    const batches = 30;
    const size = Math.floor(rows.length / batches);
    const means = Array.from({ length: batches }, (_, b) => {
      let sum = 0;
      for (let i = b * size; i < (b + 1) * size; i++) {
        const row = rows[i];
        if (row?.start !== undefined) sum += row.start - row.submit;
      }
      return sum / size;
    });
    const mean = means.reduce((x, y) => x + y, 0) / batches;
    const sd = Math.sqrt(means.reduce((s, m) => s + (m - mean) ** 2, 0) / (batches - 1));
    const standardError = sd / Math.sqrt(batches);
    expect(rows.length).toBeGreaterThan(250_000); // about λ x 3 days = 259,200 jobs
    expect(Math.abs(mean - expectedWait)).toBeLessThan(4 * standardError);
    expect(Math.abs(mean / expectedWait - 1)).toBeLessThan(0.05);
    // Utilisation ρ = 0.7 as well.
    const summary = run.statistics.summarize(run.sim.now, 3);
    expect(Math.abs(summary.utilization - rho)).toBeLessThan(0.01);
  });

  it("holds its invariants when checked after every event", () => {
    const run = prepareRun(scenario(), true);
    expect(() => run.sim.run({ until: 7200 })).not.toThrow();
    expect(run.sim.dispatched).toBeGreaterThan(7000); // ~7,200 arrivals and as many ends
  });
});

describe("determinism", () => {
  function eventLog(s: Scenario): string[] {
    const run = prepareRun(s);
    const log: string[] = [];
    run.queue.jobArrived.subscribe((e) => log.push(`${e.time} arrive ${e.job.id}`));
    run.queue.jobStarted.subscribe((e) => log.push(`${e.time} start ${e.job.id} on ${e.server}`));
    run.queue.jobFinished.subscribe((e) => log.push(`${e.time} end ${e.job.id}`));
    run.sim.run({ until: s.duration });
    return log;
  }

  it("gives identical event sequences for the same scenario and seed", () => {
    const first = eventLog(scenario());
    expect(first.length).toBeGreaterThan(10_000);
    expect(eventLog(scenario())).toEqual(first);
    expect(eventLog(scenario({ seed: 8 }))).not.toEqual(first);
  });

  it("writes byte-identical files for the same scenario and seed", () => {
    const dirs = [0, 1].map((i) => mkdtempSync(join(tmpdir(), `skysim-det-${i}-`)));
    for (const dir of dirs) runScenario(scenario(), { outDir: dir, version: "test" });
    const [a, b] = dirs as [string, string];
    expect(readdirSync(a).sort()).toEqual(["jobs.csv", "summary.json"]);
    expect(readdirSync(b).sort()).toEqual(readdirSync(a).sort());
    for (const file of readdirSync(a)) {
      expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file)))).toBe(true);
    }
  });
});
