/**
 * The checkpoint-period experiment at full scale (see BENCHMARKS.md, "Checkpoint period"):
 * scenarios/checkpoint-period.yaml, every period of its sweep over its seeds, in memory. For each
 * period: the mean time from the vjob's first run to its end with its 95% confidence interval,
 * the exact expectation (Bougeret et al., SC'11, without the checkpoint a finished vjob does not
 * take), and both as waste (T / W - 1); then the sweep's fitted minimum against Daly's and
 * Young's periods.
 *
 *   npm run build && node dist/bench/checkpoint-period.js [--seeds N]
 */
import { performance } from "node:perf_hooks";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  dalyPeriod,
  expectedCompletion,
  youngPeriod,
} from "../src/policies/faulttolerance/checkpoint-period.js";
import { runTimesOverSeeds } from "../src/run/run-times.js";
import { loadScenarioFile } from "../src/scenario/load.js";
import type { Scenario } from "../src/scenario/schema.js";
import { parseDuration } from "../src/sim/units.js";
import { fittedMinimum } from "../src/sweep/inverse-linear-fit.js";
import { option } from "./harness.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const scenario = loadScenarioFile(resolve(ROOT, "scenarios/checkpoint-period.yaml"));
const sweep = scenario.sweep;
if (sweep === undefined) throw new Error("checkpoint-period.yaml has no sweep");
const seedCount = Number(option("--seeds") ?? (typeof sweep.seeds === "number" ? sweep.seeds : 0));
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
const periods = (sweep.parameters["policies.faultTolerance.period"] ?? []).map((value) =>
  parseDuration(value as string),
);

// The model's constants, as the scenario's header derives them.
const W = 24 * 3600;
const M = 2 * 3600;
const C = 6e9 / 1e8;
const R = 6e9 / 12.5e9 + 6e9 / 1e8 + 1;
const D = 1.5;

const started = performance.now();
const rows: string[] = [];
const means: number[] = [];
for (const period of periods) {
  const variant = {
    ...scenario,
    policies: {
      ...scenario.policies,
      faultTolerance: { ...scenario.policies.faultTolerance, period },
    },
  } as Scenario;
  const times = runTimesOverSeeds(variant, seeds, ROOT);
  const n = times.length;
  const mean = times.reduce((sum, t) => sum + t, 0) / n;
  const sd = Math.sqrt(times.reduce((sum, t) => sum + (t - mean) ** 2, 0) / (n - 1));
  const half = (1.96 * sd) / Math.sqrt(n);
  const expected = expectedCompletion(
    { work: W, period, cost: C, recovery: R, downtime: D, mtbf: M },
    false,
  );
  means.push(mean);
  const waste = (t: number) => `${((t / W - 1) * 100).toFixed(2)}%`;
  rows.push(
    `| ${period} | ${mean.toFixed(0)} ± ${half.toFixed(0)} | ${expected.toFixed(0)} | ${waste(mean)} | ${waste(expected)} | ${Math.abs(mean - expected) <= half ? "yes" : "no"} |`,
  );
}
const seconds = (performance.now() - started) / 1000;
console.log(`${seedCount} seeds per period, ${periods.length} periods, ${seconds.toFixed(1)} s\n`);
console.log(
  "| period (s) | simulated T (s, 95% CI) | exact E[T] (s) | simulated waste | exact waste | within CI |",
);
console.log("|---:|---:|---:|---:|---:|:---:|");
for (const row of rows) console.log(row);
const fitted = fittedMinimum(periods, means);
const daly = dalyPeriod(C, M);
console.log(
  `\nfitted minimum ${fitted.toFixed(0)} s; Daly ${daly.toFixed(0)} s (${(((fitted - daly) / daly) * 100).toFixed(1)}%); Young ${youngPeriod(C, M).toFixed(0)} s; grid minimum ${periods[means.indexOf(Math.min(...means))]} s`,
);
