/**
 * Scale benchmark (issue 18): the scenarios of bench/scale/ (S1: 1,000 hosts and 10,000 VMs; S2:
 * 10,000 and 100,000; S3: 100,000 and 1,000,000; s1-bare: S1 without policies nor failures;
 * grid5000-dense: the 1,463 hosts of Grid'5000 2011 at about 10 VMs each for a week), each
 * run in a fresh process, `--runs` times; prints per run the events dispatched, the wall time, the
 * events per second, the peak RSS and the bytes of RSS per host and per VM, then the medians.
 * `--duration` simulates less than the scenario's day (a slice, for the large ones); `--file`
 * runs another scenario file instead (bench/constraints.ts does).
 *
 *   npm run bench:scale -- --scenario s1 --runs 3 [--duration 1h] [--heap 16384] [--file F]
 */
import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import process from "node:process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { packageFile } from "../src/package-files.js";
import { prepareRun } from "../src/run/run-scenario.js";
import { loadScenarioFile } from "../src/scenario/load.js";
import { scenarioSize } from "../src/scenario/scenario-size.js";
import { parseDuration } from "../src/sim/units.js";
import { median, option } from "./harness.js";

interface Measure {
  readonly scenario: string;
  readonly simulated: number;
  readonly hosts: number;
  readonly vms: number;
  readonly events: number;
  readonly wallSeconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMB: number;
}

/** One run, in this process: the scenario prepared and run for `duration` (no files written). */
function measure(file: string, duration: number | undefined): Measure {
  const scenario = loadScenarioFile(file, { maxMemory: Number.POSITIVE_INFINITY });
  const until = duration ?? scenario.duration;
  const size = scenarioSize(scenario);
  const started = performance.now();
  const run = prepareRun(scenario, { baseDir: dirname(file) });
  run.sim.run({ until });
  run.finish(until);
  const wallSeconds = (performance.now() - started) / 1000;
  return {
    scenario: scenario.name,
    simulated: until,
    hosts: size.hosts,
    vms: size.vms,
    events: run.sim.dispatched,
    wallSeconds,
    eventsPerSecond: run.sim.dispatched / wallSeconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

const one = process.argv.indexOf("--one");
if (one >= 0) {
  const file = process.argv[one + 1] ?? "";
  const duration = process.argv[one + 2];
  process.stdout.write(
    `${JSON.stringify(measure(file, duration === undefined ? undefined : parseDuration(duration)))}\n`,
  );
} else {
  const name = option("--scenario") ?? "s1";
  const runs = Number(option("--runs") ?? 3);
  const duration = option("--duration");
  const heap = option("--heap");
  const file = option("--file") ?? packageFile("bench", "scale", `${name}.yaml`);
  const self = fileURLToPath(import.meta.url);
  const results: Measure[] = [];
  for (let i = 0; i < runs; i++) {
    const args = [
      ...(heap === undefined ? [] : [`--max-old-space-size=${heap}`]),
      self,
      "--one",
      file,
      ...(duration === undefined ? [] : [duration]),
    ];
    const result = JSON.parse(
      execFileSync(process.execPath, args, { encoding: "utf8" }),
    ) as Measure;
    results.push(result);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  const first = results[0];
  if (first !== undefined) {
    const rss = median(results.map((r) => r.peakRssMB));
    process.stdout.write(
      `${JSON.stringify({
        scenario: first.scenario,
        simulatedSeconds: first.simulated,
        runs,
        medianWallSeconds: median(results.map((r) => r.wallSeconds)),
        medianEventsPerSecond: median(results.map((r) => r.eventsPerSecond)),
        medianPeakRssMB: rss,
        rssBytesPerHost: (rss * 2 ** 20) / first.hosts,
        rssBytesPerVm: (rss * 2 ** 20) / Math.max(1, first.vms),
      })}\n`,
    );
  }
}
